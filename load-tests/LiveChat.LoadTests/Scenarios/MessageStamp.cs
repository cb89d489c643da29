using System.Diagnostics;
using System.Globalization;

namespace LiveChat.LoadTests.Scenarios;

/// <summary>
/// Latency travels inside the message text: "lt:{timestamp} ..." where timestamp is Stopwatch ticks
/// (CLOCK_MONOTONIC on Linux, so comparable between worker processes on this machine).
/// </summary>
internal static class MessageStamp
{
    private const string Prefix = "lt:";

    public static string Create(string note) =>
        string.Create(CultureInfo.InvariantCulture, $"{Prefix}{Stopwatch.GetTimestamp()} {note}");

    public static bool TryRead(string? text, out TimeSpan age)
    {
        age = default;
        if (text is null || !text.StartsWith(Prefix, StringComparison.Ordinal)) return false;
        var end = text.IndexOf(' ', Prefix.Length);
        var digits = end < 0 ? text.AsSpan(Prefix.Length) : text.AsSpan(Prefix.Length, end - Prefix.Length);
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var sentAt)) return false;
        age = Stopwatch.GetElapsedTime(sentAt);
        return true;
    }
}
