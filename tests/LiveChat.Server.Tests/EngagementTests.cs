using LiveChat.Server.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace LiveChat.Server.Tests;

/// <summary>
/// Proactive invitations through the real hub. The server runs on a fake clock: "1 s on the page" is an <c>Advance</c>, and
/// "not yet" is checked just before the rule's time, so no test sleeps on a rule or measures how fast a push came.
/// </summary>
public sealed class EngagementTests(EngagementTests.Fixture fixture) : IClassFixture<EngagementTests.Fixture>
{
    public sealed class Fixture : ServerFixture
    {
        public const string Rules = """
        [
          { "id": "linger", "situation": "Lingering on loans", "when": { "pageMatches": "/loans/*", "timeOnPageSeconds": 1 },
            "then": { "text": "Questions about our rates?" }, "onlyIfAgentAvailable": false, "maxPerVisit": 1 },
          { "id": "cart-idle", "situation": "Idle at checkout", "when": { "pageMatches": "/checkout*", "event": "cart_add", "idleAfterEventSeconds": 1 },
            "then": { "text": "Need a hand with checkout?" }, "onlyIfAgentAvailable": false },
          { "id": "big-cart", "situation": "Big cart", "when": { "pageMatches": "/cart*", "cartValueAtLeast": 500 },
            "then": { "text": "Big order! Any questions?", "offers": ["chat", "phone"] }, "onlyIfAgentAvailable": false },
          { "id": "needs-agent", "when": { "pageMatches": "/staffed*" },
            "then": { "text": "Talk to us?" }, "onlyIfAgentAvailable": true }
        ]
        """;

        public FakeTimeProvider FakeClock { get; } = new(DateTimeOffset.UtcNow);

        protected override TimeProvider Clock => FakeClock;

        protected override Task OnStarted(TestServer server) => server.PutRules(Rules);
    }

    /// <summary>Real time allowed for a push that is (or is not) due to arrive.</summary>
    private const double Quiet = 0.4;

    private TestServer Server => fixture.Server;

    private void Advance(double seconds) => fixture.FakeClock.Advance(TimeSpan.FromSeconds(seconds));

    [Fact]
    public async Task InvitationArrivesAfterVisibleTimeOnPage()
    {
        await using var visitor = await Server.Visitor();
        await visitor.Hello("/loans/rates?term=10");
        Advance(0.9);
        Assert.True(await visitor.Invitations.StaysEmpty(Quiet), "fired before the rule's 1 s");

        Advance(0.1);
        var invitation = await visitor.Invitations.Next();

        Assert.Equal("linger", invitation.RuleId);
        Assert.Equal("Lingering on loans", invitation.Situation);
        Assert.Equal(["chat", "callback", "phone"], invitation.Offers);
    }

    [Fact]
    public async Task InvitationTimeCountsFromTheCurrentPage()
    {
        await using var visitor = await Server.Visitor();
        await visitor.Hello("/browsing-first");
        Advance(1.5); // longer than the rule's 1 s, but on another page
        await visitor.PageView("/loans/current");
        Advance(0.9);
        Assert.True(await visitor.Invitations.StaysEmpty(Quiet), "fired before 1 s on the current page");

        Advance(0.1);
        await visitor.Invitations.Next();
    }

    [Fact]
    public async Task NoInvitationOnOtherPages()
    {
        await using var visitor = await Server.Visitor();
        await visitor.Hello("/shoes/red");
        Advance(5);

        Assert.True(await visitor.Invitations.StaysEmpty(Quiet));
    }

    [Fact]
    public async Task InvitationWaitsWhileTabIsHidden()
    {
        await using var visitor = await Server.Visitor();
        await visitor.Hello("/loans/mortgage");
        await visitor.Visibility(false);
        Advance(5);

        Assert.True(await visitor.Invitations.StaysEmpty(Quiet));

        await visitor.Visibility(true);
        Advance(1);
        Assert.Equal("linger", (await visitor.Invitations.Next()).RuleId);
    }

    [Fact]
    public async Task IdleAfterEventRestartsOnActivity()
    {
        await using var visitor = await Server.Visitor();
        await visitor.Hello("/checkout/payment");
        await visitor.Track("cart_add", new { sku = "A1", price = 10, quantity = 1 });
        Advance(0.6);
        await visitor.Track("coupon_typed");
        Advance(0.9); // 1.5 s after the cart event, but 0.9 s after the last activity
        Assert.True(await visitor.Invitations.StaysEmpty(Quiet), "fired before 1 s idle after the last activity");

        Advance(0.1);
        var invitation = await visitor.Invitations.Next();

        Assert.Equal("cart-idle", invitation.RuleId);
    }

    [Fact]
    public async Task CartValueReachingTheThresholdInvitesAtOnce()
    {
        await using var visitor = await Server.Visitor();
        await visitor.Hello("/cart");
        await visitor.Track("cart_add", new { sku = "TV", price = 300, quantity = 1 });
        Assert.True(await visitor.Invitations.StaysEmpty(0.5));

        await visitor.Track("cart_add", new { sku = "SOUNDBAR", price = "250", quantity = 1 });

        var invitation = await visitor.Invitations.Next();
        Assert.Equal("big-cart", invitation.RuleId);
        Assert.Equal(["chat", "phone"], invitation.Offers);
    }

    [Fact]
    public async Task MaxPerVisitMeansOnceEvenAfterReturningToThePage()
    {
        await using var visitor = await Server.Visitor();
        await visitor.Hello("/loans/a");
        Advance(1);
        var first = await visitor.Invitations.Next();
        await visitor.Dismiss(first.InvitationId);

        await visitor.PageView("/loans/b");
        Advance(5);

        Assert.True(await visitor.Invitations.StaysEmpty(Quiet));
    }

    [Fact]
    public async Task NoInvitationNobodyCanAnswer()
    {
        await using var visitor = await Server.Visitor();
        await visitor.Hello("/staffed/page");

        Assert.True(await visitor.Invitations.StaysEmpty(1.5));
    }

    [Fact]
    public async Task PendingInvitationComesBackOnReload()
    {
        string visitorId, token, invitationId;
        await using (var tab = await Server.Visitor())
        {
            var hello = await tab.Hello("/loans/rates");
            (visitorId, token) = (hello.VisitorId, hello.Token);
            Advance(1);
            invitationId = (await tab.Invitations.Next()).InvitationId;
        }
        await using var reloaded = await Server.Visitor();
        var again = await reloaded.Hello("/loans/rates", visitorId, token);

        Assert.Equal(invitationId, again.Invitation?.InvitationId);
    }
}
