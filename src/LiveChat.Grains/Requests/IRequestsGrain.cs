using LiveChat.Contracts;

namespace LiveChat.Grains;

/// <summary>
/// A site's requests (callbacks, left messages, missed chats): references, caps, the open/done index, booked slots
/// and due alerts. Key: siteId. Open requests are never evicted.
/// </summary>
public interface IRequestsGrain : IGrainWithStringKey
{
    /// <summary>Stores a new request and returns it with its reference; refuses (naming why) past a cap or on a slot that is not free.</summary>
    Task<CallbackView> Add(CallbackView request, string? clientAddress = null);
    Task<bool> MarkDone(string reference, string? by = null);
    /// <summary>The visitor of a missed chat came back and the chat resumed: its missed-chat request is done.</summary>
    Task<bool> MarkMissedChatDone(string conversationId);
    /// <summary>References, newest first: open or done ones created before <paramref name="before"/>.</summary>
    [ReadOnly] Task<IReadOnlyList<string>> Page(bool done, DateTimeOffset? before, int limit);
    [ReadOnly] Task<CallbackSlotsResult> GetSlots(string? timeZone);
    [ReadOnly] Task<int> OpenCount();
}

/// <summary>One request. Key: <c>{siteId}/{reference}</c>.</summary>
public interface IRequestGrain : IGrainWithStringKey
{
    /// <summary>False when the reference is already taken.</summary>
    Task<bool> Create(CallbackView request, string? clientAddress);
    [ReadOnly] Task<CallbackView?> Get();
    Task<bool> MarkDone(string? by);
    /// <summary>An agent's written answer, e-mailed to the visitor in the request's thread.</summary>
    Task<CallbackView> Reply(string agentName, string text);
    /// <summary>A callback's booked time has come: the site's agents are alerted.</summary>
    Task Due();
    [OneWay] Task MailChanged(MailView mail);
    /// <summary>Retention is over: the request's data is deleted.</summary>
    [OneWay] Task Forget();
}
