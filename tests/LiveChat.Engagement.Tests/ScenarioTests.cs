namespace LiveChat.Engagement.Tests;

using static Make;

/// <summary>Visitors' stories end to end through the engine, with the grain's loop simulated on a fake clock.</summary>
public sealed class ScenarioTests
{
    private static readonly RuleSet Shop = RuleParser.Parse("""
        [
          { "id": "loan-rates", "when": { "pageMatches": "/loans/*", "timeOnPageSeconds": 45, "pagesViewedAtLeast": 2 },
            "then": { "text": "Questions about our rates?" }, "onlyIfAgentAvailable": false, "priority": 10 },
          { "id": "cart-idle", "when": { "cartValueAtLeast": 100, "event": "cart_add", "idleAfterEventSeconds": 60 },
            "then": { "text": "Need help with your order?" }, "onlyIfAgentAvailable": false, "priority": 20 },
          { "id": "spring", "when": { "utmCampaign": "spring", "timeOnPageSeconds": 10 },
            "then": { "text": "Spring offer questions?" }, "onlyIfAgentAvailable": false, "maxPerVisit": 3, "cooldownSeconds": 120 }
        ]
        """).Rules is { Count: 3 } rules ? new RuleSet(1, rules) : throw new InvalidOperationException("shop rules do not parse");

    private static Dictionary<string, string> Item(string sku, string price, string quantity = "1") =>
        new() { ["sku"] = sku, ["price"] = price, ["quantity"] = quantity };

    [Fact]
    public void LoanInvitationAfterFortyFiveVisibleSeconds()
    {
        var visitor = new VisitorTimeline(Shop).View("https://bank.example/").View("https://bank.example/loans/rates?term=10").Wait(44);
        Assert.Empty(visitor.Shown);
        visitor.Wait(1);
        Assert.Equal([("loan-rates", At(45))], visitor.Shown);
    }

    [Fact]
    public void InvitationWaitsWhileTabIsHidden()
    {
        var visitor = new VisitorTimeline(Shop).View("/").View("/loans/rates").Wait(30).Hide().Wait(600).Show().Wait(14);
        Assert.Empty(visitor.Shown);
        visitor.Wait(1);
        Assert.Equal([("loan-rates", At(645))], visitor.Shown);
    }

    [Fact]
    public void CartIdleWaitsForSixtyQuietSeconds()
    {
        var visitor = new VisitorTimeline(Shop).View("/shop/shoes").Track("cart_add", Item("runner", "129.90")).Wait(40)
            .View("/shop/socks").Wait(59);
        Assert.Empty(visitor.Shown);
        visitor.Wait(1);
        Assert.Equal([("cart-idle", At(100))], visitor.Shown);
    }

    [Fact]
    public void CartBelowThresholdGetsNoInvitation()
    {
        var visitor = new VisitorTimeline(Shop).View("/shop").Track("cart_add", Item("socks", "9.90", "2")).Wait(3600);
        Assert.Empty(visitor.Shown);
        Assert.Equal(19.80m, visitor.Snapshot.CartValue);
    }

    [Fact]
    public void RemovingFromTheCartDisarmsTheInvitation()
    {
        var visitor = new VisitorTimeline(Shop).View("/shop").Track("cart_add", Item("runner", "129.90")).Wait(30)
            .Track("cart_remove", new Dictionary<string, string> { ["sku"] = "runner" }).Wait(3600);
        Assert.Empty(visitor.Shown);
    }

    [Fact]
    public void DismissedTwiceMeansNoMoreInvitationsThisVisit()
    {
        var visitor = new VisitorTimeline(Shop).View("/?utm_campaign=Spring").Wait(10);
        Assert.Single(visitor.Shown);
        visitor.Dismiss().Wait(120);
        Assert.Equal(2, visitor.Shown.Count);
        visitor.Dismiss().Wait(3600);
        Assert.Equal([At(10), At(130)], visitor.Shown.Select(s => s.At));
    }

    [Fact]
    public void CooldownSpacesRepeatsOfOneRule()
    {
        var visitor = new VisitorTimeline(Shop).View("/landing?utm_campaign=spring").Wait(10);
        visitor.Dismiss();
        visitor.Wait(300);
        Assert.Equal([At(10), At(130)], visitor.Shown.Select(s => s.At));
    }

    [Fact]
    public void EngagedVisitorIsNotInterrupted()
    {
        var visitor = new VisitorTimeline(Shop).View("/landing?utm_campaign=spring").Wait(10);
        visitor.View("/").View("/loans/x").Wait(3600);
        Assert.Equal(["spring"], visitor.Shown.Select(s => s.Rule));
    }

    [Fact]
    public void HigherPriorityWinsWhenBothBecomeDueTogether()
    {
        var rules = Set(Rule("low", new() { TimeOnPageSeconds = 30 }, priority: 1), Rule("high", new() { TimeOnPageSeconds = 30 }, priority: 2));
        var visitor = new VisitorTimeline(rules).View("/").Wait(30);
        Assert.Equal(["high"], visitor.Shown.Select(s => s.Rule));
    }

    [Fact]
    public void BusinessHoursRuleWaitsForOpening()
    {
        Assert.True(BusinessHours.TryCreate("UTC", new Dictionary<string, string> { ["mon"] = "10:30-17:00" }, out var hours, out _));
        var visitor = new VisitorTimeline(Set(Rule("open", new() { BusinessHours = true })))
        {
            ContextAt = now => new EngagementContext(true, hours.IsOpen(now)) { BusinessHoursChangeAt = hours.NextChange(now) },
        };
        visitor.View("/").Wait(1799);
        Assert.Empty(visitor.Shown);
        visitor.Wait(1);
        Assert.Equal([("open", At(1800))], visitor.Shown);
    }
}
