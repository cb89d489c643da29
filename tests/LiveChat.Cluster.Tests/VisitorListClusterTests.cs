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
}
