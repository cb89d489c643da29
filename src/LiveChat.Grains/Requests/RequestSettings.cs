namespace LiveChat.Grains;

/// <summary>What the request grains need from configuration (the server implements it from <c>LiveChat:*</c>).</summary>
public interface IRequestSettings
{
    /// <summary>SMTP is configured: confirmations, team notices, replies and transcripts are sent.</summary>
    bool EmailEnabled { get; }
    string? TeamEmail(string siteId);
    CallbackSettings Callbacks(string siteId);
    RequestLimits Limits { get; }
}

/// <summary><c>LiveChat:Sites:{id}:Callbacks</c>: bookable slots within business hours.</summary>
public sealed record CallbackSettings(int SlotMinutes = 30, int CallsPerSlot = 2, int LeadMinutes = 30, int DaysAhead = 7, int MaxSlots = 12);

/// <summary>
/// <c>LiveChat:Requests</c>. Open requests are never dropped: past a cap a new one is refused with a reason.
/// Done requests are kept <see cref="DoneRetentionDays"/> days (at most <see cref="DoneKept"/> per site), then deleted.
/// </summary>
public sealed record RequestLimits(int OpenPerVisitor = 5, int OpenPerAddress = 20, int OpenPerSite = 20_000, int DoneRetentionDays = 30, int DoneKept = 2_000);

/// <summary>No e-mail, default slots and caps (grain tests, or a host that does not configure requests).</summary>
public sealed class DefaultRequestSettings : IRequestSettings
{
    public bool EmailEnabled => false;
    public string? TeamEmail(string siteId) => null;
    public CallbackSettings Callbacks(string siteId) => new();
    public RequestLimits Limits { get; init; } = new();
}
