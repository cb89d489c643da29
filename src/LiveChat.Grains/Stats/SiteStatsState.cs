namespace LiveChat.Grains;

/// <summary>What a site's stats grain persists: the figures, and what it needs to count every event exactly once.</summary>
[GenerateSerializer]
public sealed class SiteStatsState
{
    [Id(0)] public SiteStatsBook Book { get; set; } = new();
    /// <summary>Per visitor: the highest event sequence counted, and when (pruned after <see cref="SiteStatsGrain.MarksKept"/>).</summary>
    [Id(1)] public Dictionary<string, StatMark> Marks { get; set; } = [];
    /// <summary>The last batches applied, so an aggregator's retry of a batch that did arrive is not counted twice.</summary>
    [Id(2)] public List<Guid> RecentBatches { get; set; } = [];
}

[GenerateSerializer]
public sealed record StatMark([property: Id(0)] long Seq, [property: Id(1)] DateTimeOffset At);
