namespace LiveChat.Contracts;

/// <summary>
/// Whether a person can answer now, as a code the widget words honestly (see <see cref="SiteInfo.Availability"/>):
/// a free seat, everyone online busy (a wait), nobody online, or outside business hours.
/// </summary>
public static class Availability
{
    public const string Available = "available";
    public const string Busy = "busy";
    public const string Offline = "offline";
    public const string Closed = "closed";
    public static readonly IReadOnlyList<string> All = [Available, Busy, Offline, Closed];

    public static string Of(bool seatFree, bool anyoneOnline, bool withinHours) =>
        !withinHours ? Closed : seatFree ? Available : anyoneOnline ? Busy : Offline;
}
