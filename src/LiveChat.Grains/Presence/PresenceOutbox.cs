using System.Collections.Concurrent;
using LiveChat.Contracts;
using Microsoft.Extensions.Logging;

namespace LiveChat.Grains;

/// <summary>
/// This silo's pre-aggregate of visitor presence (in the spirit of GPSTracker's PushNotifierGrain): a visitor event
/// costs one dictionary write; every <see cref="FlushEvery"/> the latest state per visitor goes to the site's shards,
/// one call per shard, the next flush waiting for the one in flight so a visitor's upsert and removal stay in order.
/// Every batch carries this process's lease id, and each upsert the lease of the node holding the visitor's connection
/// (given by its grain). Every third of <see cref="GrainTimings.PresenceLease"/> the shards this node holds visitors in
/// (<see cref="PresenceHolds"/>) or has fed hear from it, so when a node dies the visitors it held leave the list once
/// its lease runs out, and nobody else's. A renewal answers the shard's epoch: a shard that restarted empty (it lived on
/// a node that died) gets this node's visitors re-reported. With nothing pending the loop sleeps until the next event or
/// renewal, so an idle node is not woken four times a second (issue 16).
/// </summary>
public sealed class PresenceOutbox(IGrainFactory grains, PresenceHolds holds, Microsoft.Extensions.Options.IOptions<GrainTimings> timings, ILogger<PresenceOutbox> log)
    : Microsoft.Extensions.Hosting.IHostedService, IAsyncDisposable
{
    public static readonly TimeSpan FlushEvery = TimeSpan.FromMilliseconds(250);
    /// <summary>A renewal not answered by then is retried next round; the loop's flushes do not wait on a dying node.</summary>
    private static readonly TimeSpan RenewTimeout = TimeSpan.FromSeconds(2);

    /// <summary>This process's lease on the entries it sends and holds: new with every start, so a restarted node never renews a dead one's.</summary>
    public string Owner => holds.Owner;

    /// <summary>The shards this node has sent entries to (siteId, shard): the ones whose lease it renews.</summary>
    private readonly ConcurrentDictionary<(string SiteId, int Shard), byte> fed = new();
    /// <summary>Each renewed shard's epoch as last answered: a new one means the shard restarted empty.</summary>
    private readonly ConcurrentDictionary<(string SiteId, int Shard), Guid> epochs = new();
    private long renewedAt = Environment.TickCount64;
    private Task reattaching = Task.CompletedTask;

    /// <summary>Pending state per visitor: a summary (with the lease of the node holding its connection), or null for "left".</summary>
    private readonly ConcurrentDictionary<(string SiteId, string VisitorId), (VisitorSummary? Summary, string? HeldBy)> pending = new();
    private readonly CancellationTokenSource stop = new();
    private readonly SemaphoreSlim flushing = new(1, 1);
    private Task? loop;
    /// <summary>The loop sleeps on it while nothing is pending; an event or a new hold sets it.</summary>
    private readonly WakeUp wakeUp = new();

    /// <param name="heldBy">The lease of the node holding the visitor's connection, when the grain knows it; this node's otherwise.</param>
    public void Upsert(VisitorSummary visitor, string? heldBy = null) { pending[(visitor.SiteId, visitor.VisitorId)] = (visitor, heldBy); EnsureRunning(); }

    public void Remove(string siteId, string visitorId) { pending[(siteId, visitorId)] = (null, null); EnsureRunning(); }

    /// <summary>Sends what is pending now (tests and shutdown; the timer does it otherwise).</summary>
    public async Task Flush()
    {
        await flushing.WaitAsync();
        try
        {
            if (pending.IsEmpty) return;
            // Taken key by key: a write that races with the flush stays pending for the next one, never lost.
            // One call per shard and connection node: nearly always one node (a visitor's grain sits next to its socket).
            var calls = new Dictionary<(string SiteId, int Shard, string? HeldBy), (List<VisitorSummary> Upserts, List<string> Removals)>();
            foreach (var entry in pending)
            {
                if (!pending.TryRemove(entry.Key, out var value)) continue;
                var (siteId, visitorId) = entry.Key;
                var call = (siteId, PresenceShards.Of(visitorId), value.HeldBy == Owner ? null : value.HeldBy);
                if (!calls.TryGetValue(call, out var lists)) calls[call] = lists = ([], []);
                if (value.Summary is { } summary) lists.Upserts.Add(summary);
                else lists.Removals.Add(visitorId);
            }
            await Task.WhenAll(calls.Select(c =>
            {
                fed.TryAdd((c.Key.SiteId, c.Key.Shard), 0);
                return grains.GetGrain<IPresenceShardGrain>(PresenceShards.Key(c.Key.SiteId, c.Key.Shard))
                    .Apply(new PresenceBatch(c.Value.Upserts, c.Value.Removals, Owner, c.Key.HeldBy));
            }));
        }
        finally { flushing.Release(); }
    }

    /// <summary>
    /// Tells every shard this node holds visitors in or has fed that it is alive, every third of the lease (a shard it
    /// has just begun to hold visitors in, at once, to learn its epoch); re-reports the visitors it holds in a shard whose
    /// epoch changed. Returns once the renewals are answered; the re-report runs on (one at a time).
    /// </summary>
    public async Task RenewIfDue()
    {
        var now = Environment.TickCount64;
        var due = now - renewedAt >= RenewEveryMs;
        var held = holds.Shards();
        var shards = due ? held.Concat(fed.Keys).Distinct().ToList() : held.Where(k => !epochs.ContainsKey(k)).ToList();
        if (shards.Count == 0) { if (due) renewedAt = now; return; }
        // Each shard on its own: one that cannot answer now (its node is dying) neither holds up nor fails the others.
        var answers = await Task.WhenAll(shards.Select(async k =>
        {
            try { return (Guid?)await grains.GetGrain<IPresenceShardGrain>(PresenceShards.Key(k.SiteId, k.Shard)).Renew(Owner).WaitAsync(RenewTimeout); }
            catch (Exception e)
            {
                log.LogDebug(e, "Presence lease renewal on {Shard} failed; retried on the next round", PresenceShards.Key(k.SiteId, k.Shard));
                return null;
            }
        }));
        if (due) renewedAt = now;
        var restarted = new List<(string SiteId, int Shard)>();
        for (var i = 0; i < shards.Count; i++)
        {
            if (answers[i] is not { } answer) continue;
            if (epochs.TryGetValue(shards[i], out var before) && before != answer)
            {
                // One re-report at a time: while one runs, the new epoch is not taken, so the next renewal sees it again.
                if (reattaching.IsCompleted) restarted.Add(shards[i]);
                else continue;
            }
            epochs[shards[i]] = answer;
        }
        if (restarted.Count == 0) return;
        log.LogInformation("Presence shards {Shards} restarted empty; re-reporting the visitors this node holds there", string.Join(", ", restarted.Select(k => PresenceShards.Key(k.SiteId, k.Shard))));
        reattaching = holds.Reattach(restarted);
    }

    private void EnsureRunning()
    {
        wakeUp.Set();
        if (loop is not null || stop.IsCancellationRequested) return;
        lock (stop) loop ??= Task.Run(Run);
    }

    /// <summary>Every <see cref="FlushEvery"/> while events come in; otherwise asleep until the next event or renewal.</summary>
    private async Task Run()
    {
        try
        {
            while (true)
            {
                await Task.Delay(FlushEvery, stop.Token);
                try { await Flush(); }
                catch (Exception e) when (e is not OperationCanceledException) { log.LogWarning(e, "Presence flush failed; visitors re-report on their next event"); }
                try { await RenewIfDue(); }
                catch (Exception e) when (e is not OperationCanceledException) { log.LogWarning(e, "Presence lease renewal failed; retried on the next tick"); }
                await wakeUp.SleepUnless(() => !pending.IsEmpty, UntilRenewal(), stop.Token);
            }
        }
        catch (OperationCanceledException) { }
    }

    /// <summary>A third of the lease: how often the shards this node holds visitors in or has fed hear from it.</summary>
    private double RenewEveryMs => timings.Value.PresenceLease.TotalMilliseconds / 3;

    /// <summary>How long the idle loop may sleep: until the next renewal, or for good while it neither holds nor has fed a shard.</summary>
    private TimeSpan UntilRenewal() => !fed.IsEmpty || holds.Shards().Count > 0
        ? TimeSpan.FromMilliseconds(Math.Max(0, renewedAt + RenewEveryMs - Environment.TickCount64))
        : Timeout.InfiniteTimeSpan;

    /// <summary>A node that holds connections renews its lease even if no visitor's grain lives here (so nothing is flushed from here).</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        holds.Holding = EnsureRunning;
        return Task.CompletedTask;
    }

    /// <summary>Registered after the silo, so it stops first: the loop ends while the shards can still be called.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (stop.IsCancellationRequested) return;
        await stop.CancelAsync();
        if (loop is not null) await loop;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(default);
        stop.Dispose();
    }
}
