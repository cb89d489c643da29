using LiveChat.Contracts;
using LiveChat.Grains.Tests.Infrastructure;

namespace LiveChat.Grains.Tests;

/// <summary>
/// The shards of a site's live-visitors list hold each node's entries on a lease (here 1 s, real time): a node that
/// stops renewing (it died) takes its visitors out of the list, as removals a watcher sees; a node that renews keeps its own.
/// </summary>
public sealed class PresenceShardTests(GrainCluster cluster) : IClassFixture<GrainCluster>
{
    private readonly string site = GrainCluster.NewId("site");

    private IPresenceShardGrain Shard => cluster.Grains.GetGrain<IPresenceShardGrain>(PresenceShards.Key(site, 0));

    private VisitorSummary Visitor(string id) =>
        new(site, id, "https://shop.example/p", "P", GrainCluster.Start, 1, 0, 0, false, 1, true, null, null, null, GrainCluster.Start);

    [Fact]
    public async Task ANodeNotHeardFromWithinTheLeaseLeavesTheListWithItsVisitors()
    {
        await Shard.Apply(new PresenceBatch([Visitor("a1"), Visitor("a2")], [], Owner: "node-a"));
        await Shard.Apply(new PresenceBatch([Visitor("b1")], [], Owner: "node-b"));
        await Shard.Apply(new PresenceBatch([Visitor("x1")], [])); // no owner: never expired
        var first = await Shard.Changes(Guid.Empty, 0);
        Assert.Equal(["a1", "a2", "b1", "x1"], first.Upserts.Select(v => v.VisitorId).Order());

        // Node b renews (an empty batch) more often than the lease; node a has gone quiet.
        PresenceChanges? later = null;
        for (var i = 0; i < 50 && later is null; i++)
        {
            await Task.Delay(100);
            await Shard.Apply(new PresenceBatch([], [], Owner: "node-b"));
            var changes = await Shard.Changes(first.Epoch, first.Version);
            if (changes.Removals.Count > 0) later = changes;
        }

        Assert.NotNull(later);
        Assert.False(later.Reset);
        Assert.Equal(["a1", "a2"], later.Removals.Order());
        Assert.Equal(["b1", "x1"], (await Shard.Changes(Guid.Empty, 0)).Upserts.Select(v => v.VisitorId).Order());
    }

    [Fact]
    public async Task AVisitorWhoMovedToALiveNodeStaysWhenTheirOldNodeExpires()
    {
        await Shard.Apply(new PresenceBatch([Visitor("moved"), Visitor("stayed")], [], Owner: "old"));
        await Shard.Apply(new PresenceBatch([Visitor("moved")], [], Owner: "new")); // reconnected to another node

        var online = new List<string>();
        for (var i = 0; i < 50; i++)
        {
            await Task.Delay(100);
            await Shard.Apply(new PresenceBatch([], [], Owner: "new"));
            online = (await Shard.Changes(Guid.Empty, 0)).Upserts.Select(v => v.VisitorId).ToList();
            if (!online.Contains("stayed")) break;
        }

        Assert.Equal(["moved"], online);
    }
}
