using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace LiveChat.Grains;

/// <summary>
/// Sums one site's stat events on this node and sends them to the site's stats grain every few seconds (the Orleans
/// pre-aggregation idiom), so a visitor event costs an in-process call instead of a call into a per-site grain.
/// A failed send keeps the batch (same id) for the next flush; events a killed node never sent are resent by the visitor grains.
/// </summary>
[StatelessWorker(1)]
[Reentrant]
internal sealed class StatsAggregatorGrain(IGrainFactory grains, IOptions<GrainTimings> timings, ILogger<StatsAggregatorGrain> log)
    : Grain, IStatsAggregatorGrain
{
    private const int MaxBuffered = 100_000;

    private readonly Dictionary<StatEvent, int> counts = [];
    private readonly List<StatEvent> singles = []; // first-reply durations are not summable
    private readonly Dictionary<string, long> marks = new(StringComparer.Ordinal);
    private readonly List<SourcedStat> replays = [];
    private StatBatch? unsent;
    private bool scheduled, flushing;
    private int buffered;

    public Task Add(IReadOnlyList<SourcedStat> stats, bool replay)
    {
        foreach (var stat in stats)
        {
            if (replay) { replays.Add(stat); buffered++; }
            else
            {
                Count(stat.Stat);
                if (!marks.TryGetValue(stat.Source, out var seq) || stat.Seq > seq) marks[stat.Source] = stat.Seq;
            }
        }
        Schedule();
        return Task.CompletedTask;
    }

    public Task AddUnsourced(StatEvent stat)
    {
        Count(stat);
        Schedule();
        return Task.CompletedTask;
    }

    public async Task Flush()
    {
        scheduled = false;
        if (flushing) { Schedule(); return; }
        flushing = true;
        try
        {
            var batch = unsent ?? Take();
            if (batch is null) return;
            unsent = batch;
            await grains.GetGrain<ISiteStatsGrain>(this.GetPrimaryKeyString()).Apply(batch);
            unsent = null;
        }
        catch (Exception e)
        {
            log.LogWarning("Stats of {SiteId} not sent yet ({Error}); trying again", this.GetPrimaryKeyString(), e.Message);
        }
        finally { flushing = false; }
        if (unsent is not null || buffered > 0) Schedule();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (unsent is not null || buffered > 0) await Flush();
        if (unsent is not null || buffered > 0) await Flush(); // the buffer taken after a failed retry of the previous batch
    }

    private void Count(StatEvent stat)
    {
        if (buffered >= MaxBuffered) { log.LogError("Stats of {SiteId}: {Max} events waiting; dropping one", this.GetPrimaryKeyString(), MaxBuffered); return; }
        buffered++;
        if (stat.Seconds is not null) { singles.Add(stat); return; }
        var key = stat with { At = new DateTimeOffset(stat.At.UtcTicks - stat.At.UtcTicks % TimeSpan.TicksPerHour, TimeSpan.Zero) };
        counts[key] = counts.GetValueOrDefault(key) + 1;
    }

    private StatBatch? Take()
    {
        if (buffered == 0 && marks.Count == 0) return null;
        var batch = new StatBatch(Guid.NewGuid(),
            [.. counts.Select(c => new StatCount(c.Key, c.Value)), .. singles.Select(s => new StatCount(s, 1))],
            new Dictionary<string, long>(marks), replays.ToList());
        counts.Clear(); singles.Clear(); marks.Clear(); replays.Clear();
        buffered = 0;
        return batch;
    }

    /// <summary>
    /// On a real-time delay rather than a grain timer: grain timers follow the grains' clock, which tests hold still.
    /// The flush goes through the grain's own reference, so it runs as a turn of this activation.
    /// </summary>
    private void Schedule()
    {
        if (scheduled) return;
        scheduled = true;
        var self = this.AsReference<IStatsAggregatorGrain>();
        _ = Task.Delay(timings.Value.StatsFlush, TimeProvider.System)
            .ContinueWith(_ => self.Flush(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap()
            .ContinueWith(t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted);
    }
}
