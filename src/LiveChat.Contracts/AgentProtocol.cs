namespace LiveChat.Contracts;

// Agent hub (/hubs/agent): requests and views. See docs/protocol.md.

public static class AgentStatus
{
    public const string Online = "online";
    public const string Away = "away";
    public const string Offline = "offline";
    public static readonly IReadOnlyList<string> All = [Online, Away, Offline];
}

public sealed record SetStatusRequest(string Status, int? Capacity) : IValidatable
{
    public string? Validate() =>
        Status is not (AgentStatus.Online or AgentStatus.Away) ? "status must be \"online\" or \"away\""
        : Capacity is < 1 or > 50 ? "capacity must be between 1 and 50"
        : null;
}

public sealed record ConversationRequest(string ConversationId) : IValidatable
{
    public string? Validate() => Check.Required(ConversationId, "conversationId", Limits.Id);
}

public sealed record AgentSendMessageRequest(string ConversationId, string ClientMessageId, string Text) : IValidatable
{
    public string? Validate() => Check.First(
        Check.Required(ConversationId, "conversationId", Limits.Id),
        Check.Required(ClientMessageId, "clientMessageId", Limits.ClientMessageId),
        Check.Required(Text, "text", Limits.MessageText));
}

public sealed record AgentTypingRequest(string ConversationId, bool IsTyping) : IValidatable
{
    public string? Validate() => Check.Required(ConversationId, "conversationId", Limits.Id);
}

public sealed record TransferRequest(string ConversationId, string ToAgentId, string? Note) : IValidatable
{
    public string? Validate() => Check.First(
        Check.Required(ConversationId, "conversationId", Limits.Id),
        Check.Required(ToAgentId, "toAgentId", Limits.Id),
        Check.Optional(Note, "note", Limits.Note));
}

public sealed record InviteRequest(string VisitorId, string Text, string? SiteId = null) : IValidatable
{
    public string? Validate() => Check.First(
        Check.Required(VisitorId, "visitorId", Limits.Id),
        Check.Required(Text, "text", Limits.MessageText),
        Check.Optional(SiteId, "siteId", Limits.Id));
}

public sealed record CallbackDoneRequest(string SiteId, string Reference) : IValidatable
{
    public string? Validate() => Check.First(Check.Required(SiteId, "siteId", Limits.Id), Check.Required(Reference, "reference", 16));
}

[GenerateSerializer]
public sealed record AgentInfo(string AgentId, string Name, string Status, int Capacity, int OpenChats);

/// <summary>A chat waiting for an agent. <c>VisitorLeftAt</c> is set while its visitor is off the site: such a chat is
/// handed to nobody, and after <c>LiveChat:Timings:QueuedChatAbandonAfter</c> it leaves the queue as a missed chat.</summary>
[GenerateSerializer]
public sealed record QueueEntry(
    string SiteId, string ConversationId, string VisitorId, string? RuleId, string? Situation, DateTimeOffset QueuedAt, string? FirstMessage,
    DateTimeOffset? VisitorLeftAt = null);


[GenerateSerializer]
public sealed record QueueChangedView(string SiteId, IReadOnlyList<QueueEntry> Waiting);

[GenerateSerializer]
public sealed record ConversationAssignedView(ConversationView Conversation, string? TransferNote);

[GenerateSerializer]
public sealed record ConversationClosedView(string ConversationId, string Reason);

[GenerateSerializer]
public sealed record VisitorSummary(
    string SiteId, string VisitorId, string? CurrentUrl, string? PageTitle, DateTimeOffset? PageEnteredAt,
    int PagesThisVisit, decimal CartValue, int CartItems, bool Returning, int Visits, bool Online,
    string? LastRuleId, string? LastSituation, string? ConversationId, DateTimeOffset LastSeenAt,
    IReadOnlyList<string>? Languages = null);

[GenerateSerializer]
public sealed record VisitorLeftView(string SiteId, string VisitorId);

[GenerateSerializer]
public sealed record JourneyEntry(DateTimeOffset At, string Kind, string Detail);

[GenerateSerializer]
public sealed record CartLine(string Sku, decimal Price, int Quantity);

[GenerateSerializer]
public sealed record ConversationSummary(string ConversationId, string Status, DateTimeOffset StartedAt, string? AgentName, string? FirstMessage, RatingView? Rating = null);

[GenerateSerializer]
public sealed record ConversationDetail(
    ConversationView Conversation, VisitorSummary? Visitor, IReadOnlyList<JourneyEntry> Journey,
    IReadOnlyList<CartLine> Cart, IReadOnlyList<ConversationSummary> Earlier,
    IReadOnlyList<ContactView>? EarlierContacts = null);

/// <summary>
/// A request in the Requests list; a missed chat names its conversation (its words and the visitor's journey).
/// <c>Language</c>: the language the visitor's mails are written in (the widget's, e.g. <c>nl</c>), so a reply can be too.
/// </summary>
[GenerateSerializer]
public sealed record CallbackView(
    string Reference, string SiteId, string VisitorId, string Kind, string? Phone, string? Email, string? Name,
    string? Text, DateTimeOffset CreatedAt, bool Done,
    DateTimeOffset? At = null, string Status = RequestStatus.Received, DateTimeOffset? LastUpdate = null,
    bool Due = false, string? HandledBy = null, IReadOnlyList<MailView>? Mails = null, IReadOnlyList<RequestReply>? Replies = null,
    string? ConversationId = null, string? Language = null);
