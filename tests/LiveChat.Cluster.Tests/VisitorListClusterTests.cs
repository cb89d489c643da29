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
    /// A node that dies (SIGKILL) says nothing on the way out: its visitors leave the list because its presence lease is
    /// no longer renewed. The agent watches on the survivor before any visitor arrives, so the presence shards live on
    /// the survivor (local placement) and only the lease can take the dead node's visitors out.
    /// </summary>
    [Fact(Skip = "Open in issue 15: a presence entry is owned by the silo of the visitor's grain, not by the node holding "
        + "the visitor's connection, so when a node dies the survivor's visitors whose grains lived there leave the list too "
        + "(seen: online 5 -> 1 -> 0, not 2). The lease must follow the connection's node.")]
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
        for (var i = 0; i < 3; i++)
        {
            leaving.Add(await cluster.Visitor(doomed));
            await leaving[^1].Hello(); // left open until the node dies
        }
        await agent.VisitorChanges.Next(d => d.Counts.Online == 5, 30);

        var clock = Stopwatch.StartNew();
        doomed.Kill();
        var after = await agent.VisitorChanges.Next(d => d.Counts.Online == 2, 60);
        TestContext.Current.TestOutputHelper?.WriteLine($"kill -> online 5 -> 2 after {clock.Elapsed.TotalSeconds:0.0} s (lease {lease.TotalSeconds} s)");
        Assert.True(clock.Elapsed < lease + TimeSpan.FromSeconds(20), $"took {clock.Elapsed.TotalSeconds:0.0} s");

        // The survivor's visitors are still listed (its lease is renewed), in the diff stream and in a fresh page.
        await Task.Delay(lease);
        var page = await agent.Watch();
        Assert.Equal(2, page.Counts.Online);
        Assert.Equal(ids.Order(), page.Visitors.Select(v => v.VisitorId).Order());
        foreach (var v in staying.Concat(leaving)) await v.DisposeAsync();
    }
}
