namespace LiveChat.Contracts;

// Server → client pushes and the views shared by both hubs.

public static class Senders
{
    public const string Visitor = "visitor";
    public const string Agent = "agent";
    public const string System = "system";
    /// <summary>The invitation the visitor accepted, as the conversation's first message (its sender name is the inviting agent's, if any).</summary>
    public const string Invitation = "invitation";
    public static readonly IReadOnlyList<string> All = [Visitor, Agent, System, Invitation];
}

public static class Offers
{
    public const string Chat = "chat";
    public const string Callback = "callback";
    public const string Phone = "phone";
    public static readonly IReadOnlyList<string> All = [Chat, Callback, Phone];
}

public static class ConversationStatus
{
    public const string Queued = "queued";
    public const string Active = "active";
    public const string Closed = "closed";
    public static readonly IReadOnlyList<string> All = [Queued, Active, Closed];
}

[GenerateSerializer]
public sealed record InvitationView(
    string InvitationId, string RuleId, string? Situation, string Text, string? AgentName, IReadOnlyList<string> Offers);

/// <summary>A system message (<c>from: "system"</c>) also carries <c>code</c> and <c>params</c> (<see cref="SystemText"/>); <c>text</c> is its English.</summary>
[GenerateSerializer]
public sealed record ChatMessage(
    string ConversationId, string MessageId, long Sequence, string From, string Text,
    DateTimeOffset SentAt, string? ClientMessageId, string? SenderName,
    string? Code = null, IReadOnlyDictionary<string, string>? Params = null);

[GenerateSerializer]
public sealed record ConversationView(
    string ConversationId, string SiteId, string VisitorId, string Status, string? AgentId, string? AgentName,
    string? RuleId, string? Situation, DateTimeOffset StartedAt, DateTimeOffset? EndedAt,
    IReadOnlyList<ChatMessage> Messages, RatingView? Rating = null);

[GenerateSerializer]
public sealed record QueueView(string ConversationId, int Position, int? EstimatedWaitSeconds, IReadOnlyList<string>? Alternatives = null);

/// <summary>What a visitor is offered when no person can answer soon: never a dead end.</summary>
public static class Alternatives
{
    public const string Message = "message";
    public const string Callback = "callback";
    public const string Phone = "phone";
    public static readonly IReadOnlyList<string> All = [Message, Callback, Phone];
}

[GenerateSerializer]
public sealed record AgentJoinedView(string ConversationId, string Name);

[GenerateSerializer]
public sealed record TypingView(string ConversationId, string From, bool IsTyping);

[GenerateSerializer]
public sealed record ChatEndedView(string ConversationId, string Reason);

/// <summary><c>Texts</c>: the text per language when the site wrote it so; <c>Text</c> is then the site default language's.</summary>
[GenerateSerializer]
public sealed record NoticeView(string NoticeId, string Text, string Severity, string? Link, string? PageMatches, DateTimeOffset? ExpiresAt,
    IReadOnlyDictionary<string, string>? Texts = null);

[GenerateSerializer]
public sealed record NoticeClearedView(string NoticeId);
