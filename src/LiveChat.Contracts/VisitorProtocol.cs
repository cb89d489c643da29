namespace LiveChat.Contracts;

// Visitor hub (/hubs/visitor?site=SITE): requests and results. See docs/protocol.md.

[GenerateSerializer]
public sealed record PageInfo(string Url, string? Title = null, string? Referrer = null) : IValidatable
{
    public string? Validate() => Check.First(
        Check.Url(Url, "url"),
        Check.Optional(Title, "title", Limits.Title),
        Referrer is { Length: > 0 } ? Check.Url(Referrer, "referrer") : null);
}

/// <summary><c>languages</c>: the visitor's languages, best first (the widget's data-lang, the page's lang, navigator.languages).</summary>
public sealed record HelloRequest(string? VisitorId, string? Token, PageInfo Page, IReadOnlyList<string>? Languages = null) : IValidatable
{
    public string? Validate() =>
        Page is null ? "page is required" : Page.Validate() is { } e ? "page." + e : Check.Languages(Languages, "languages");
}

[GenerateSerializer]
public sealed record HelloResult(
    string VisitorId,
    string Token,
    ConversationView? Conversation,
    InvitationView? Invitation,
    SiteInfo Site,
    IReadOnlyList<NoticeView> Notices);

/// <summary>What the widget needs to always offer a way to a person; pushed again as <c>SiteStatus</c> when availability changes.
/// <c>Language</c>: the site's default language (LiveChat:Sites:{id}:Language); <c>Currency</c>: its ISO 4217 code, for money.</summary>
[GenerateSerializer]
public sealed record SiteInfo(string? PhoneNumber, bool AgentsAvailable, bool WithinBusinessHours, bool EmailEnabled = false, bool CallbackSlots = false,
    string? Availability = null, string? Language = null, string? Currency = null);

public sealed record VisibilityRequest(bool Visible);

public sealed record TrackRequest(string Name, Dictionary<string, System.Text.Json.JsonElement>? Properties) : IValidatable
{
    public string? Validate() => Check.First(
        Check.Required(Name, "name", Limits.EventName),
        Properties is { Count: > Limits.EventProperties } ? $"properties has more than {Limits.EventProperties} entries" : null);
}

public sealed record InvitationRequest(string InvitationId) : IValidatable
{
    public string? Validate() => Check.Required(InvitationId, "invitationId", Limits.Id);
}

/// <summary>With <c>text</c>, the first message goes in before routing (so it comes before "… joined");
/// <c>clientMessageId</c> makes it retry-safe like <c>SendMessage</c>.</summary>
public sealed record StartChatRequest(string? Text, string? ClientMessageId = null) : IValidatable
{
    public string? Validate() => Check.First(
        Check.Optional(Text, "text", Limits.MessageText),
        Check.Optional(ClientMessageId, "clientMessageId", Limits.ClientMessageId));
}

/// <summary>
/// Where the chat stands. <c>Alternatives</c> is set when nobody can answer soon (no agent online, outside business
/// hours, or a wait above the site's limit): the visitor keeps their place but is offered "message", "callback", "phone".
/// </summary>
[GenerateSerializer]
public sealed record StartChatResult(string ConversationId, int? QueuePosition, int? EstimatedWaitSeconds, IReadOnlyList<string>? Alternatives = null);

public sealed record SendMessageRequest(string ClientMessageId, string Text) : IValidatable
{
    public string? Validate() => Check.First(
        Check.Required(ClientMessageId, "clientMessageId", Limits.ClientMessageId),
        Check.Required(Text, "text", Limits.MessageText));
}

[GenerateSerializer]
public sealed record MessageAck(string MessageId, long Sequence);

public sealed record TypingRequest(bool IsTyping);

public sealed record GetMessagesRequest(long AfterSequence) : IValidatable
{
    public string? Validate() => AfterSequence < 0 ? "afterSequence must not be negative" : null;
}

/// <summary><c>at</c>: a slot start from <c>GetCallbackSlots</c> (absent: "as soon as possible"); <c>email</c>: where the confirmation goes.</summary>
public sealed record RequestCallbackRequest(string Phone, string? Name, string? Note, DateTimeOffset? At = null, string? Email = null) : IValidatable
{
    public string? Validate() => Check.First(
        Check.Phone(Phone, "phone"),
        Check.Optional(Name, "name", Limits.Name),
        Check.Optional(Note, "note", Limits.Note),
        Email is { Length: > 0 } ? Check.Email(Email, "email") : null);
}

public sealed record LeaveMessageRequest(string Email, string Text, string? Name = null) : IValidatable
{
    public string? Validate() => Check.First(
        Check.Email(Email, "email"),
        Check.Required(Text, "text", Limits.MessageText),
        Check.Optional(Name, "name", Limits.Name));
}

[GenerateSerializer]
public sealed record ReferenceResult(string Reference);

public sealed record EndChatRequest(string? Reason = null);

public sealed record TranscriptRequest(string Email) : IValidatable
{
    public string? Validate() => Check.Email(Email, "email");
}
