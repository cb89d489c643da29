using LiveChat.Grains;
using LiveChat.Server.Configuration;
using Microsoft.Extensions.Options;

namespace LiveChat.Server.Requests;

/// <summary>The request grains' view of <c>LiveChat:*</c>.</summary>
internal sealed class RequestSettings(IOptions<LiveChatOptions> options) : IRequestSettings
{
    public bool EmailEnabled => options.Value.Email.Enabled;

    public string? TeamEmail(string siteId) => options.Value.Sites.TryGetValue(siteId, out var s) ? s.TeamEmail : null;

    public CallbackSettings Callbacks(string siteId)
    {
        var c = options.Value.Sites.TryGetValue(siteId, out var s) ? s.Callbacks : new CallbackOptions();
        return new CallbackSettings(c.SlotMinutes, c.CallsPerSlot, c.LeadMinutes, c.DaysAhead, c.MaxSlots);
    }

    public RequestLimits Limits => options.Value.Requests.Limits();
}
