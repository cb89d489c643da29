namespace LiveChat.Grains;

/// <summary>A site's per-situation figures (its <see cref="SiteStatsBook"/>), fed by the nodes' aggregators. Key: siteId.</summary>
public interface ISiteStatsGrain : IGrainWithStringKey
{
    /// <summary>Counts a batch once (a batch id seen before is ignored) and stores it before answering.</summary>
    Task Apply(StatBatch batch);
    [ReadOnly] Task<IReadOnlyList<SituationStats>> Query(DateTimeOffset from, DateTimeOffset to);
    /// <summary>Per situation and satisfaction per agent (the stats endpoints).</summary>
    [ReadOnly] Task<StatsReport> Report(DateTimeOffset from, DateTimeOffset to);
    /// <summary>Takes over the figures an older version kept in the site grain (only while this book is still empty).</summary>
    Task Import(SiteStatsBook book);
}

/// <summary>
/// A node's pre-aggregator of one site's stat events: visitor events call it in-process (a stateless worker is always
/// local) and it sends the sums to <see cref="ISiteStatsGrain"/> every <see cref="GrainTimings.StatsFlush"/>. Key: siteId.
/// </summary>
public interface IStatsAggregatorGrain : IGrainWithStringKey
{
    /// <summary>
    /// A visitor's events from one state write, in one call (<paramref name="replay"/>: resent after its node died,
    /// counted only if not yet counted).
    /// </summary>
    [OneWay] Task Add(IReadOnlyList<SourcedStat> stats, bool replay);
    /// <summary>An event without a visitor sequence (conversations' chat-started and first-reply figures).</summary>
    [OneWay] Task AddUnsourced(StatEvent stat);
    Task Flush();
}
