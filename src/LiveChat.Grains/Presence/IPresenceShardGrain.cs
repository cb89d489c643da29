using LiveChat.Contracts;

namespace LiveChat.Grains;

/// <summary>
/// One slice of who is on a site right now, by a hash of the visitor id, so no single grain takes every visitor event
/// of a busy site. Fed in batches by each silo's <see cref="PresenceOutbox"/>; read as "what changed since version N"
/// by each node's list of watching agents. Volatile by design: visitors re-report on their next event. Key: siteId/shard.
/// </summary>
public interface IPresenceShardGrain : IGrainWithStringKey
{
    Task Apply(PresenceBatch batch);
    /// <summary>
    /// The node <paramref name="owner"/> is alive: its lease on the entries it holds is renewed. Answers this activation's
    /// epoch: a node that sees it change knows the shard restarted empty and re-reports the visitors it holds.
    /// </summary>
    Task<Guid> Renew(string owner);
    [ReadOnly] Task<PresenceChanges> Changes(Guid epoch, long since);
}

/// <summary>
/// Latest state per visitor since the last flush; a visitor who left is in Removals only. <c>Owner</c> is the sending
/// node's lease (one id per process), renewed by the batch. <c>HeldBy</c> is the lease of the node holding these
/// visitors' connections (when it is not the sender: the visitor's grain may live on another node than its socket);
/// the upserts are kept on that lease, or on <c>Owner</c>'s without it. Entries stay while their lease is heard from
/// within <see cref="GrainTimings.PresenceLease"/> (<see cref="IPresenceShardGrain.Renew"/> or an empty batch renews
/// it), and leave the list when it runs out. A batch without either is never expired.
/// </summary>
[GenerateSerializer, Immutable] // built fresh per flush and never changed after: no deep copy per call within a silo
public sealed record PresenceBatch(IReadOnlyList<VisitorSummary> Upserts, IReadOnlyList<string> Removals, string? Owner = null, string? HeldBy = null);

/// <summary>
/// The shard's changes after <c>since</c>; Reset when the reader's epoch or version is unknown to this activation
/// (first read, shard restarted, too far behind): then Upserts is the whole shard and the reader drops what it had.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record PresenceChanges(Guid Epoch, long Version, bool Reset, IReadOnlyList<VisitorSummary> Upserts, IReadOnlyList<string> Removals);

public static class PresenceShards
{
    public const int Count = 8;

    public static string Key(string siteId, int shard) => Keys.Of(siteId, shard.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>FNV-1a: stable across processes (string.GetHashCode is not), so every silo files a visitor in the same shard.</summary>
    public static int Of(string visitorId)
    {
        var hash = 2166136261u;
        foreach (var c in visitorId) hash = (hash ^ c) * 16777619u;
        return (int)(hash % Count);
    }

    /// <summary>
    /// Everyone on the site now, merged from all shards (for site-wide work such as announcing a notice). This silo's
    /// pending batch is sent first; other silos' (≤ <see cref="PresenceOutbox.FlushEvery"/> old) are the caller's race to cover.
    /// </summary>
    public static async Task<IReadOnlyList<VisitorSummary>> Snapshot(IGrainFactory grains, string siteId, PresenceOutbox? local = null)
    {
        if (local is not null) await local.Flush();
        var shards = await Task.WhenAll(Enumerable.Range(0, Count).Select(i => grains.GetGrain<IPresenceShardGrain>(Key(siteId, i)).Changes(Guid.Empty, 0)));
        return shards.SelectMany(s => s.Upserts).ToList();
    }
}
