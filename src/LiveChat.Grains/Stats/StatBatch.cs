namespace LiveChat.Grains;

/// <summary>Identical events (same kind, rule, situation and hour, no duration) summed into one line by a node's aggregator.</summary>
[GenerateSerializer, Immutable]
public sealed record StatCount([property: Id(0)] StatEvent Stat, [property: Id(1)] int Count);

/// <summary>
/// A visitor's stat event with its per-visitor sequence number, kept in the visitor's state until delivered, so one lost
/// with a killed node is sent again when the visitor grain comes back, and the stats grain counts it once.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record SourcedStat([property: Id(0)] string Source, [property: Id(1)] long Seq, [property: Id(2)] StatEvent Stat);

/// <summary>
/// One flush of a node's aggregator: summed counts, the highest sequence each visitor reached in them, and replays
/// (events resent by a visitor grain that came back after its node died) that are counted only if not yet counted.
/// </summary>
[GenerateSerializer]
public sealed record StatBatch(
    [property: Id(0)] Guid BatchId,
    [property: Id(1)] IReadOnlyList<StatCount> Counts,
    [property: Id(2)] IReadOnlyDictionary<string, long> Marks,
    [property: Id(3)] IReadOnlyList<SourcedStat> Replays);
