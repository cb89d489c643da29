using LiveChat.Contracts;
using LiveChat.Grains.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LiveChat.Grains.Tests;

/// <summary>
/// A node keeps the visitors whose connections it holds in the list by renewing its own lease (here 1 s, real time),
/// even when none of their grains lives on it, so nothing of theirs is ever flushed from it (issue 15).
/// </summary>
public sealed class PresenceHoldsTests(GrainCluster cluster) : IClassFixture<GrainCluster>
{
    private readonly string site = GrainCluster.NewId("site");

    [Fact]
    public async Task ANodeHoldingAConnectionRenewsItsLeaseWhenTheVisitorsGrainLivesElsewhere()
    {
        var holds = new PresenceHolds(cluster.Grains, NullLogger<PresenceHolds>.Instance);
        await using var outbox = new PresenceOutbox(cluster.Grains, holds, Options.Create(cluster.Timings), NullLogger<PresenceOutbox>.Instance);
        await outbox.StartAsync(TestContext.Current.CancellationToken);
        var (held, notHeld) = (InShard0("held"), InShard0("gone"));
        var shard = cluster.Grains.GetGrain<IPresenceShardGrain>(PresenceShards.Key(site, 0));

        // The grains' node sends both entries, then goes quiet; this node holds only the first visitor's connection.
        holds.Add(Keys.Of(site, held), "connection-1");
        await shard.Apply(new PresenceBatch([Visitor(held)], [], Owner: "grains-node", HeldBy: holds.Owner));
        await shard.Apply(new PresenceBatch([Visitor(notHeld)], [], Owner: "grains-node", HeldBy: "dead-node"));
        await Task.Delay(cluster.Timings.PresenceLease * 3, TestContext.Current.CancellationToken);

        Assert.Equal([held], (await shard.Changes(Guid.Empty, 0)).Upserts.Select(v => v.VisitorId));
        Assert.Equal(0, holds.Count(site, 1));
        Assert.Equal(1, holds.Count(site, 0));
        holds.Remove(Keys.Of(site, held), "connection-1");
        Assert.Empty(holds.Shards());
    }

    private VisitorSummary Visitor(string id) =>
        new(site, id, "https://shop.example/p", "P", GrainCluster.Start, 1, 0, 0, false, 1, true, null, null, null, GrainCluster.Start);

    private static string InShard0(string prefix)
    {
        for (var i = 0; ; i++)
            if (PresenceShards.Of($"{prefix}-{i}") == 0) return $"{prefix}-{i}";
    }
}
