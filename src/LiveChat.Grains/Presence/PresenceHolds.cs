using Microsoft.Extensions.Logging;

namespace LiveChat.Grains;

/// <summary>
/// The visitors whose connections this node holds, by presence shard: the node whose lease keeps a visitor in the live
/// list is the one holding the visitor's socket, wherever the visitor's grain lives. The hub adds and removes
/// connections (never per event); the <see cref="PresenceOutbox"/> renews this node's lease on the shards listed here,
/// and asks these visitors' grains to report again when a shard restarted empty or a node died (<see cref="Reattach"/>).
/// One small entry per connected visitor.
/// </summary>
public sealed class PresenceHolds(IGrainFactory grains, ILogger<PresenceHolds> log)
{
    /// <summary>How many grains one re-report calls at a time: 20,000 visitors are re-reported in bounded bursts.</summary>
    private const int ReattachParallelism = 32;

    /// <summary>This process's lease on the presence entries of the visitors it holds: new with every start, so a restarted node never renews a dead one's.</summary>
    public string Owner { get; } = Guid.NewGuid().ToString("N");

    /// <summary>(siteId, shard) → "siteId/visitorId" → the visitor's connection ids on this node; guarded by itself.</summary>
    private readonly Dictionary<(string SiteId, int Shard), Dictionary<string, string[]>> held = [];

    /// <summary>Called on every new hold: the outbox starts its renewal loop (once).</summary>
    internal Action? Holding { get; set; }

    public void Add(string visitorKey, string connectionId)
    {
        var shard = ShardOf(visitorKey);
        lock (held)
        {
            if (!held.TryGetValue(shard, out var visitors)) held[shard] = visitors = [];
            visitors[visitorKey] = visitors.TryGetValue(visitorKey, out var ids) ? (ids.Contains(connectionId) ? ids : [.. ids, connectionId]) : [connectionId];
        }
        Holding?.Invoke();
    }

    public void Remove(string visitorKey, string connectionId)
    {
        var shard = ShardOf(visitorKey);
        lock (held)
        {
            if (!held.TryGetValue(shard, out var visitors) || !visitors.TryGetValue(visitorKey, out var ids)) return;
            var rest = ids.Where(id => id != connectionId).ToArray();
            if (rest.Length > 0) visitors[visitorKey] = rest;
            else if (visitors.Remove(visitorKey) && visitors.Count == 0) held.Remove(shard);
        }
    }

    public bool Holds(string visitorKey, string connectionId)
    {
        lock (held) return held.TryGetValue(ShardOf(visitorKey), out var visitors) && visitors.TryGetValue(visitorKey, out var ids) && ids.Contains(connectionId);
    }

    /// <summary>The shards this node holds visitors in: the ones whose lease it must renew.</summary>
    public List<(string SiteId, int Shard)> Shards() { lock (held) return [.. held.Keys]; }

    public int Count(string siteId, int shard) { lock (held) return held.TryGetValue((siteId, shard), out var v) ? v.Count : 0; }

    /// <summary>
    /// Asks every visitor this node holds in these shards (all, when null) to report their presence again, tagged with this
    /// node's lease, with the connections this node holds for them (a grain that was lost with a dead node's directory
    /// comes back not knowing them). A tab that closed meanwhile is told to its grain again, so it is never kept.
    /// </summary>
    public async Task Reattach(IReadOnlyCollection<(string SiteId, int Shard)>? shards = null)
    {
        List<KeyValuePair<string, string[]>> visitors;
        lock (held) visitors = [.. held.Where(s => shards is null || shards.Contains(s.Key)).SelectMany(s => s.Value)];
        if (visitors.Count == 0) return;
        log.LogInformation("Re-reporting the presence of {Count} visitors held by this node", visitors.Count);
        Diagnostics.PresenceReattached.Add(visitors.Count);
        await Parallel.ForEachAsync(visitors, new ParallelOptions { MaxDegreeOfParallelism = ReattachParallelism }, async (v, _) =>
        {
            try
            {
                var grain = grains.GetGrain<IVisitorGrain>(v.Key);
                await grain.Reattach(v.Value, Owner);
                foreach (var id in v.Value) if (!Holds(v.Key, id)) await grain.Disconnected(id);
            }
            catch (Exception e) { log.LogWarning(e, "Could not re-report {Visitor}; it reports again on its next event", v.Key); }
        });
    }

    private static (string SiteId, int Shard) ShardOf(string visitorKey)
    {
        var (siteId, visitorId) = Keys.Split(visitorKey);
        return (siteId, PresenceShards.Of(visitorId));
    }
}
