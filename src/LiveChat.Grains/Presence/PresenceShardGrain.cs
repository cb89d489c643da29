using LiveChat.Contracts;
using Microsoft.Extensions.Options;

namespace LiveChat.Grains;

/// <summary>
/// A shard of a site's presence: summaries with the version that last changed them and the node (lease) that holds the
/// visitor's connection, and recent removals. A node not heard from within <see cref="GrainTimings.PresenceLease"/> is taken to be dead: its
/// visitors are removed like visitors who left (watchers see the removals, counts drop). Real time, not the grains' clock:
/// the leases are renewed by the nodes' outboxes on real time.
/// </summary>
internal sealed class PresenceShardGrain(IOptions<GrainTimings> timings) : Grain, IPresenceShardGrain
{
    private const int MaxListed = 20_000 / PresenceShards.Count * 2;
    private const int MaxRemovals = 5_000;
    private readonly Guid epoch = Guid.NewGuid();
    private readonly Dictionary<string, (VisitorSummary Summary, long Version, string? Owner)> visitors = [];
    private readonly Queue<(string VisitorId, long Version)> removals = new();
    /// <summary>Each node's lease: when it was last heard from (Environment.TickCount64, ms).</summary>
    private readonly Dictionary<string, long> owners = [];
    /// <summary>Leases that ran out here (a lease id is never reused): a grain still reporting for a dead node's connection is not listed again.</summary>
    private readonly Queue<string> dead = new();
    private const int MaxDead = 64;
    private long version;

    public Task Apply(PresenceBatch batch)
    {
        var now = Environment.TickCount64;
        if (batch.Owner is { } owner) owners[owner] = now;
        // Upserts for a dead node's connections (a grain elsewhere still reporting them) are not listed again; a connection
        // node not heard from yet here gets its lease started now, so it runs out if that node never renews it.
        IReadOnlyList<VisitorSummary> upserts = batch.HeldBy is { } holder && dead.Contains(holder) ? [] : batch.Upserts;
        if (batch.HeldBy is { } h && upserts.Count > 0) owners.TryAdd(h, now);
        Expire(now);
        if (upserts.Count == 0 && batch.Removals.Count == 0) return Task.CompletedTask; // a renewal only
        version++;
        var lease = batch.HeldBy ?? batch.Owner;
        foreach (var v in upserts)
            if (visitors.Count < MaxListed || visitors.ContainsKey(v.VisitorId)) visitors[v.VisitorId] = (v, version, lease);
        foreach (var id in batch.Removals) Removed(id);
        return Task.CompletedTask;
    }

    public Task<Guid> Renew(string owner)
    {
        var now = Environment.TickCount64;
        owners[owner] = now;
        Expire(now);
        return Task.FromResult(epoch);
    }

    public Task<PresenceChanges> Changes(Guid readerEpoch, long since)
    {
        Expire(Environment.TickCount64); // no await in here: safe in a read-only call
        // A reader that knows this activation and is not behind the removals we still remember gets a delta.
        var delta = readerEpoch == epoch && since <= version && (removals.Count < MaxRemovals || since >= removals.Peek().Version);
        if (!delta) return Task.FromResult(new PresenceChanges(epoch, version, true, visitors.Values.Select(v => v.Summary).ToList(), []));
        var upserts = visitors.Values.Where(v => v.Version > since).Select(v => v.Summary).ToList();
        var removed = removals.Where(r => r.Version > since).Select(r => r.VisitorId).ToList();
        return Task.FromResult(new PresenceChanges(epoch, version, false, upserts, removed));
    }

    private void Removed(string visitorId)
    {
        if (!visitors.Remove(visitorId)) return;
        removals.Enqueue((visitorId, version));
        if (removals.Count > MaxRemovals) removals.Dequeue();
    }

    /// <summary>Drops the nodes whose lease ran out, and their visitors.</summary>
    private void Expire(long now)
    {
        var lease = (long)timings.Value.PresenceLease.TotalMilliseconds;
        HashSet<string>? expired = null;
        foreach (var (owner, heard) in owners)
            if (now - heard > lease) (expired ??= []).Add(owner);
        if (expired is null) return;
        foreach (var owner in expired)
        {
            owners.Remove(owner);
            dead.Enqueue(owner);
            if (dead.Count > MaxDead) dead.Dequeue();
        }
        var gone = visitors.Where(v => v.Value.Owner is { } o && expired.Contains(o)).Select(v => v.Key).ToList();
        if (gone.Count == 0) return;
        version++;
        foreach (var id in gone) Removed(id);
        Diagnostics.PresenceExpired.Add(gone.Count);
    }
}
