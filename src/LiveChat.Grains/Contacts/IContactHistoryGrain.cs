using LiveChat.Contracts;

namespace LiveChat.Grains;

/// <summary>Recent contacts of one identity (a visitor id, or a hashed phone/e-mail). Key: <c>{siteId}/{identity key}</c>.</summary>
public interface IContactHistoryGrain : IGrainWithStringKey
{
    /// <summary>Records a contact and returns the earlier ones within <see cref="ContactHistoryGrain.Window"/>.</summary>
    Task<IReadOnlyList<ContactView>> Add(ContactView contact);
}
