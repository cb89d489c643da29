using LiveChat.Grains;

namespace LiveChat.Server.Requests;

/// <summary><c>LiveChat:Requests</c>: caps on open requests and the retention of done ones, plus the outbox's retries.</summary>
public sealed class RequestOptions
{
    public int OpenPerVisitor { get; set; } = 5;
    public int OpenPerAddress { get; set; } = 20;
    public int OpenPerSite { get; set; } = 20_000;
    public int DoneRetentionDays { get; set; } = 30;
    public int DoneKept { get; set; } = 2_000;
    /// <summary>Attempts within one outbox round (Polly, exponential backoff from <see cref="RetryDelay"/>), before the round is reported failed and the outbox waits minutes.</summary>
    public int AttemptsPerRound { get; set; } = 4;
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public RequestLimits Limits() => new(OpenPerVisitor, OpenPerAddress, OpenPerSite, DoneRetentionDays, DoneKept);
}

/// <summary><c>LiveChat:Sites:{id}:Callbacks</c>.</summary>
public sealed class CallbackOptions
{
    public int SlotMinutes { get; set; } = 30;
    public int CallsPerSlot { get; set; } = 2;
    /// <summary>The first slot offered starts at least this long from now.</summary>
    public int LeadMinutes { get; set; } = 30;
    public int DaysAhead { get; set; } = 7;
    public int MaxSlots { get; set; } = 12;
}
