using System.Collections.Concurrent;
using LiveChat.Contracts;
using Microsoft.Extensions.Logging;

namespace LiveChat.Grains;

/// <summary>
/// This silo's pre-aggregate of visitor presence (in the spirit of GPSTracker's PushNotifierGrain): a visitor event
/// costs one dictionary write; every <see cref="FlushEvery"/> the latest state per visitor goes to the site's shards,
/// one call per shard, the next flush waiting for the one in flight so a visitor's upsert and removal stay in order.
/// Every batch carries this process's lease id; every third of <see cref="GrainTimings.PresenceLease"/> the shards it
/// has fed hear from it (an empty batch), so when this node dies its visitors leave the list once the lease runs out.
/// </summary>
public sealed class PresenceOutbox(IGrainFactory grains, Microsoft.Extensions.Options.IOptions<GrainTimings> timings, ILogger<PresenceOutbox> log)
    : Microsoft.Extensions.Hosting.IHostedService, IAsyncDisposable
{
    public static readonly TimeSpan FlushEvery = TimeSpan.FromMilliseconds(250);

    /// <summary>This process's lease on the entries it sends: new with every start, so a restarted node never renews a dead one's.</summary>
    public string Owner { get; } = Guid.NewGuid().ToString("N");

    /// <summary>The shards this node has sent entries to (siteId, shard): the ones whose lease it renews.</summary>
    private readonly ConcurrentDictionary<(string SiteId, int Shard), byte> fed = new();
    private long renewedAt = Environment.TickCount64;

    /// <summary>Pending state per "siteId/visitorId": a summary, or null for "left".</summary>
    private readonly ConcurrentDictionary<string, VisitorSummary?> pending = new();
    private readonly CancellationTokenSource stop = new();
    private readonly SemaphoreSlim flushing = new(1, 1);
    private Task? loop;

    public void Upsert(VisitorSummary visitor) { pending[Keys.Of(visitor.SiteId, visitor.VisitorId)] = visitor; EnsureRunning(); }

    public void Remove(string siteId, string visitorId) { pending[Keys.Of(siteId, visitorId)] = null; EnsureRunning(); }

    /// <summary>Sends what is pending now (tests and shutdown; the timer does it otherwise).</summary>
    public async Task Flush()
    {
        await flushing.WaitAsync();
        try
        {
            if (pending.IsEmpty) return;
            // Taken key by key: a write that races with the flush stays pending for the next one, never lost.
            var batch = new List<KeyValuePair<string, VisitorSummary?>>(pending.Count);
            foreach (var key in pending.Keys)
                if (pending.TryRemove(key, out var value)) batch.Add(new(key, value));
            var calls = batch
                .GroupBy(p => (Site: Keys.Split(p.Key).SiteId, Shard: PresenceShards.Of(Keys.Split(p.Key).Id)))
                .Select(g =>
                {
                    fed.TryAdd(g.Key, 0);
                    return grains.GetGrain<IPresenceShardGrain>(PresenceShards.Key(g.Key.Site, g.Key.Shard)).Apply(new PresenceBatch(
                        g.Where(p => p.Value is not null).Select(p => p.Value!).ToList(),
                        g.Where(p => p.Value is null).Select(p => Keys.Split(p.Key).Id).ToList(), Owner));
                });
            await Task.WhenAll(calls);
        }
        finally { flushing.Release(); }
    }

    /// <summary>Tells every shard this node has fed that it is alive, every third of the lease.</summary>
    public async Task RenewIfDue()
    {
        var now = Environment.TickCount64;
        if (now - renewedAt < timings.Value.PresenceLease.TotalMilliseconds / 3) return;
        var renewal = new PresenceBatch([], [], Owner);
        await Task.WhenAll(fed.Keys.Select(k => grains.GetGrain<IPresenceShardGrain>(PresenceShards.Key(k.SiteId, k.Shard)).Apply(renewal)));
        renewedAt = now;
    }

    private void EnsureRunning()
    {
        if (loop is not null || stop.IsCancellationRequested) return;
        lock (stop) loop ??= Task.Run(Run);
    }

    private async Task Run()
    {
        using var timer = new PeriodicTimer(FlushEvery);
        try
        {
            while (await timer.WaitForNextTickAsync(stop.Token))
            {
                try { await Flush(); }
                catch (Exception e) when (e is not OperationCanceledException) { log.LogWarning(e, "Presence flush failed; visitors re-report on their next event"); }
                try { await RenewIfDue(); }
                catch (Exception e) when (e is not OperationCanceledException) { log.LogWarning(e, "Presence lease renewal failed; retried on the next tick"); }
            }
        }
        catch (OperationCanceledException) { }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

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
