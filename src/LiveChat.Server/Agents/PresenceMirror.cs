using LiveChat.Contracts;
using LiveChat.Grains;

namespace LiveChat.Server.Agents;

/// <summary>
/// This node's copy of one site's presence, merged from its shards by pulling "changes since" once a tick: the
/// traffic per node is the site's changes per second, whatever the number of events, watchers or nodes.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "a SemaphoreSlim never waited on with a handle holds nothing to dispose; a mirror lives as long as the node")]
internal sealed class PresenceMirror(string siteId)
{
    private readonly Dictionary<string, VisitorSummary> visitors = [];
    private readonly (Guid Epoch, long Version)[] seen = new (Guid, long)[PresenceShards.Count];
    private readonly SemaphoreSlim refreshing = new(1, 1);

    public string SiteId => siteId;

    /// <summary>Bumped whenever a refresh changed something, so views are recomputed only then.</summary>
    public long Changes { get; private set; }
    public bool Loaded { get; private set; }

    public IReadOnlyCollection<VisitorSummary> Visitors => visitors.Values;

    public async Task Refresh(IGrainFactory grains)
    {
        await refreshing.WaitAsync();
        try
        {
            var answers = await Task.WhenAll(Enumerable.Range(0, PresenceShards.Count).Select(i =>
                grains.GetGrain<IPresenceShardGrain>(PresenceShards.Key(siteId, i)).Changes(seen[i].Epoch, seen[i].Version)));
            lock (visitors)
            {
                for (var i = 0; i < answers.Length; i++)
                {
                    var a = answers[i];
                    if (a.Reset)
                    {
                        foreach (var id in visitors.Where(v => PresenceShards.Of(v.Key) == i).Select(v => v.Key).ToList()) visitors.Remove(id);
                        Changes++;
                    }
                    foreach (var id in a.Removals) if (visitors.Remove(id)) Changes++;
                    foreach (var v in a.Upserts) { visitors[v.VisitorId] = v; Changes++; }
                    seen[i] = (a.Epoch, a.Version);
                }
                Loaded = true;
            }
        }
        finally { refreshing.Release(); }
    }

    public List<VisitorSummary> Copy() { lock (visitors) return visitors.Values.ToList(); }
}
