namespace LiveChat.Grains;

/// <summary>
/// Per-situation counters in hourly buckets, so a stats query over any window is a sum over buckets,
/// never a scan of raw events. Old buckets are dropped after <see cref="Retention"/>.
/// </summary>
[GenerateSerializer]
public sealed class SiteStatsBook
{
    public static readonly TimeSpan Retention = TimeSpan.FromDays(90);
    private const int FirstRepliesKeptPerBucket = 500;

    [Id(0)] public Dictionary<string, SortedDictionary<long, Bucket>> BySituation { get; set; } = [];

    [GenerateSerializer]
    public sealed class Bucket
    {
        [Id(0)] public string? RuleId { get; set; }
        [Id(1)] public int Shown { get; set; }
        [Id(2)] public int Accepted { get; set; }
        [Id(3)] public int Dismissed { get; set; }
        [Id(4)] public int Chats { get; set; }
        [Id(5)] public int Conversions { get; set; }
        [Id(6)] public List<double> FirstReplySeconds { get; set; } = [];
        [Id(7)] public int Missed { get; set; }
    }

    public void Add(StatEvent e)
    {
        var situation = e.Situation ?? e.RuleId ?? "(visitor-initiated)";
        if (!BySituation.TryGetValue(situation, out var buckets)) BySituation[situation] = buckets = [];
        var hour = e.At.ToUnixTimeSeconds() / 3600;
        if (!buckets.TryGetValue(hour, out var b)) buckets[hour] = b = new Bucket();
        b.RuleId ??= e.RuleId;
        switch (e.Kind)
        {
            case StatKind.Shown: b.Shown++; break;
            case StatKind.Accepted: b.Accepted++; break;
            case StatKind.Dismissed: b.Dismissed++; break;
            case StatKind.ChatStarted: b.Chats++; break;
            case StatKind.Conversion: b.Conversions++; break;
            case StatKind.Missed: b.Missed++; break;
            case StatKind.FirstReply when e.Seconds is { } s && b.FirstReplySeconds.Count < FirstRepliesKeptPerBucket:
                b.FirstReplySeconds.Add(s); break;
        }
        var oldest = (e.At - Retention).ToUnixTimeSeconds() / 3600;
        while (buckets.Count > 0 && buckets.Keys.First() < oldest) buckets.Remove(buckets.Keys.First());
    }

    public IReadOnlyList<SituationStats> Query(DateTimeOffset from, DateTimeOffset to)
    {
        long first = from.ToUnixTimeSeconds() / 3600, last = to.ToUnixTimeSeconds() / 3600;
        var result = new List<SituationStats>();
        foreach (var (situation, buckets) in BySituation)
        {
            var inWindow = buckets.Where(kv => kv.Key >= first && kv.Key <= last).Select(kv => kv.Value).ToList();
            if (inWindow.Count == 0) continue;
            var replies = inWindow.SelectMany(b => b.FirstReplySeconds).Order().ToList();
            result.Add(new SituationStats(
                situation, inWindow.Select(b => b.RuleId).FirstOrDefault(r => r is not null),
                inWindow.Sum(b => b.Shown), inWindow.Sum(b => b.Accepted), inWindow.Sum(b => b.Dismissed),
                inWindow.Sum(b => b.Chats), Median(replies), inWindow.Sum(b => b.Conversions), inWindow.Sum(b => b.Missed)));
        }
        return result.OrderBy(s => s.Situation, StringComparer.Ordinal).ToList();
    }

    private static double? Median(List<double> sorted) =>
        sorted.Count == 0 ? null
        : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2]
        : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}
