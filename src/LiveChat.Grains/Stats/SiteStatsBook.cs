using LiveChat.Contracts;
using LiveChat.Engagement;

namespace LiveChat.Grains;

/// <summary>
/// Per-situation counters in hourly buckets, so a stats query over any window is a sum over buckets,
/// never a scan of raw events. Old buckets are dropped after <see cref="Retention"/>.
/// </summary>
[GenerateSerializer]
public sealed class SiteStatsBook
{
    public static readonly TimeSpan Retention = TimeSpan.FromDays(90);
    public const string VisitorInitiated = "(visitor-initiated)";
    private const int SamplesKeptPerBucket = 500;

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
        [Id(7)] public int Invited { get; set; }
        [Id(8)] public int HeldOut { get; set; }
        [Id(9)] public int ConversionsInvited { get; set; }
        [Id(10)] public int ConversionsHeldOut { get; set; }
        [Id(11)] public Dictionary<int, VariantTally> Variants { get; set; } = [];
        [Id(12)] public RatingTally Ratings { get; set; } = new();
        [Id(13)] public Dictionary<string, RatingTally> RatingsByAgent { get; set; } = [];
        [Id(14)] public Dictionary<string, int> Channels { get; set; } = [];
        [Id(15)] public Dictionary<string, List<double>> ResolutionSeconds { get; set; } = [];
        [Id(16)] public int Contacts { get; set; }
        [Id(17)] public int RepeatContacts { get; set; }
        [Id(18)] public int Missed { get; set; }
    }

    [GenerateSerializer]
    public sealed class VariantTally
    {
        [Id(0)] public int Invited { get; set; }
        [Id(1)] public int Shown { get; set; }
        [Id(2)] public int Accepted { get; set; }
        [Id(3)] public int Conversions { get; set; }
    }

    [GenerateSerializer]
    public sealed class RatingTally
    {
        [Id(0)] public int Responses { get; set; }
        [Id(1)] public int Sum { get; set; }
        /// <summary>Scores of 4 or 5.</summary>
        [Id(2)] public int Satisfied { get; set; }

        public void Add(int score)
        {
            Responses++;
            Sum += score;
            if (score >= 4) Satisfied++;
        }

        public void Add(RatingTally other)
        {
            Responses += other.Responses;
            Sum += other.Sum;
            Satisfied += other.Satisfied;
        }
    }

    public void Add(StatEvent e)
    {
        var situation = e.Situation ?? e.RuleId ?? VisitorInitiated;
        if (!BySituation.TryGetValue(situation, out var buckets)) BySituation[situation] = buckets = [];
        var hour = e.At.ToUnixTimeSeconds() / 3600;
        if (!buckets.TryGetValue(hour, out var b)) buckets[hour] = b = new Bucket();
        b.RuleId ??= e.RuleId;
        switch (e.Kind)
        {
            case StatKind.Shown: b.Shown++; if (Variant(b, e) is { } vShown) vShown.Shown++; break;
            case StatKind.Accepted: b.Accepted++; if (Variant(b, e) is { } vAccepted) vAccepted.Accepted++; break;
            case StatKind.Dismissed: b.Dismissed++; break;
            case StatKind.ChatStarted: b.Chats++; break;
            case StatKind.Conversion: b.Conversions++; break;
            case StatKind.Missed: b.Missed++; break;
            case StatKind.FirstReply when e.Seconds is { } s && b.FirstReplySeconds.Count < SamplesKeptPerBucket:
                b.FirstReplySeconds.Add(s); break;
            case StatKind.Invited: b.Invited++; if (Variant(b, e) is { } vInvited) vInvited.Invited++; break;
            case StatKind.HeldOut: b.HeldOut++; break;
            case StatKind.ConversionInvited: b.ConversionsInvited++; if (Variant(b, e) is { } vConversions) vConversions.Conversions++; break;
            case StatKind.ConversionHeldOut: b.ConversionsHeldOut++; break;
            case StatKind.Rated when e.Score is { } score and >= RateRequest.MinScore and <= RateRequest.MaxScore:
                b.Ratings.Add(score);
                if (e.AgentId is { } agent)
                {
                    if (!b.RatingsByAgent.TryGetValue(agent, out var tally)) b.RatingsByAgent[agent] = tally = new RatingTally();
                    tally.Add(score);
                }
                break;
            case StatKind.Contact when e.Channel is { } channel:
                b.Contacts++;
                b.Channels[channel] = b.Channels.GetValueOrDefault(channel) + 1;
                break;
            case StatKind.RepeatContact: b.RepeatContacts++; break;
            case StatKind.Resolved when e.Channel is { } channel && e.Seconds is { } s:
                if (!b.ResolutionSeconds.TryGetValue(channel, out var samples)) b.ResolutionSeconds[channel] = samples = [];
                if (samples.Count < SamplesKeptPerBucket) samples.Add(s);
                break;
        }
        var oldest = (e.At - Retention).ToUnixTimeSeconds() / 3600;
        while (buckets.Count > 0 && buckets.Keys.First() < oldest) buckets.Remove(buckets.Keys.First());
    }

    /// <summary>Variants are numbered 0–2 (rules allow at most 3); anything else is not a variant.</summary>
    private static VariantTally? Variant(Bucket b, StatEvent e)
    {
        if (e.Variant is not { } index || index is < 0 or >= RuleValidator.MaxVariants) return null;
        if (!b.Variants.TryGetValue(index, out var tally)) b.Variants[index] = tally = new VariantTally();
        return tally;
    }

    public IReadOnlyList<SituationStats> Query(DateTimeOffset from, DateTimeOffset to) => Report(from, to).Situations;

    public StatsReport Report(DateTimeOffset from, DateTimeOffset to)
    {
        long first = from.ToUnixTimeSeconds() / 3600, last = to.ToUnixTimeSeconds() / 3600;
        var result = new List<SituationStats>();
        var byAgent = new Dictionary<string, RatingTally>(StringComparer.Ordinal);
        foreach (var (situation, buckets) in BySituation)
        {
            var inWindow = buckets.Where(kv => kv.Key >= first && kv.Key <= last).Select(kv => kv.Value).ToList();
            if (inWindow.Count == 0) continue;
            foreach (var (agent, tally) in inWindow.SelectMany(b => b.RatingsByAgent))
            {
                if (!byAgent.TryGetValue(agent, out var sum)) byAgent[agent] = sum = new RatingTally();
                sum.Add(tally);
            }
            result.Add(Situation(situation, inWindow));
        }
        var agents = byAgent.Select(kv => new AgentSatisfaction(kv.Key, kv.Value.Responses, Average(kv.Value), Share(kv.Value)))
            .OrderBy(a => a.AgentId, StringComparer.Ordinal).ToList();
        return new StatsReport(result.OrderBy(s => s.Situation, StringComparer.Ordinal).ToList(), agents);
    }

    private static SituationStats Situation(string situation, List<Bucket> inWindow)
    {
        var replies = inWindow.SelectMany(b => b.FirstReplySeconds).Order().ToList();
        int invited = inWindow.Sum(b => b.Invited), heldOut = inWindow.Sum(b => b.HeldOut);
        int conversionsInvited = inWindow.Sum(b => b.ConversionsInvited), conversionsHeldOut = inWindow.Sum(b => b.ConversionsHeldOut);
        var uplift = Uplift.Estimate(invited, conversionsInvited, heldOut, conversionsHeldOut) is { } u ? new UpliftView(u.Value, u.Low, u.High) : null;
        var variants = inWindow.SelectMany(b => b.Variants).GroupBy(kv => kv.Key).OrderBy(g => g.Key)
            .Select(g => new VariantStats(g.Key, g.Sum(kv => kv.Value.Invited), g.Sum(kv => kv.Value.Shown), g.Sum(kv => kv.Value.Accepted), g.Sum(kv => kv.Value.Conversions)))
            .ToList();
        var ratings = new RatingTally();
        foreach (var b in inWindow) ratings.Add(b.Ratings);
        var channels = ContactChannels.All.ToDictionary(c => c, c => inWindow.Sum(b => b.Channels.GetValueOrDefault(c)));
        var resolution = inWindow.SelectMany(b => b.ResolutionSeconds).GroupBy(kv => kv.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => Median(g.SelectMany(kv => kv.Value).Order().ToList())!.Value, StringComparer.Ordinal);
        int contacts = inWindow.Sum(b => b.Contacts), repeats = inWindow.Sum(b => b.RepeatContacts);
        return new SituationStats(
            situation, inWindow.Select(b => b.RuleId).FirstOrDefault(r => r is not null),
            inWindow.Sum(b => b.Shown), inWindow.Sum(b => b.Accepted), inWindow.Sum(b => b.Dismissed),
            inWindow.Sum(b => b.Chats), Median(replies), inWindow.Sum(b => b.Conversions),
            invited, heldOut, conversionsInvited, conversionsHeldOut, uplift, variants,
            new SatisfactionStats(ratings.Responses, Average(ratings), Share(ratings)),
            channels, resolution, contacts, repeats, contacts == 0 ? null : Math.Min(1.0, (double)repeats / contacts), inWindow.Sum(b => b.Missed));
    }

    private static double? Average(RatingTally t) => t.Responses == 0 ? null : (double)t.Sum / t.Responses;
    private static double? Share(RatingTally t) => t.Responses == 0 ? null : (double)t.Satisfied / t.Responses;

    private static double? Median(List<double> sorted) =>
        sorted.Count == 0 ? null
        : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2]
        : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}
