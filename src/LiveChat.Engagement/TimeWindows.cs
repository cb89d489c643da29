namespace LiveChat.Engagement;

/// <summary>Parses one day's opening windows: <c>"closed"</c>, or <c>HH:mm-HH:mm</c> separated by commas.</summary>
internal static class TimeWindows
{
    public const int Day = 24 * 60;
    private const int MaxWindowsPerDay = 8;

    /// <summary>Windows in minutes from midnight; an end before its start runs past midnight (end + 1440).</summary>
    public static bool TryParse(string text, out (int Start, int End)[] windows)
    {
        windows = [];
        var trimmed = text.Trim();
        if (trimmed.Equals("closed", StringComparison.OrdinalIgnoreCase) || trimmed.Length == 0) return true;
        var parts = trimmed.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length > MaxWindowsPerDay) return false;
        var result = new (int, int)[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            var dash = parts[i].IndexOf('-');
            if (dash < 0) return false;
            if (!TryMinutes(parts[i].AsSpan(0, dash).Trim(), out var start) || start == Day) return false;
            if (!TryMinutes(parts[i].AsSpan(dash + 1).Trim(), out var end) || end == start) return false;
            result[i] = (start, end < start ? end + Day : end);
        }
        windows = result;
        return true;
    }

    /// <summary>Strict <c>HH:mm</c>, 00:00 to 24:00 (24:00 only makes sense as an end).</summary>
    private static bool TryMinutes(ReadOnlySpan<char> text, out int minutes)
    {
        minutes = 0;
        if (text.Length != 5 || text[2] != ':') return false;
        if (!char.IsAsciiDigit(text[0]) || !char.IsAsciiDigit(text[1]) || !char.IsAsciiDigit(text[3]) || !char.IsAsciiDigit(text[4])) return false;
        var hours = (text[0] - '0') * 10 + (text[1] - '0');
        var mins = (text[3] - '0') * 10 + (text[4] - '0');
        if (mins > 59 || hours > 24 || (hours == 24 && mins != 0)) return false;
        minutes = hours * 60 + mins;
        return true;
    }
}
