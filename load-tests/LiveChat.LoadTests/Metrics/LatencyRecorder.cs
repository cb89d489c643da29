using HdrHistogram;

namespace LiveChat.LoadTests.Metrics;

/// <summary>A thread-safe HdrHistogram of microseconds plus a per-second timeline for the latency-over-time chart.</summary>
internal sealed class LatencyRecorder(string name, TimeSpan runLength, Func<TimeSpan, string>? phaseOf = null)
{
    private const long Highest = 10L * 60 * 1_000_000; // 10 minutes in µs: anything slower is clamped
    private readonly object gate = new();
    private readonly LongHistogram total = new(Highest, 3);
    // One small histogram per second of the run, bounded by the run's length (plus slack for the drain).
    private readonly LongHistogram?[] seconds = new LongHistogram?[(int)Math.Ceiling(runLength.TotalSeconds) + 120];
    // The same samples split by phase of the run (ramp, steady, storm, grace), so a storm's spike doesn't hide the steady state.
    private readonly Dictionary<string, LongHistogram> phases = new(StringComparer.Ordinal);

    public string Name { get; } = name;

    public void Record(TimeSpan latency, TimeSpan at)
    {
        var micros = Math.Clamp((long)(latency.Ticks / 10), 0, Highest);
        var second = Math.Clamp((int)at.TotalSeconds, 0, seconds.Length - 1);
        lock (gate)
        {
            total.RecordValue(micros);
            (seconds[second] ??= new LongHistogram(Highest, 2)).RecordValue(micros);
            if (phaseOf?.Invoke(at) is { } phase)
            {
                if (!phases.TryGetValue(phase, out var h)) phases[phase] = h = new LongHistogram(Highest, 3);
                h.RecordValue(micros);
            }
        }
    }

    public LatencySnapshot Snapshot()
    {
        lock (gate)
        {
            var timeline = new List<TimelinePoint>();
            for (var s = 0; s < seconds.Length; s++)
            {
                if (seconds[s] is { TotalCount: > 0 } h) timeline.Add(TimelinePoint.From(s, h));
            }
            return new LatencySnapshot(Name, HistogramData.From(total), timeline,
                phases.ToDictionary(kv => kv.Key, kv => HistogramData.From(kv.Value)));
        }
    }
}

/// <summary>A latency distribution as plain data, so worker processes can hand theirs to the coordinator.</summary>
internal sealed record LatencySnapshot(
    string Name, HistogramData Histogram, IReadOnlyList<TimelinePoint> Timeline, Dictionary<string, HistogramData>? Phases = null)
{
    public static LatencySnapshot Merge(string name, IEnumerable<LatencySnapshot> parts)
    {
        var list = parts.ToList();
        var merged = HistogramData.Merge(list.Select(p => p.Histogram));
        var timeline = list.SelectMany(p => p.Timeline)
            .GroupBy(p => p.Second)
            .Select(g => g.Aggregate((a, b) => a.Merge(b)))
            .OrderBy(p => p.Second)
            .ToList();
        var phases = list.SelectMany(p => p.Phases ?? [])
            .GroupBy(kv => kv.Key)
            .ToDictionary(g => g.Key, g => HistogramData.Merge(g.Select(kv => kv.Value)));
        return new LatencySnapshot(name, merged, timeline, phases);
    }
}

/// <summary>Recorded values (µs) with their counts, the lossless form of an HdrHistogram.</summary>
internal sealed record HistogramData(IReadOnlyList<long[]> Values)
{
    public static HistogramData From(HistogramBase h) =>
        new(h.RecordedValues().Select(v => new[] { v.ValueIteratedTo, v.CountAtValueIteratedTo }).ToList());

    public static HistogramData Merge(IEnumerable<HistogramData> parts) => From(ToHistogram(parts.SelectMany(p => p.Values)));

    public LongHistogram ToHistogram() => ToHistogram(Values);

    private static LongHistogram ToHistogram(IEnumerable<long[]> values)
    {
        var h = new LongHistogram(10L * 60 * 1_000_000, 3);
        foreach (var v in values) h.RecordValueWithCount(v[0], v[1]);
        return h;
    }

    public LatencySummary Summarize()
    {
        var h = ToHistogram();
        if (h.TotalCount == 0) return LatencySummary.Empty;
        return new LatencySummary(
            h.TotalCount,
            Ms(h.GetValueAtPercentile(50)), Ms(h.GetValueAtPercentile(95)),
            Ms(h.GetValueAtPercentile(99)), Ms(h.GetMaxValue()), h.GetMean() / 1000.0);
    }

    private static double Ms(long micros) => micros / 1000.0;
}

internal sealed record LatencySummary(long Count, double P50, double P95, double P99, double Max, double Mean)
{
    public static readonly LatencySummary Empty = new(0, 0, 0, 0, 0, 0);
}

/// <summary>One second of the run: how many samples and their p50/p99/max in milliseconds.</summary>
internal sealed record TimelinePoint(int Second, long Count, double P50, double P99, double Max)
{
    public static TimelinePoint From(int second, HistogramBase h) => new(
        second, h.TotalCount,
        h.GetValueAtPercentile(50) / 1000.0, h.GetValueAtPercentile(99) / 1000.0, h.GetMaxValue() / 1000.0);

    // Merging two processes' seconds is approximate for percentiles (count-weighted), exact for count and max.
    public TimelinePoint Merge(TimelinePoint other)
    {
        var n = Count + other.Count;
        double Weighted(double a, double b) => n == 0 ? 0 : (a * Count + b * other.Count) / n;
        return new(Second, n, Weighted(P50, other.P50), Math.Max(P99, other.P99), Math.Max(Max, other.Max));
    }
}
