using LiveChat.Contracts;

namespace LiveChat.Grains;

/// <summary>A shard of a site's presence: summaries with the version that last changed them, and recent removals.</summary>
internal sealed class PresenceShardGrain : Grain, IPresenceShardGrain
{
    private const int MaxListed = 20_000 / PresenceShards.Count * 2;
    private const int MaxRemovals = 5_000;
    private readonly Guid epoch = Guid.NewGuid();
    private readonly Dictionary<string, (VisitorSummary Summary, long Version)> visitors = [];
    private readonly Queue<(string VisitorId, long Version)> removals = new();
    private long version;

    public Task Apply(PresenceBatch batch)
    {
        version++;
        foreach (var v in batch.Upserts)
            if (visitors.Count < MaxListed || visitors.ContainsKey(v.VisitorId)) visitors[v.VisitorId] = (v, version);
        foreach (var id in batch.Removals)
        {
            if (!visitors.Remove(id)) continue;
            removals.Enqueue((id, version));
            if (removals.Count > MaxRemovals) removals.Dequeue();
        }
        return Task.CompletedTask;
    }

    public Task<PresenceChanges> Changes(Guid readerEpoch, long since)
    {
        // A reader that knows this activation and is not behind the removals we still remember gets a delta.
        var delta = readerEpoch == epoch && since <= version && (removals.Count < MaxRemovals || since >= removals.Peek().Version);
        if (!delta) return Task.FromResult(new PresenceChanges(epoch, version, true, visitors.Values.Select(v => v.Summary).ToList(), []));
        var upserts = visitors.Values.Where(v => v.Version > since).Select(v => v.Summary).ToList();
        var removed = removals.Where(r => r.Version > since).Select(r => r.VisitorId).ToList();
        return Task.FromResult(new PresenceChanges(epoch, version, false, upserts, removed));
    }
}
