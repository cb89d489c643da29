namespace LiveChat.Grains;

/// <summary>The channels an outbox delivers on.</summary>
public static class OutboxChannel
{
    public const string Mail = "mail";
    public const string Webhook = "webhook";
}

/// <summary>
/// An e-mail as the grains write it. <see cref="MessageId"/> and the thread ids are local parts: the sender adds
/// <c>@</c> and the domain of <c>LiveChat:Email:From</c>. The message id is the mail's idempotency key.
/// </summary>
[GenerateSerializer]
public sealed record OutgoingMail(
    string To, string? ToName, string? ReplyTo, string? ReplyToName, string Subject, string Text,
    string MessageId, string? InReplyTo = null, IReadOnlyList<string>? References = null);

/// <summary>One webhook call: the signed body is built once, so every retry sends the same bytes and event id.</summary>
[GenerateSerializer]
public sealed record WebhookCall(string Url, string EventId, string EventType, string Body);

/// <summary>One pending delivery, persisted before its first attempt.</summary>
[GenerateSerializer]
public sealed class OutboxItem
{
    /// <summary>Idempotency key: an item with a key the outbox already holds (pending or logged) is not added again.</summary>
    [Id(0)] public string Key { get; set; } = "";
    [Id(1)] public string Channel { get; set; } = OutboxChannel.Mail;
    [Id(2)] public string Purpose { get; set; } = "";
    [Id(3)] public string Target { get; set; } = "";
    /// <summary>The request whose status shows this mail (its agents see queued / sent / failed).</summary>
    [Id(4)] public string? RequestReference { get; set; }
    [Id(5)] public OutgoingMail? Mail { get; set; }
    [Id(6)] public WebhookCall? Hook { get; set; }
    [Id(7)] public DateTimeOffset CreatedAt { get; set; }
    [Id(8)] public DateTimeOffset NextAttemptAt { get; set; }
    /// <summary>Attempts made (each round tries a few times with a short backoff).</summary>
    [Id(9)] public int Attempts { get; set; }
    [Id(10)] public int Rounds { get; set; }
    [Id(11)] public string? LastError { get; set; }
}

/// <summary>A finished (or still pending) delivery as shown to agents and admins.</summary>
[GenerateSerializer]
public sealed record DeliveryRecord(
    string Key, string Channel, string Purpose, string Target, string Status, int Attempts, string? LastError,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string? EventId = null, string? RequestReference = null);

/// <summary>The result of one round of attempts.</summary>
[GenerateSerializer]
public sealed record DeliveryOutcome(bool Delivered, int Tries, string? Error, bool Permanent);

[GenerateSerializer]
public sealed class OutboxState
{
    [Id(0)] public List<OutboxItem> Pending { get; set; } = [];
    [Id(1)] public List<DeliveryRecord> Log { get; set; } = [];
}

/// <summary>
/// Where the outbox hands deliveries to (the server: SMTP and HTTP). <see cref="Start"/> returns at once; the
/// transport reports back through <see cref="IOutboxGrain.Report"/>, so no grain waits on a mail server.
/// </summary>
public interface IOutboxTransport
{
    void Start(string siteId, OutboxItem item);
}

/// <summary>Where grains announce what happened (for webhooks). The server decides which hooks want it.</summary>
public interface IEventPublisher
{
    Task Publish(string siteId, string type, object data);
}

/// <summary>Events for the site's webhooks.</summary>
public static class Events
{
    public const string ConversationStarted = "conversation.started";
    public const string ConversationClosed = "conversation.closed";
    public const string MessageLeft = "message.left";
    public const string CallbackRequested = "callback.requested";
    public const string CallbackDue = "callback.due";
    public const string CallbackDone = "callback.done";
    public const string InvitationAccepted = "invitation.accepted";
    public static readonly IReadOnlyList<string> All = [ConversationStarted, ConversationClosed, MessageLeft, CallbackRequested, CallbackDue, CallbackDone, InvitationAccepted];
}
