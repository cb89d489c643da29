using LiveChat.Contracts;

namespace LiveChat.Grains;

/// <summary>One visitor's session on one site. Key: <c>{siteId}/{visitorId}</c>.</summary>
public interface IVisitorGrain : IGrainWithStringKey
{
    /// <param name="languages">The visitor's languages, best first, ending with the site's default: site-written text is picked by them.</param>
    /// <param name="presenceOwner">The lease of the node holding this connection (<see cref="PresenceHolds.Owner"/>): the visitor's presence entry follows that node.</param>
    /// <summary><paramref name="arrivedAt"/>: when the hub took the Hello; the visit's clock starts there (never later than now).</summary>
    Task<VisitorHello> Hello(string connectionId, PageInfo page, IReadOnlyList<string>? languages = null, string? presenceOwner = null, DateTimeOffset? arrivedAt = null);
    Task Disconnected(string connectionId);
    /// <summary>The node holding these connections re-reports the visitor's presence on its lease (a shard restarted empty, a node died).</summary>
    Task Reattach(IReadOnlyList<string> connectionIds, string presenceOwner);
    Task PageView(PageInfo page);
    Task Visibility(bool visible);
    Task Track(string name, IReadOnlyDictionary<string, string> properties);

    Task AcceptInvitation(string invitationId);
    Task DismissInvitation(string invitationId);
    /// <summary>A manual invitation from an agent: same path and caps as a rule's.</summary>
    Task<bool> Invite(string text, string agentName);

    Task<StartChatResult> StartChat(string? text, string? clientMessageId = null);
    Task<MessageAck> SendMessage(string clientMessageId, string text);
    Task Typing(bool isTyping);
    Task<IReadOnlyList<ChatMessage>> GetMessages(long afterSequence);
    Task EndChat();
    Task RequestTranscript(string email);
    [OneWay] Task ConversationEnded(string conversationId);

    Task<ReferenceResult> RequestCallback(string phone, string? name, string? note, DateTimeOffset? at = null, string? email = null, string? clientAddress = null);
    Task<ReferenceResult> LeaveMessage(string email, string text, string? name, string? clientAddress = null);
    /// <summary>Only the visitor's own references; any other answers "reference: not found".</summary>
    [ReadOnly] Task<RequestStatusView> GetRequestStatus(string reference);
    [ReadOnly] Task<IReadOnlyList<RequestStatusView>> GetMyRequests();

    /// <summary>Rates one of this visitor's ended chats (1–5, once, within 7 days).</summary>
    Task Rate(string conversationId, int score, string? comment);
    /// <summary>A contact the server cannot see itself: the widget reports the phone number clicked.</summary>
    Task ReportContact(string channel);
    /// <summary>A callback or message of this visitor was marked done: records its time to resolution.</summary>
    [OneWay] Task RequestResolved(string reference);

    [ReadOnly] Task<VisitorSummary> GetSummary();
    [ReadOnly] Task<VisitorContext> GetContext();

    /// <summary>Deletes everything kept about this visitor, their conversations and messages included; returns those conversation ids.</summary>
    Task<IReadOnlyList<string>> Forget();
}

[GenerateSerializer]
public sealed record VisitorHello(ConversationView? Conversation, InvitationView? Invitation, SiteInfo Site, IReadOnlyList<NoticeView> Notices);

/// <summary>What an agent sees so the customer never repeats themselves.</summary>
[GenerateSerializer]
public sealed record VisitorContext(
    VisitorSummary Summary, IReadOnlyList<JourneyEntry> Journey, IReadOnlyList<CartLine> Cart, IReadOnlyList<string> ConversationIds,
    IReadOnlyList<ContactView>? EarlierContacts = null);
