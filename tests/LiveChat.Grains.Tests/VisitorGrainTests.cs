using LiveChat.Contracts;
using LiveChat.Grains.Tests.Infrastructure;

namespace LiveChat.Grains.Tests;

/// <summary>
/// The visitor grain on a fake clock: its rule timer is a grain timer, and the fake clock drives grain timers,
/// so "after 1 s on the page" is an <c>Advance</c>, not a wait.
/// </summary>
public sealed class VisitorGrainTests(GrainCluster cluster) : IClassFixture<GrainCluster>
{
    private const string Shop = "https://shop.example";
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(200);

    private readonly string site = GrainCluster.NewId("site");
    private readonly string visitorId = GrainCluster.NewId("v");
    private IVisitorGrain Visitor => cluster.Visitor(site, visitorId);
    private string Key => Keys.Of(site, visitorId);
    private DateTimeOffset Now => cluster.Clock.GetUtcNow();

    private static string LoansRule(int? maxPerVisit = 1, bool onlyIfAgentAvailable = false) =>
        $$"""[{"id":"r","situation":"Comparing loans","when":{"pageMatches":"/loans/*","timeOnPageSeconds":1},"then":{"text":"hi"},"onlyIfAgentAvailable":{{(onlyIfAgentAvailable ? "true" : "false")}},"maxPerVisit":{{maxPerVisit?.ToString() ?? "null"}}}]""";

    private async Task<VisitorHello> Arrive(string path, string? rules = null)
    {
        if ((await cluster.Site(site).GetRules()).Version == 0) await cluster.Site(site).SetRules(rules ?? LoansRule());
        return await Visitor.Hello("conn-1", new PageInfo(Shop + path));
    }

    private IReadOnlyList<InvitationView> Invitations => cluster.Visitors.Pushes.To<InvitationView>(Key);

    /// <summary>The visitor's <paramref name="number"/>th invitation, waiting (boundedly) for it to be pushed.</summary>
    private async Task<InvitationView> NextInvitation(int number = 1)
    {
        await cluster.Visitors.Pushes.Next<InvitationView>(Key, _ => Invitations.Count >= number);
        return Invitations[number - 1];
    }

    /// <summary>Nothing to wait for: give a wrongly armed timer's tick a moment to land, then look.</summary>
    private async Task AssertNoInvitation(int shownSoFar = 0)
    {
        await Task.Delay(Settle);
        await Visitor.GetSummary(); // queued behind any timer tick already on the grain
        Assert.Equal(shownSoFar, Invitations.Count);
    }

    private Task<IReadOnlyList<SituationStats>> StatsWhen(Func<SituationStats?, bool> done, string situation = "Comparing loans") =>
        GrainCluster.Eventually(() => cluster.Site(site).GetStats(GrainCluster.Start, Now), s => done(s.SingleOrDefault(x => x.Situation == situation)), "stats");

    [Fact]
    public async Task TimeOnThePageCountsFromWhenTheHubTookTheHelloNotFromWhenTheGrainGotToIt()
    {
        await cluster.Site(site).SetRules(LoansRule());
        // The Hello waited 600 ms in a busy node before the grain took it: the visitor has been on the page that long.
        await Visitor.Hello("conn-1", new PageInfo(Shop + "/loans/rates"), arrivedAt: Now - TimeSpan.FromMilliseconds(600));
        cluster.Advance(TimeSpan.FromMilliseconds(300));
        await AssertNoInvitation();
        cluster.Advance(TimeSpan.FromMilliseconds(100)); // 1 s after the Hello arrived
        Assert.Equal("hi", (await NextInvitation()).Text);

        // A stamp from the future, or from long ago (another node's clock), is not believed: the grain's clock counts.
        foreach (var stamp in new[] { Now + TimeSpan.FromSeconds(30), Now - TimeSpan.FromHours(1) })
        {
            var other = cluster.Visitor(site, GrainCluster.NewId("v"));
            await other.Hello("conn-2", new PageInfo(Shop + "/loans/rates"), arrivedAt: stamp);
            Assert.Equal(Now, (await other.GetSummary()).PageEnteredAt);
        }
    }

    [Fact]
    public async Task InvitationIsPushedOnceTheVisitorHasSpentTheRulesTimeOnAMatchingPage()
    {
        var hello = await Arrive("/loans/rates?term=10");
        Assert.Null(hello.Invitation);

        cluster.Advance(TimeSpan.FromMilliseconds(900));
        await AssertNoInvitation();
        cluster.Advance(TimeSpan.FromMilliseconds(100));

        var invitation = await NextInvitation();
        Assert.Equal(("r", "Comparing loans", "hi"), (invitation.RuleId, invitation.Situation, invitation.Text));
        Assert.Equal(Offers.All, invitation.Offers);
        Assert.Equal(("r", "Comparing loans"), ((await Visitor.GetSummary()).LastRuleId, (await Visitor.GetSummary()).LastSituation));
        Assert.Equal(invitation.InvitationId, (await Visitor.Hello("conn-2", new PageInfo(Shop + "/loans/rates?term=10"))).Invitation?.InvitationId);
        await StatsWhen(s => s?.Shown == 1);
    }

    [Theory]
    [InlineData("/about")]
    [InlineData("/loan")]
    [InlineData("/cards/loans/x")]
    public async Task NoInvitationOnPagesTheRuleDoesNotMatch(string path)
    {
        await Arrive(path);

        cluster.Advance(TimeSpan.FromMinutes(5));
        await AssertNoInvitation();

        await Visitor.PageView(new PageInfo(Shop + "/loans/car"));
        cluster.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("r", (await NextInvitation()).RuleId);
    }

    [Fact]
    public async Task TimeWithTheTabHiddenDoesNotCountAsTimeOnThePage()
    {
        await Arrive("/loans/rates");
        cluster.Advance(TimeSpan.FromMilliseconds(600));
        await Visitor.Visibility(false);

        cluster.Advance(TimeSpan.FromMinutes(1));
        await AssertNoInvitation();
        await Visitor.Visibility(true);
        cluster.Advance(TimeSpan.FromMilliseconds(300));
        await AssertNoInvitation();
        cluster.Advance(TimeSpan.FromMilliseconds(100));

        await NextInvitation();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RuleThatNeedsAnAgentWaitsForOne(bool agentOnline)
    {
        if (agentOnline) await cluster.Online(site, "a");
        await Arrive("/loans/rates", LoansRule(onlyIfAgentAvailable: true));

        cluster.Advance(TimeSpan.FromSeconds(1));

        if (agentOnline) await NextInvitation();
        else await AssertNoInvitation();
    }

    [Fact]
    public async Task DismissalIsCountedAndTheRuleIsNotShownAgainThisVisit()
    {
        await Arrive("/loans/rates");
        cluster.Advance(TimeSpan.FromSeconds(1));
        var invitation = await NextInvitation();

        await Visitor.DismissInvitation(invitation.InvitationId);
        await Visitor.DismissInvitation(invitation.InvitationId); // a second click is not a second dismissal

        await StatsWhen(s => s is { Shown: 1, Dismissed: 1 });
        await Visitor.PageView(new PageInfo(Shop + "/loans/mortgage"));
        cluster.Advance(cluster.Timings.QuietAfterDismiss + TimeSpan.FromMinutes(5));
        await AssertNoInvitation(shownSoFar: 1);
        Assert.Equal(1, (await cluster.Site(site).GetStats(GrainCluster.Start, Now)).Single().Dismissed);
        await Assert.ThrowsAsync<RefusedException>(() => Visitor.AcceptInvitation(invitation.InvitationId));
    }

    [Fact]
    public async Task AfterADismissalTheNextInvitationWaitsForTheQuietPeriod()
    {
        await Arrive("/loans/rates", LoansRule(maxPerVisit: 2));
        cluster.Advance(TimeSpan.FromSeconds(1));
        await Visitor.DismissInvitation((await NextInvitation()).InvitationId);

        cluster.Advance(cluster.Timings.QuietAfterDismiss - TimeSpan.FromSeconds(1));
        await AssertNoInvitation(shownSoFar: 1);
        cluster.Advance(TimeSpan.FromSeconds(1));

        await NextInvitation(2);
    }

    [Fact]
    public async Task TwoDismissalsEndInvitationsForTheVisit()
    {
        await Arrive("/loans/rates", LoansRule(maxPerVisit: 5));
        for (var i = 1; i <= 2; i++)
        {
            cluster.Advance(cluster.Timings.QuietAfterDismiss);
            await Visitor.DismissInvitation((await NextInvitation(i)).InvitationId);
        }

        cluster.Advance(TimeSpan.FromMinutes(20));
        await Visitor.PageView(new PageInfo(Shop + "/loans/other"));
        cluster.Advance(TimeSpan.FromMinutes(5));

        await AssertNoInvitation(shownSoFar: 2);
    }

    [Fact]
    public async Task OrderAfterAChatFromAnInvitationCountsOneConversionForItsSituation()
    {
        await Arrive("/loans/rates");
        await Visitor.Track("order_placed", new Dictionary<string, string>()); // before any chat: not a conversion
        cluster.Advance(TimeSpan.FromSeconds(1));
        var invitation = await NextInvitation();
        await Visitor.AcceptInvitation(invitation.InvitationId);
        var chat = await Visitor.StartChat("which rate suits me?");

        await Visitor.EndChat();
        await Visitor.Track("order_placed", new Dictionary<string, string>());
        await Visitor.Track("order_placed", new Dictionary<string, string>());

        var view = await cluster.View(chat.ConversationId);
        Assert.Equal(("r", "Comparing loans"), (view.RuleId, view.Situation));
        var stats = await StatsWhen(s => s is { Conversions: > 0 });
        Assert.Equal(("Comparing loans", "r", 1, 1, 0, 1, (double?)null, 1), Funnel.Of(stats.Single()));
    }

    [Fact]
    public async Task OrderAfterAChatTheVisitorStartedCountsAConversionForVisitorInitiatedChats()
    {
        await Arrive("/about");
        await Visitor.StartChat("do you ship to Norway?");

        await Visitor.Track("order_placed", new Dictionary<string, string>());

        var stats = await GrainCluster.Eventually(() => cluster.Site(site).GetStats(GrainCluster.Start, Now), s => s.Sum(x => x.Conversions) == 1, "conversion");
        Assert.Equal(("(visitor-initiated)", (string?)null, 0, 0, 0, 1, (double?)null, 1), Funnel.Of(Assert.Single(stats)));
    }

    [Fact]
    public async Task ChatStartedFromAnInvitationIsRoutedAndGetsTheVisitorsFirstMessage()
    {
        await cluster.Online(site, "a");
        await Arrive("/loans/rates", LoansRule(onlyIfAgentAvailable: true));
        cluster.Advance(TimeSpan.FromSeconds(1));
        await Visitor.AcceptInvitation((await NextInvitation()).InvitationId);

        var chat = await Visitor.StartChat("which rate suits me?");
        var ack = await Visitor.SendMessage("cm-1", "for 10 years");

        Assert.Null(chat.QueuePosition);
        var view = await cluster.View(chat.ConversationId);
        Assert.Equal(("a", "which rate suits me?"), (view.AgentId, view.Messages.First(m => m.From == Senders.Visitor).Text));
        Assert.Equal(ack, await Visitor.SendMessage("cm-1", "for 10 years"));
        Assert.Equal(["which rate suits me?", "for 10 years"], (await Visitor.GetMessages(0)).Where(m => m.From == Senders.Visitor).Select(m => m.Text));
        Assert.Equal(view.ConversationId, (await Visitor.Hello("conn-2", new PageInfo(Shop + "/loans/rates"))).Conversation?.ConversationId);
    }

    [Fact]
    public async Task JourneyKeepsOnlyTheLatestEntries()
    {
        await Arrive("/catalogue");
        for (var i = 1; i <= Limits.JourneyEntries + 10; i++)
            await Visitor.Track("view_item", new Dictionary<string, string> { ["n"] = i.ToString() });

        var journey = (await Visitor.GetContext()).Journey;

        Assert.Equal(Limits.JourneyEntries, journey.Count);
        Assert.Equal("view_item n=11", journey[0].Detail);
        Assert.Equal($"view_item n={Limits.JourneyEntries + 10}", journey[^1].Detail);
    }

    [Fact]
    public async Task CartValueFollowsAddsAndRemovesAndAnOrderEmptiesIt()
    {
        await Arrive("/shop");
        await Visitor.Track("cart_add", new Dictionary<string, string> { ["sku"] = "A", ["price"] = "19.99", ["quantity"] = "3" });
        await Visitor.Track("cart_add", new Dictionary<string, string> { ["sku"] = "B", ["price"] = "5" });
        await Visitor.Track("cart_remove", new Dictionary<string, string> { ["sku"] = "A", ["quantity"] = "1" });

        var summary = await Visitor.GetSummary();
        Assert.Equal((44.98m, 3), (summary.CartValue, summary.CartItems));
        Assert.Equal([new CartLine("A", 19.99m, 2), new CartLine("B", 5m, 1)], (await Visitor.GetContext()).Cart);

        await Visitor.Track("order_placed", new Dictionary<string, string>());

        Assert.Equal(0m, (await Visitor.GetSummary()).CartValue);
        Assert.Empty((await Visitor.GetContext()).Cart);
    }

    [Fact]
    public async Task ANewVisitStartsAfterThirtyMinutesWithoutActivity()
    {
        await Arrive("/loans/rates");
        cluster.Advance(TimeSpan.FromSeconds(1));
        await Visitor.DismissInvitation((await NextInvitation()).InvitationId);

        cluster.Advance(TimeSpan.FromMinutes(29));
        await Visitor.PageView(new PageInfo(Shop + "/loans/car"));
        var sameVisit = await Visitor.GetSummary();
        Assert.Equal((1, 2, false), (sameVisit.Visits, sameVisit.PagesThisVisit, sameVisit.Returning));

        cluster.Advance(TimeSpan.FromMinutes(31));
        await Visitor.PageView(new PageInfo(Shop + "/loans/home"));
        var newVisit = await Visitor.GetSummary();
        Assert.Equal((2, 1, true), (newVisit.Visits, newVisit.PagesThisVisit, newVisit.Returning));

        cluster.Advance(TimeSpan.FromSeconds(1));
        await NextInvitation(2); // caps and dismissals are per visit
    }

    [Fact]
    public async Task VisitorWhoClosedTheirLastTabLeavesAfterTheGracePeriod()
    {
        await Arrive("/shop");
        await Visitor.Hello("conn-2", new PageInfo(Shop + "/shop"));

        await Visitor.Disconnected("conn-1");
        await Visitor.Disconnected("conn-2");
        cluster.Advance(cluster.Timings.VisitorLeaveGrace - TimeSpan.FromSeconds(1));
        await Task.Delay(Settle);
        Assert.Empty(cluster.Agents.Pushes.To<VisitorLeftView>(site));
        cluster.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(visitorId, (await cluster.Agents.Pushes.Next<VisitorLeftView>(site)).VisitorId);
        Assert.False((await Visitor.GetSummary()).Online);
    }

    [Fact]
    public async Task ReconnectingWithinTheGracePeriodIsNotLeaving()
    {
        await Arrive("/shop");
        await Visitor.Disconnected("conn-1");
        cluster.Advance(cluster.Timings.VisitorLeaveGrace / 2);

        await Visitor.Hello("conn-2", new PageInfo(Shop + "/shop"));
        cluster.Advance(cluster.Timings.VisitorLeaveGrace * 2);

        await Task.Delay(Settle);
        Assert.Empty(cluster.Agents.Pushes.To<VisitorLeftView>(site));
        var summary = await Visitor.GetSummary();
        Assert.Equal((true, 1), (summary.Online, summary.PagesThisVisit)); // a reload of the same page is not a new page view
    }

    [Fact]
    public async Task CallbackRequestGetsAReferenceAndJoinsTheJourney()
    {
        await Arrive("/contact");

        var result = await Visitor.RequestCallback("+44 20 7946 0000", "Ann", "after 5pm");

        Assert.Matches("^LC-[2-9A-HJ-NP-Z]{5}$", result.Reference);
        Assert.Equal(result.Reference, Assert.Single(await cluster.Grains.GetGrain<IRequestsGrain>(site).Page(done: false, null, 10)));
        Assert.Contains(result.Reference, (await Visitor.GetContext()).Journey[^1].Detail);
    }
}
