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
        for (var i = 0; i < 100 && later is null; i++)
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
        for (var i = 0; i < 100; i++)
        {
            await Task.Delay(100);
            await Shard.Apply(new PresenceBatch([], [], Owner: "new"));
            online = (await Shard.Changes(Guid.Empty, 0)).Upserts.Select(v => v.VisitorId).ToList();
            if (!online.Contains("stayed")) break;
        }

        Assert.Equal(["moved"], online);
    }

    [Fact]
    public async Task AnEntryLivesOnTheLeaseOfTheNodeHoldingTheConnectionNotOnTheSendersLease()
    {
        // The grains live on node g (it sends and renews); the visitors' connections are on nodes c (renews) and d (died).
        await Shard.Apply(new PresenceBatch([Visitor("on-c")], [], Owner: "g", HeldBy: "c"));
        await Shard.Apply(new PresenceBatch([Visitor("on-d")], [], Owner: "g", HeldBy: "d"));
        var epoch = await Shard.Renew("c");

        var online = new List<string>();
        for (var i = 0; i < 100; i++)
        {
            await Task.Delay(100);
            Assert.Equal(epoch, await Shard.Renew("g"));
            await Shard.Renew("c");
            online = (await Shard.Changes(Guid.Empty, 0)).Upserts.Select(v => v.VisitorId).ToList();
            if (!online.Contains("on-d")) break;
        }
        Assert.Equal(["on-c"], online);

        // The grain of a visitor whose connection died with node d still reports it: it is not listed again.
        await Shard.Apply(new PresenceBatch([Visitor("on-d")], [], Owner: "g", HeldBy: "d"));
        Assert.Equal(["on-c"], (await Shard.Changes(Guid.Empty, 0)).Upserts.Select(v => v.VisitorId));
    }
}
