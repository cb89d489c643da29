namespace LiveChat.Grains;

/// <summary>
/// A visitor's stat events on their way to the site's figures: numbered and kept in the visitor's state (written with
/// the change that caused them), sent to this node's <see cref="IStatsAggregatorGrain"/> once written, and sent again
/// when the grain comes back after its node died. The stats grain counts each (visitor, number) once.
/// </summary>
internal sealed class StatOutbox(IGrainFactory grains, string siteId, string source)
{
    /// <summary>An event older than this was sent long enough ago to have been counted (aggregators flush every few seconds).</summary>
    public static readonly TimeSpan Kept = TimeSpan.FromSeconds(60);
    private const int MaxKept = 20;
    private readonly List<SourcedStat> unsent = [];

    private IStatsAggregatorGrain? aggregator;
    private IStatsAggregatorGrain Aggregator => aggregator ??= grains.Shared<IStatsAggregatorGrain>(siteId);

    /// <summary>Queues an event; it is sent by <see cref="Send"/> after the state that holds it is written.</summary>
    public void Add(VisitorState s, StatEvent stat)
    {
        s.StatSeq++;
        s.Outbox.Add(PendingStat.Of(s.StatSeq, stat));
        unsent.Add(new SourcedStat(source, s.StatSeq, stat));
    }

    /// <summary>Before a write: the state keeps only what may not have been counted yet (small and bounded).</summary>
    public static void Prune(VisitorState s, DateTimeOffset now)
    {
        s.Outbox.RemoveAll(e => now - e.At > Kept);
        if (s.Outbox.Count > MaxKept) s.Outbox.RemoveRange(0, s.Outbox.Count - MaxKept);
    }

    /// <summary>One call for all of a write's events (an invitation shown is two: invited and shown).</summary>
    public void Send()
    {
        if (unsent.Count == 0) return;
        Aggregator.Add([.. unsent], replay: false).Ignore();
        unsent.Clear();
    }

    /// <summary>On activation: what the state still holds may have died with the node's aggregator; the stats grain skips what it counted.</summary>
    public void Replay(VisitorState s, DateTimeOffset now)
    {
        var replays = new List<SourcedStat>();
        foreach (var e in s.Outbox)
            if (now - e.At < SiteStatsGrain.MarksKept - TimeSpan.FromMinutes(10))
                replays.Add(new SourcedStat(source, e.Seq, e.ToEvent()));
        if (replays.Count > 0) Aggregator.Add(replays, replay: true).Ignore();
    }
}
