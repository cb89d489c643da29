using LiveChat.Contracts;
using System.Diagnostics;
using LiveChat.Cluster.Tests.Infrastructure;

namespace LiveChat.Cluster.Tests;

/// <summary>The live-visitors list across nodes: presence shards are grains, each node's watchers pull and merge them (issue 15).</summary>
public sealed class VisitorListClusterTests(TwoNodes fixture) : IClassFixture<TwoNodes>
{
    private LiveCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task AVisitorOnNodeBAppearsInTheViewOfAnAgentOnNodeA()
    {
        await using var agent = await Cluster.Agent(signInOn: Cluster[0], hubOn: Cluster[0]);
        await agent.Watch();
        await using var visitor = await Cluster.Visitor(Cluster[1]);
        var id = (await visitor.Hello()).VisitorId;

        var diff = await agent.VisitorChanges.Next(d => d.Upserts.Any(v => v.VisitorId == id), 30);
        Assert.True(diff.Counts.Online >= 1);

        // And a fresh subscription on either node answers it in its first page.
        await using var onB = await Cluster.Agent(signInOn: Cluster[0], hubOn: Cluster[1]);
        Assert.Contains((await onB.Watch()).Visitors, v => v.VisitorId == id);
    }

    /// <summary>
    /// A node that dies (SIGKILL) says nothing on the way out: the visitors whose connections it held leave the list because
    /// its presence lease is no longer renewed, and only those. A visitor's entry is held on the lease of the node holding
    /// its connection, wherever its grain and its presence shard lived; shards or grains lost with the dead node come back
    /// empty and the survivor re-reports the visitors it holds.
    /// </summary>
    [Fact]
    public async Task TheVisitorsOfAKilledNodeLeaveTheOnlineCountWithinThePresenceLease()
    {
        var lease = TimeSpan.FromSeconds(6);
        await using var cluster = await LiveCluster.Start(nodeCount: 2, environment: new Dictionary<string, string>
        {
            ["LiveChat__Timings__PresenceLease"] = lease.ToString("c"),
        });
        var (survivor, doomed) = (cluster[0], cluster[1]);
        await using var agent = await cluster.Agent(signInOn: survivor, hubOn: survivor);
        await agent.Watch();

        var staying = new List<ClusterVisitor>();
        var ids = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            var v = await cluster.Visitor(survivor);
            staying.Add(v);
            ids.Add((await v.Hello()).VisitorId);
        }
        var leaving = new List<ClusterVisitor>();
        for (var i = 0; i < 2; i++)
        {
            leaving.Add(await cluster.Visitor(doomed));
            await leaving[^1].Hello(); // left open until the node dies
        }
        // A visitor whose grain lives on the doomed node but whose connection is on the survivor stays listed, and the
        // other way round leaves: the grain starts where the first tab connected, and a reload on the other node within
        // the leave grace finds it still active there.
        var (moved, movedId) = await Reconnected(cluster, first: doomed, then: survivor);
        staying.Add(moved);
        ids.Add(movedId);
        leaving.Add((await Reconnected(cluster, first: survivor, then: doomed)).Visitor);
        await agent.VisitorChanges.Next(d => d.Counts.Online == 6, 30);

        var clock = Stopwatch.StartNew();
        doomed.Kill();
        var after = await agent.VisitorChanges.Next(d => d.Counts.Online == 3, 60);
        TestContext.Current.TestOutputHelper?.WriteLine($"kill -> online 6 -> 3 after {clock.Elapsed.TotalSeconds:0.0} s (lease {lease.TotalSeconds} s)");
        Assert.True(clock.Elapsed < lease + TimeSpan.FromSeconds(20), $"took {clock.Elapsed.TotalSeconds:0.0} s");

        // The survivor's visitors are still listed (its lease is renewed), in the diff stream and in a fresh page.
        await Task.Delay(lease);
        var page = await agent.Watch();
        Assert.Equal(3, page.Counts.Online);
        Assert.Equal(ids.Order(), page.Visitors.Select(v => v.VisitorId).Order());
        foreach (var v in staying.Concat(leaving)) await v.DisposeAsync();
    }

    /// <summary>A visitor who said Hello on one node, closed the tab and came back on another: their grain stays where it started.</summary>
    private static async Task<(ClusterVisitor Visitor, string VisitorId)> Reconnected(LiveCluster cluster, ServerNode first, ServerNode then)
    {
        HelloResult hello;
        await using (var tab = await cluster.Visitor(first)) hello = await tab.Hello();
        var id = hello.VisitorId;
        var token = hello.Token;
        var again = await cluster.Visitor(then);
        Assert.Equal(id, (await again.Hello(id, token)).VisitorId);
        return (again, id);
    }
}
