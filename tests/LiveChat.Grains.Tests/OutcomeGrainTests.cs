using LiveChat.Contracts;
using LiveChat.Engagement;
using LiveChat.Grains.Tests.Infrastructure;

namespace LiveChat.Grains.Tests;

/// <summary>
/// Does the invitation help: held-out visitors counted and never invited, conversions on each side, variants,
/// chosen channels with resolution times, ratings, and repeat contacts across visitor ids (same phone).
/// </summary>
public sealed class OutcomeGrainTests(GrainCluster cluster) : IClassFixture<GrainCluster>
{
    private const string Shop = "https://shop.example";
    private const string Situation = "Hesitating over the cart";
    private static readonly Dictionary<string, string> None = [];

    private readonly string site = GrainCluster.NewId("site");
    private DateTimeOffset Now => cluster.Clock.GetUtcNow();

    private static string CartRule(int holdout, string then = """{"text":"Need a hand?"}""") =>
        $$"""[{"id":"cart","situation":"{{Situation}}","when":{"pageMatches":"/cart*"},"then":{{then}},"onlyIfAgentAvailable":false,"maxPerVisit":null,"holdoutPercent":{{holdout}}}]""";

    /// <summary>A visitor id on the wanted side of the rule's hold-out (the assignment is deterministic, so we can pick).</summary>
    private static string VisitorWho(bool heldOut, int percent = 50, Func<string, bool>? also = null) =>
        Enumerable.Range(0, 1000).Select(i => GrainCluster.NewId("v"))
            .First(id => Assignment.IsHeldOut("cart", id, percent) == heldOut && (also?.Invoke(id) ?? true));

    private async Task<IVisitorGrain> Arrive(string visitorId, string rules, string path = "/cart")
    {
        if ((await cluster.Site(site).GetRules()).Version == 0) await cluster.Site(site).SetRules(rules);
        var visitor = cluster.Visitor(site, visitorId);
        await visitor.Hello("conn-" + visitorId, new PageInfo(Shop + path));
        return visitor;
    }

    private Task<SituationStats> StatsWhen(Func<SituationStats, bool> done, string situation = Situation) =>
        GrainCluster.Eventually(async () => (await cluster.Site(site).GetStats(GrainCluster.Start, Now.AddHours(1))).SingleOrDefault(s => s.Situation == situation),
            s => s is not null && done(s), "stats")!;

    [Fact]
    public async Task HeldOutVisitorIsCountedAndNeverInvitedByThatRule()
    {
        var id = VisitorWho(heldOut: true);
        var visitor = await Arrive(id, CartRule(50));
        // More pages, past the quiet period and any cooldown: the rule is done with them for the visit.
        for (var i = 0; i < 4; i++)
        {
            cluster.Advance(TimeSpan.FromMinutes(3));
            await visitor.PageView(new PageInfo(Shop + "/cart?step=" + i));
        }
        await visitor.Track("order_placed", None);
        await visitor.Track("order_placed", None);

        var stats = await StatsWhen(s => s.ConversionsHeldOut > 0);
        Assert.Empty(cluster.Visitors.Pushes.To<InvitationView>(Keys.Of(site, id)));
        Assert.Equal((0, 1, 0, 0, 1), (stats.Invited, stats.HeldOut, stats.Shown, stats.ConversionsInvited, stats.ConversionsHeldOut));
        Assert.Contains((await visitor.GetContext()).Journey, j => j.Detail.Contains("held out", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OtherRulesWaitAsAfterADismissalSoTheControlGroupStaysComparable()
    {
        const string Rules = $$"""
            [{"id":"cart","situation":"{{Situation}}","when":{"pageMatches":"/cart*"},"then":{"text":"Need a hand?"},"onlyIfAgentAvailable":false,"priority":10,"holdoutPercent":50},
             {"id":"next","situation":"Anything else","when":{"pageMatches":"/cart*"},"then":{"text":"Other"},"onlyIfAgentAvailable":false}]
            """;
        var id = VisitorWho(heldOut: true);
        var visitor = await Arrive(id, Rules);
        await StatsWhen(s => s.HeldOut == 1);
        await Task.Delay(200);
        await visitor.GetSummary();
        Assert.Empty(cluster.Visitors.Pushes.To<InvitationView>(Keys.Of(site, id)));

        cluster.Advance(cluster.Timings.QuietAfterDismiss);
        var next = await cluster.Visitors.Pushes.Next<InvitationView>(Keys.Of(site, id));
        Assert.Equal("next", next.RuleId);
    }

    [Fact]
    public async Task HeldOutVisitorIsHeldOutAgainOnTheNextVisit()
    {
        var id = VisitorWho(heldOut: true);
        var visitor = await Arrive(id, CartRule(50));
        cluster.Advance(TimeSpan.FromMinutes(31)); // a new visit
        await visitor.PageView(new PageInfo(Shop + "/cart"));
        var stats = await StatsWhen(s => s.HeldOut == 2);
        Assert.Equal(0, stats.Invited);
        Assert.Empty(cluster.Visitors.Pushes.To<InvitationView>(Keys.Of(site, id)));
    }

    [Fact]
    public async Task InvitedVisitorsConversionIsCountedForItsVariant()
    {
        const string Then = """{"variants":["Need a hand?","Questions about delivery?"]}""";
        var id = VisitorWho(heldOut: false);
        var variant = Assignment.Variant("cart", id, 2)!.Value;
        var visitor = await Arrive(id, CartRule(50, Then));

        var invitation = await cluster.Visitors.Pushes.Next<InvitationView>(Keys.Of(site, id));
        Assert.Equal(variant == 0 ? "Need a hand?" : "Questions about delivery?", invitation.Text);
        await visitor.AcceptInvitation(invitation.InvitationId);
        await visitor.StartChat("does it come in blue?");
        await visitor.Track("order_placed", None);

        var stats = await StatsWhen(s => s.ConversionsInvited > 0);
        Assert.Equal((1, 0, 1, 1, 0), (stats.Invited, stats.HeldOut, stats.Shown, stats.ConversionsInvited, stats.ConversionsHeldOut));
        var counted = Assert.Single(stats.Variants!);
        Assert.Equal((variant, 1, 1, 1, 1), (counted.Variant, counted.Invited, counted.Shown, counted.Accepted, counted.Conversions));
    }

    [Fact]
    public async Task ChannelsAreCountedForTheSituationWithTimeToResolution()
    {
        var rules = CartRule(0);
        var a = await Arrive(GrainCluster.NewId("v"), rules);
        var invitation = await cluster.Visitors.Pushes.Next<InvitationView>(Keys.Of(site, (await a.GetSummary()).VisitorId));
        await a.AcceptInvitation(invitation.InvitationId);
        var chat = await a.StartChat("hi");
        cluster.Advance(TimeSpan.FromMinutes(4));
        await a.EndChat();

        var b = await Arrive(GrainCluster.NewId("v"), rules);
        var callback = await b.RequestCallback("+44 20 7946 0000", "Bo", null);
        cluster.Advance(TimeSpan.FromMinutes(30));
        Assert.True(await cluster.Grains.GetGrain<IRequestsGrain>(site).MarkDone(callback.Reference));

        var c = await Arrive(GrainCluster.NewId("v"), rules);
        await c.ReportContact(ContactChannels.Phone);

        var stats = await StatsWhen(s => s.Contacts == 3 && s.MedianResolutionSeconds?.Count == 2);
        Assert.Equal(1, stats.Channels![ContactChannels.ChatFromInvitation]);
        Assert.Equal(1, stats.Channels[ContactChannels.Callback]);
        Assert.Equal(1, stats.Channels[ContactChannels.Phone]);
        Assert.Equal(0, stats.Channels[ContactChannels.ChatStartedByVisitor]);
        Assert.Equal(240, stats.MedianResolutionSeconds![ContactChannels.ChatFromInvitation], 3);
        Assert.Equal(1800, stats.MedianResolutionSeconds[ContactChannels.Callback], 3);
        Assert.Equal((0, 0.0), (stats.RepeatContacts, stats.RepeatContactRate));
        _ = chat;
    }

    [Fact]
    public async Task RepeatContactIsDetectedAcrossANewVisitorIdWithTheSamePhone()
    {
        var rules = CartRule(0);
        var first = await Arrive(GrainCluster.NewId("v"), rules, "/help");
        var firstId = (await first.GetSummary()).VisitorId;
        var earlier = await first.RequestCallback("+31 6 1234 5678", "Ann", "about my order");
        cluster.Advance(TimeSpan.FromDays(2));

        // Another device, another visitor id; the same number written another way.
        var again = await Arrive(GrainCluster.NewId("v"), rules, "/help");
        await again.RequestCallback("0031 6-12 34 56 78", "Ann", "still waiting");

        var context = await again.GetContext();
        var contact = Assert.Single(context.EarlierContacts!);
        Assert.Equal(("callback", firstId, earlier.Reference, "phone"), (contact.Kind, contact.VisitorId, contact.Reference, contact.Via));
        var stats = await StatsWhen(s => s.Contacts == 2, SiteStatsBook.VisitorInitiated);
        Assert.Equal((1, 0.5), (stats.RepeatContacts, stats.RepeatContactRate));

        // A different number is not the same person.
        var other = await Arrive(GrainCluster.NewId("v"), rules, "/help");
        await other.RequestCallback("+31 6 8765 4321", null, null);
        Assert.Empty((await other.GetContext()).EarlierContacts!);
    }

    [Fact]
    public async Task ContactAfterSevenDaysIsNotARepeat()
    {
        var rules = CartRule(0);
        var visitor = await Arrive(GrainCluster.NewId("v"), rules, "/help");
        await visitor.LeaveMessage("ann@example.com", "hello", null);
        cluster.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        var later = await Arrive(GrainCluster.NewId("v"), rules, "/help");
        await later.LeaveMessage("ANN@example.com ", "hello again", null);
        Assert.Empty((await later.GetContext()).EarlierContacts!);

        await later.ReportContact(ContactChannels.Phone); // same visitor id, minutes later: a repeat
        Assert.Single((await later.GetContext()).EarlierContacts!);
    }

    [Fact]
    public async Task RatingIsStoredOnceAndCountedPerSituationAndAgent()
    {
        await cluster.Online(site, "ag");
        var id = GrainCluster.NewId("v");
        var visitor = await Arrive(id, CartRule(0), "/help");
        var chat = await visitor.StartChat("hello");
        await GrainCluster.Eventually(() => cluster.View(chat.ConversationId), v => v.AgentId == "ag", "assigned");

        var early = await Assert.ThrowsAsync<RefusedException>(() => visitor.Rate(chat.ConversationId, 5, null));
        Assert.Equal("conversationId: the chat has not ended yet", early.Message);
        await visitor.EndChat();
        await visitor.Rate(chat.ConversationId, 4, "  quick and friendly ");

        var view = await cluster.View(chat.ConversationId);
        Assert.Equal((4, "quick and friendly"), (view.Rating!.Score, view.Rating.Comment));
        var twice = await Assert.ThrowsAsync<RefusedException>(() => visitor.Rate(chat.ConversationId, 1, null));
        Assert.Equal("conversationId: this chat has already been rated", twice.Message);

        var stats = await StatsWhen(s => s.Satisfaction?.Responses == 1, SiteStatsBook.VisitorInitiated);
        Assert.Equal((1, 4.0, 1.0), (stats.Satisfaction!.Responses, stats.Satisfaction.Average, stats.Satisfaction.SatisfiedShare));
        var report = await cluster.Site(site).GetReport(GrainCluster.Start, Now.AddHours(1));
        Assert.Equal(new AgentSatisfaction("ag", 1, 4.0, 1.0), Assert.Single(report.Agents));
    }

    [Fact]
    public async Task RatingIsRefusedForAnotherVisitorsChatAndAfterSevenDays()
    {
        var owner = await Arrive(GrainCluster.NewId("v"), CartRule(0), "/help");
        var chat = await owner.StartChat("hello");
        await owner.EndChat();
        var stranger = await Arrive(GrainCluster.NewId("v"), CartRule(0), "/help");
        var foreign = await Assert.ThrowsAsync<RefusedException>(() => stranger.Rate(chat.ConversationId, 5, null));
        Assert.Equal("conversationId: no such conversation", foreign.Message);

        cluster.Advance(TimeSpan.FromDays(7) + TimeSpan.FromSeconds(1));
        var late = await Assert.ThrowsAsync<RefusedException>(() => owner.Rate(chat.ConversationId, 5, null));
        Assert.Equal("conversationId: a chat can be rated for 7 days after it ended", late.Message);
    }
}
