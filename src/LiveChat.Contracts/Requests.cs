namespace LiveChat.Contracts;

// Callback requests, left messages and missed chats ("requests"): what visitors and agents see of them. See docs/protocol.md.

public static class RequestKinds
{
    public const string Callback = "callback";
    public const string Message = "message";
    /// <summary>A chat the visitor left before anyone answered (added by the queue, not by the visitor).</summary>
    public const string MissedChat = "missed-chat";
    public static readonly IReadOnlyList<string> All = [Callback, Message, MissedChat];
}

/// <summary>Where a request stands, as the visitor sees it.</summary>
public static class RequestStatus
{
    public const string Received = "received";
    public const string Scheduled = "scheduled";
    public const string InProgress = "in-progress";
    public const string Done = "done";
    public static readonly IReadOnlyList<string> All = [Received, Scheduled, InProgress, Done];
}

/// <summary>One outgoing e-mail's delivery: queued (persisted, being tried), sent (the SMTP server accepted it) or failed.</summary>
public static class MailStatus
{
    public const string Queued = "queued";
    public const string Sent = "sent";
    public const string Failed = "failed";
    public static readonly IReadOnlyList<string> All = [Queued, Sent, Failed];
}

/// <summary>Why a mail is sent.</summary>
public static class MailPurpose
{
    public const string Confirmation = "confirmation";
    public const string Team = "team";
    public const string Reply = "reply";
    public const string Transcript = "transcript";
    public static readonly IReadOnlyList<string> All = [Confirmation, Team, Reply, Transcript];
}

[GenerateSerializer]
public sealed record MailView(string MailId, string Purpose, string To, string Status, string? Reason, int Attempts, DateTimeOffset UpdatedAt);

[GenerateSerializer]
public sealed record RequestReply(string AgentName, string Text, DateTimeOffset At, string MailId);

/// <summary>What a visitor may know about their own request.</summary>
[GenerateSerializer]
public sealed record RequestStatusView(string Reference, string Kind, string Status, DateTimeOffset? At, DateTimeOffset LastUpdate);

public sealed record RequestStatusRequest(string Reference) : IValidatable
{
    public string? Validate() => Check.Required(Reference, "reference", 16);
}

/// <summary><c>timeZone</c>: the visitor's IANA zone (e.g. from <c>Intl.DateTimeFormat().resolvedOptions().timeZone</c>); slots come back in it.</summary>
public sealed record CallbackSlotsRequest(string? TimeZone = null) : IValidatable
{
    public string? Validate() => Check.Optional(TimeZone, "timeZone", 64);
}

[GenerateSerializer]
public sealed record CallbackSlot(DateTimeOffset At, int Free);

[GenerateSerializer]
public sealed record CallbackSlotsResult(string TimeZone, int SlotMinutes, IReadOnlyList<CallbackSlot> Slots);

public sealed record ReplyToRequestRequest(string SiteId, string Reference, string Text) : IValidatable
{
    public string? Validate() => Check.First(
        Check.Required(SiteId, "siteId", Limits.Id),
        Check.Required(Reference, "reference", 16),
        Check.Required(Text, "text", Limits.MessageText));
}

public sealed record RequestRef(string SiteId, string Reference) : IValidatable
{
    public string? Validate() => Check.First(Check.Required(SiteId, "siteId", Limits.Id), Check.Required(Reference, "reference", 16));
}

/// <summary>Older requests, newest first: <c>before</c> is the <c>createdAt</c> of the last one already shown.</summary>
public sealed record CallbacksPageRequest(DateTimeOffset? Before = null, bool Done = false, int Limit = 50) : IValidatable
{
    public string? Validate() => Limit is < 1 or > 200 ? "limit must be between 1 and 200" : null;
}
