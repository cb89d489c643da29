namespace LiveChat.Contracts;

// How a contact ended for the visitor: their rating, the channel they chose, and earlier contacts (repeat contact).
// See docs/protocol.md ("Rate", "ReportContact", "GetConversation").

/// <summary>Visitor hub <c>Rate</c>: one rating per conversation, by its visitor, within 7 days of the chat ending.</summary>
public sealed record RateRequest(string ConversationId, int Score, string? Comment = null) : IValidatable
{
    public const int MinScore = 1;
    public const int MaxScore = 5;
    public const int MaxComment = 1000;
    public static readonly TimeSpan Window = TimeSpan.FromDays(7);

    public string? Validate() => Check.First(
        Check.Required(ConversationId, "conversationId", Limits.Id),
        Score is < MinScore or > MaxScore ? $"score must be between {MinScore} and {MaxScore}" : null,
        Check.Optional(Comment, "comment", MaxComment),
        Comment is not null && Comment.Any(c => char.IsControl(c) && c is not '\n' and not '\r') ? "comment must not contain control characters" : null);
}

/// <summary>Visitor hub <c>ReportContact</c>: a way of reaching out the server cannot see itself (the phone number clicked).</summary>
public sealed record ReportContactRequest(string Channel) : IValidatable
{
    public string? Validate() => Channel == ContactChannels.Phone ? null : "channel must be \"phone\"";
}

/// <summary>How a visitor reached out; the keys of a situation's <c>channels</c> in the stats.</summary>
public static class ContactChannels
{
    public const string ChatFromInvitation = "chatFromInvitation";
    public const string ChatStartedByVisitor = "chatStartedByVisitor";
    public const string Callback = "callback";
    public const string Message = "message";
    public const string Phone = "phone";
    public static readonly IReadOnlyList<string> All = [ChatFromInvitation, ChatStartedByVisitor, Callback, Message, Phone];
}

[GenerateSerializer]
public sealed record RatingView(int Score, string? Comment, DateTimeOffset At);

/// <summary>Agent push <c>ConversationRated</c>: the visitor rated a chat this agent had.</summary>
[GenerateSerializer]
public sealed record ConversationRatedView(string ConversationId, RatingView Rating);

/// <summary>One contact of a visitor (or of someone with the same phone or e-mail), for the agent: "contacted before".</summary>
/// <param name="Kind"><c>chat</c>, <c>callback</c>, <c>message</c> or <c>phone</c> (the number was clicked).</param>
/// <param name="Via">How this contact was found to be the same person: <c>visitor</c>, <c>phone</c> or <c>email</c>.</param>
[GenerateSerializer]
public sealed record ContactView(
    string Kind, DateTimeOffset At, string VisitorId, string? ConversationId, string? Reference, string? Situation, string? Via = null);
