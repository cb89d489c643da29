using LiveChat.LoadTests.Metrics;

namespace LiveChat.LoadTests.Live;

/// <summary>What the progress view shows each second: counters and gauges of this process and its workers.</summary>
internal sealed record LiveStatus(Dictionary<string, long> Counters, Gauges Gauges, double? ChatP99Ms, double? EchoP99Ms)
{
    public long this[Counter c] => Counters.TryGetValue(c.ToString(), out var v) ? v : 0;

    public static LiveStatus Of(RunMetrics metrics)
    {
        var chat = metrics.ChatLatency.Snapshot().Histogram.Summarize();
        var echo = metrics.EchoPush.Snapshot().Histogram.Summarize();
        return new(metrics.Counters.Snapshot(), metrics.CurrentGauges(),
            chat.Count > 0 ? chat.P99 : null, echo.Count > 0 ? echo.P99 : null);
    }

    public static LiveStatus Merge(IReadOnlyList<LiveStatus> parts) => new(
        parts.SelectMany(p => p.Counters).GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => g.Sum(kv => kv.Value)),
        Gauges.Sum(parts.Select(p => p.Gauges)),
        parts.Max(p => p.ChatP99Ms),
        parts.Max(p => p.EchoP99Ms));
}
