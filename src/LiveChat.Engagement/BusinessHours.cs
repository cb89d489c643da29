using System.Text.Json;

namespace LiveChat.Engagement;

/// <summary>
/// A site's weekly opening hours on the wall clock of one IANA time zone, e.g.
/// <c>{ "timeZone": "Europe/Stockholm", "days": { "mon": "09:00-17:00", "sat": "10:00-14:00,18:00-22:00" } }</c>.
/// A day that is absent (or <c>"closed"</c>) is closed; <c>"22:00-02:00"</c> runs past midnight into the next day.
/// Wall-clock semantics across DST: opening hours follow the clock on the shop's wall.
/// </summary>
public sealed class BusinessHours
{
    /// <summary>No schedule configured: always open, so business-hours rules never wait on it.</summary>
    public static readonly BusinessHours AlwaysOpen = new(TimeZoneInfo.Utc, null);

    internal static readonly string[] DayKeys = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    /// <summary>Per <see cref="DayOfWeek"/>, windows in minutes from that day's midnight; an end past 1440 runs into the next day.</summary>
    private readonly (int Start, int End)[][]? week;

    private BusinessHours(TimeZoneInfo zone, (int Start, int End)[][]? week)
    {
        Zone = zone;
        this.week = week;
    }

    public TimeZoneInfo Zone { get; }
    public bool IsAlwaysOpen => week is null;

    /// <summary>Parses the JSON form; null or blank is <see cref="AlwaysOpen"/>. Errors name the field (<c>businessHours.days.mon</c>).</summary>
    public static bool TryParse(string? json, out BusinessHours hours, out string? error)
    {
        hours = AlwaysOpen;
        if (string.IsNullOrWhiteSpace(json)) { error = null; return true; }
        Dictionary<string, JsonElement>? root;
        try { root = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json); }
        catch (JsonException) { error = "businessHours is not a JSON object"; return false; }
        if (root is null) { error = null; return true; }
        string? zone = null;
        Dictionary<string, string>? days = null;
        foreach (var (key, value) in root)
        {
            if (key == "timeZone" && value.ValueKind is JsonValueKind.String or JsonValueKind.Null) zone = value.GetString();
            else if (key == "timeZone") { error = "businessHours.timeZone must be a string"; return false; }
            else if (key == "days" && value.ValueKind == JsonValueKind.Object)
            {
                days = [];
                foreach (var day in value.EnumerateObject())
                {
                    if (day.Value.ValueKind != JsonValueKind.String) { error = $"businessHours.days.{day.Name} must be a string like \"09:00-17:00\""; return false; }
                    days[day.Name] = day.Value.GetString()!;
                }
            }
            else if (key == "days" && value.ValueKind == JsonValueKind.Null) days = null;
            else if (key == "days") { error = "businessHours.days must be an object"; return false; }
            else { error = $"businessHours.{key} is not a known field (timeZone, days)"; return false; }
        }
        return TryCreate(zone, days, out hours, out error);
    }

    /// <summary>From configuration values (<c>LiveChat:Sites:{site}:BusinessHours</c>); both null is <see cref="AlwaysOpen"/>.</summary>
    public static bool TryCreate(string? timeZone, IReadOnlyDictionary<string, string>? days, out BusinessHours hours, out string? error)
    {
        hours = AlwaysOpen;
        error = null;
        if (timeZone is null && days is null) return true;
        if (string.IsNullOrWhiteSpace(timeZone)) { error = "businessHours.timeZone is required (an IANA id such as \"Europe/Stockholm\")"; return false; }
        if (days is null) { error = "businessHours.days is required"; return false; }
        if (!TryFindZone(timeZone, out var zone)) { error = $"businessHours.timeZone: '{timeZone}' is not a known IANA time zone"; return false; }
        var week = new (int, int)[7][];
        for (var d = 0; d < 7; d++) week[d] = [];
        foreach (var (key, value) in days)
        {
            var d = Array.IndexOf(DayKeys, key.ToLowerInvariant());
            if (d < 0) { error = $"businessHours.days.{key} is not a day (mon, tue, wed, thu, fri, sat, sun)"; return false; }
            if (!TimeWindows.TryParse(value, out week[d]))
            {
                error = $"businessHours.days.{key}: '{value}' must be \"closed\" or windows like \"09:00-17:00\" or \"09:00-12:00,13:00-17:00\"";
                return false;
            }
        }
        hours = new BusinessHours(zone, week);
        return true;
    }

    public bool IsOpen(DateTimeOffset instant)
    {
        if (week is null) return true;
        var local = TimeZoneInfo.ConvertTime(instant, Zone).DateTime;
        var minute = local.TimeOfDay.TotalMinutes;
        var today = (int)local.DayOfWeek;
        foreach (var (start, end) in week[today])
            if (minute >= start && minute < end) return true;
        foreach (var (_, end) in week[(today + 6) % 7])
            if (end > TimeWindows.Day && minute < end - TimeWindows.Day) return true;
        return false;
    }

    /// <summary>
    /// The first instant after <paramref name="instant"/> at which <see cref="IsOpen"/> flips; null when it never does
    /// (always open, or closed every day). Candidates are each window edge on the local calendar (both instants of an
    /// ambiguous fall-back time) and each DST transition, which is where edges inside a spring-forward gap take effect.
    /// </summary>
    public DateTimeOffset? NextChange(DateTimeOffset instant)
    {
        if (week is null) return null;
        var open = IsOpen(instant);
        var candidates = new List<DateTimeOffset>();
        var firstDay = TimeZoneInfo.ConvertTime(instant, Zone).Date.AddDays(-1);
        for (var day = firstDay; day <= firstDay.AddDays(9); day = day.AddDays(1))
        {
            foreach (var (start, end) in week[(int)day.DayOfWeek])
            {
                AddLocal(candidates, day.AddMinutes(start));
                AddLocal(candidates, day.AddMinutes(end));
            }
        }
        AddTransitions(candidates, instant, instant.AddDays(9));
        candidates.Sort();
        foreach (var candidate in candidates)
            if (candidate > instant && IsOpen(candidate) != open) return TimeZoneInfo.ConvertTime(candidate, Zone);
        return null;
    }

    private void AddLocal(List<DateTimeOffset> candidates, DateTime local)
    {
        if (Zone.IsInvalidTime(local)) return; // the transition itself is added separately
        if (Zone.IsAmbiguousTime(local))
        {
            foreach (var offset in Zone.GetAmbiguousTimeOffsets(local)) candidates.Add(new DateTimeOffset(local, offset));
            return;
        }
        candidates.Add(new DateTimeOffset(local, Zone.GetUtcOffset(local)));
    }

    /// <summary>Offset changes between two instants, found hour by hour and then narrowed to the second by bisection.</summary>
    private void AddTransitions(List<DateTimeOffset> candidates, DateTimeOffset from, DateTimeOffset to)
    {
        var step = TimeSpan.FromHours(1);
        var previous = Zone.GetUtcOffset(from);
        for (var t = from; t < to; t += step)
        {
            var offset = Zone.GetUtcOffset(t + step);
            if (offset == previous) continue;
            DateTimeOffset lo = t, hi = t + step; // offset(lo) == previous, offset(hi) != previous
            while (hi - lo > TimeSpan.FromSeconds(1))
            {
                var mid = lo + (hi - lo) / 2;
                if (Zone.GetUtcOffset(mid) == previous) lo = mid; else hi = mid;
            }
            candidates.Add(new DateTimeOffset(hi.UtcTicks - hi.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero));
            previous = offset;
        }
    }

    private static bool TryFindZone(string id, out TimeZoneInfo zone)
    {
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException
            or IOException or UnauthorizedAccessException or System.Security.SecurityException)
        {
            zone = TimeZoneInfo.Utc;
            return false;
        }
    }
}
