using LiveChat.Contracts;
using LiveChat.Grains.Tests.Infrastructure;

namespace LiveChat.Grains.Tests;

/// <summary>
/// Figures that add up (every invitation counted once, also when a visitor grain resends after its node died) and
/// agent availability that reaches the node's cache before the change returns (issue 16).
/// </summary>
public sealed class StatsAndAvailabilityTests(GrainCluster cluster) : IClassFixture<GrainCluster>
{
    private const string Rule = """[{"id":"r","situation":"Comparing loans","when":{"pageMatches":"/loans/*","timeOnPageSeconds":1},"then":{"text":"hi"},"onlyIfAgentAvailable":false,"maxPerVisit":1}]""";

    private readonly string site = GrainCluster.NewId("site");
    private DateTimeOffset Now => cluster.Clock.GetUtcNow();

    private Task<IReadOnlyList<SituationStats>> StatsWhen(Func<IReadOnlyList<SituationStats>, bool> done) =>
        GrainCluster.Eventually(() => cluster.Site(site).GetStats(GrainCluster.Start, Now + TimeSpan.FromHours(1)), done, "stats");

    [Fact]
    public async Task AThousandInvitationsAreCountedExactlyOnceEach()
    {
        await cluster.Site(site).SetRules(Rule);
        var visitors = Enumerable.Range(0, 1000).Select(i => GrainCluster.NewId("v")).ToList();
        await Task.WhenAll(visitors.Select(v => cluster.Visitor(site, v).Hello("conn-" + v, new PageInfo("https://shop.example/loans/rates"))));

        cluster.Advance(TimeSpan.FromSeconds(1));
        await GrainCluster.Eventually(() => Task.FromResult(visitors.Count(v => cluster.Visitors.Pushes.To<InvitationView>(Keys.Of(site, v)).Count == 1)),
            n => n == 1000, "invitations pushed");

        await StatsWhen(s => s.Sum(x => x.Shown) >= 1000);
        await Task.Delay(cluster.Timings.StatsFlush * 6); // several more flushes: nothing counted twice
        Assert.Equal(1000, Assert.Single(await cluster.Site(site).GetStats(GrainCluster.Start, Now + TimeSpan.FromHours(1))).Shown);
    }

    [Fact]
    public async Task AVisitorGrainThatComesBackResendsItsEventsAndEachIsStillCountedOnce()
    {
        await cluster.Site(site).SetRules(Rule);
        var visitor = cluster.Visitor(site, GrainCluster.NewId("v"));
        await visitor.Hello("conn-1", new PageInfo("https://shop.example/loans/rates"));
        cluster.Advance(TimeSpan.FromSeconds(1));
        await StatsWhen(s => s.Sum(x => x.Shown) == 1);

        // Deactivated with the Shown event still in its state: the next activation reads it back (JSON storage: the pending
        // invitation must deserialize) and resends it, and the stats grain skips it.
        await cluster.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        await visitor.Hello("conn-2", new PageInfo("https://shop.example/loans/rates"));
        await Task.Delay(cluster.Timings.StatsFlush * 6);

        Assert.Equal(1, Assert.Single(await cluster.Site(site).GetStats(GrainCluster.Start, Now + TimeSpan.FromHours(1))).Shown);
    }

    [Fact]
    public async Task EventsResentAfterANodeDiedAreCountedOnlyIfTheyWereLost()
    {
        var stats = cluster.Grains.GetGrain<ISiteStatsGrain>(site);
        var shown = new StatEvent(StatKind.Shown, "r", "Comparing loans", Now);
        // Visitor v1's events 1-3 arrived through an aggregator; event 4 died with its node.
        var delivered = new StatBatch(Guid.NewGuid(), [new StatCount(shown, 3)], new Dictionary<string, long> { ["shop/v1"] = 3 }, []);
        await stats.Apply(delivered);
        await stats.Apply(delivered); // the aggregator's retry of a batch whose answer it never got

        // The visitor grain comes back elsewhere and resends what its state still holds: 2, 3 and 4.
        var replays = new[] { 2L, 3, 4 }.Select(seq => new SourcedStat("shop/v1", seq, shown)).ToList();
        await stats.Apply(new StatBatch(Guid.NewGuid(), [], new Dictionary<string, long>(), replays));
        await stats.Apply(new StatBatch(Guid.NewGuid(), [], new Dictionary<string, long>(), replays)); // and once more

        Assert.Equal(4, Assert.Single(await stats.Query(GrainCluster.Start, Now)).Shown);
    }

    [Fact]
    public async Task AnAgentGoingOfflineReachesTheNodesCopyBeforeTheChangeReturns()
    {
        var siteGrain = cluster.Site(site);
        await siteGrain.UpdateAgent(new AgentInfo("a", "Ann", AgentStatus.Online, 1, 0));
        Assert.True((await cluster.Directory.Get(site)).AgentAvailable);

        await siteGrain.UpdateAgent(new AgentInfo("a", "Ann", AgentStatus.Offline, 1, 0));

        // The fake clock has not moved, so the copy is well within SiteRefresh: only the push can have changed it.
        Assert.False((await cluster.Directory.Get(site)).AgentAvailable);
        await siteGrain.UpdateAgent(new AgentInfo("a", "Ann", AgentStatus.Online, 1, 0));
        Assert.True((await cluster.Directory.Get(site)).AgentAvailable);
    }

    [Fact]
    public async Task AFullAgentMakesTheSiteUnavailableUntilAChatEnds()
    {
        var siteGrain = cluster.Site(site);
        await siteGrain.UpdateAgent(new AgentInfo("a", "Ann", AgentStatus.Online, 1, 0));
        Assert.True((await cluster.Directory.Get(site)).AgentAvailable);

        var conversation = GrainCluster.NewId("c");
        await cluster.Grains.GetGrain<IConversationGrain>(conversation).Start(site, GrainCluster.NewId("v"), null, null);
        await siteGrain.Enqueue(new QueueEntry(site, conversation, "v", null, null, Now, null));
        Assert.False((await cluster.Directory.Get(site)).AgentAvailable);

        await siteGrain.Release("a", conversation, 30);
        await GrainCluster.Eventually(async () => (await cluster.Directory.Get(site)).AgentAvailable, a => a, "available again"); // Release is one-way
    }
}
