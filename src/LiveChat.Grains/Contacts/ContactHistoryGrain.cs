using LiveChat.Contracts;

namespace LiveChat.Grains;

/// <summary>
/// One identity's contacts of the last 7 days, so a second contact — from the same visitor, or from a new visitor id
/// with the same phone or e-mail — is recognised as a repeat ("customers do not like to call three times").
/// </summary>
internal sealed class ContactHistoryGrain(
    [PersistentState("contacts", Storage.Name)] IPersistentState<ContactHistoryState> state, TimeProvider clock)
    : Grain, IContactHistoryGrain
{
    public static readonly TimeSpan Window = TimeSpan.FromDays(7);
    private const int Kept = 50;

    public async Task<IReadOnlyList<ContactView>> Add(ContactView contact)
    {
        var since = clock.GetUtcNow() - Window;
        var list = state.State.Contacts;
        list.RemoveAll(c => c.At < since);
        var earlier = list.ToList();
        if (!list.Contains(contact)) list.Add(contact);
        if (list.Count > Kept) list.RemoveRange(0, list.Count - Kept);
        await state.WriteStateAsync();
        return earlier;
    }
}

[GenerateSerializer]
public sealed class ContactHistoryState
{
    [Id(0)] public List<ContactView> Contacts { get; set; } = [];
}
