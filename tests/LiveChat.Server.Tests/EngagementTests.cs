using System.Diagnostics;
using LiveChat.Server.Tests.Infrastructure;

namespace LiveChat.Server.Tests;

/// <summary>Proactive invitations through the real hub, with short rule durations.</summary>
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

        protected override Task OnStarted(TestServer server) => server.PutRules(Rules);
    }

    private TestServer Server => fixture.Server;

    [Fact]
    public async Task InvitationArrivesAfterVisibleTimeOnPage()
    {
        await using var visitor = await Server.Visitor();
        var clock = Stopwatch.StartNew();
        await visitor.Hello("/loans/rates?term=10");

        var invitation = await visitor.Invitations.Next();

        Assert.Equal("linger", invitation.RuleId);
        Assert.Equal("Lingering on loans", invitation.Situation);
        Assert.Equal(["chat", "callback", "phone"], invitation.Offers);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.9), $"fired after {clock.Elapsed}, before the rule's 1 s");
    }

    [Fact]
    public async Task NoInvitationOnOtherPages()
    {
        await using var visitor = await Server.Visitor();
        await visitor.Hello("/shoes/red");

        Assert.True(await visitor.Invitations.StaysEmpty(2.5));
    }

    [Fact]
    public async Task InvitationWaitsWhileTabIsHidden()
    {
        await using var visitor = await Server.Visitor();
        await visitor.Hello("/loans/mortgage");
        await visitor.Visibility(false);

        Assert.True(await visitor.Invitations.StaysEmpty(2));

        await visitor.Visibility(true);
        Assert.Equal("linger", (await visitor.Invitations.Next()).RuleId);
    }

    [Fact]
    public async Task IdleAfterEventRestartsOnActivity()
    {
        await using var visitor = await Server.Visitor();
        await visitor.Hello("/checkout/payment");
        await visitor.Track("cart_add", new { sku = "A1", price = 10, quantity = 1 });
        await Task.Delay(600);
        var lastActivity = Stopwatch.StartNew();
        await visitor.Track("coupon_typed");

        var invitation = await visitor.Invitations.Next();

        Assert.Equal("cart-idle", invitation.RuleId);
        Assert.True(lastActivity.Elapsed >= TimeSpan.FromSeconds(0.9), $"fired {lastActivity.Elapsed} after the last activity");
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
        var first = await visitor.Invitations.Next();
        await visitor.Dismiss(first.InvitationId);

        await visitor.PageView("/loans/b");

        Assert.True(await visitor.Invitations.StaysEmpty(2));
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
            invitationId = (await tab.Invitations.Next()).InvitationId;
        }
        await using var reloaded = await Server.Visitor();
        var again = await reloaded.Hello("/loans/rates", visitorId, token);

        Assert.Equal(invitationId, again.Invitation?.InvitationId);
    }
}
