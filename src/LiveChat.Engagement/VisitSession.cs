namespace LiveChat.Engagement;

/// <summary>
/// When a visit ends: after 30 minutes without activity (page views and tracked events), as web analytics count it.
/// A new visit resets per-visit counters (pages, caps, dismissals, events, idle) and makes the visitor "returning".
/// </summary>
public static class VisitSession
{
    public static readonly TimeSpan InactivityTimeout = TimeSpan.FromMinutes(30);

    /// <summary>True when activity at <paramref name="now"/> starts a new visit (or the first one).</summary>
    public static bool StartsNewVisit(DateTimeOffset? lastActivityAt, DateTimeOffset now) =>
        lastActivityAt is not { } last || now - last >= InactivityTimeout;
}
