namespace LiveChat.Engagement.Tests;

using static Make;

/// <summary>Conditions that time alone can satisfy, and the exact instants the evaluator names for them.</summary>
public sealed class TimingTests
{
    // banked seconds, visible since (s after T0, null: hidden), now (s after T0), due now?, next check (s after T0)
    [Theory]
    [InlineData(0, 0.0, 0, false, 45.0)]
    [InlineData(0, 0.0, 44, false, 45.0)]
    [InlineData(0, 0.0, 44.999, false, 45.0)]
    [InlineData(0, 0.0, 45, true, null)]
    [InlineData(0, 0.0, 300, true, null)]
    [InlineData(20, 10.0, 12, false, 35.0)]
    [InlineData(20, 10.0, 35, true, null)]
    [InlineData(44, 100.0, 100, false, 101.0)]
    [InlineData(45, 100.0, 100, true, null)]
    [InlineData(30, null, 500, false, null)]
    [InlineData(0, null, 0, false, null)]
    [InlineData(45, null, 50, true, null)]
    [InlineData(60, null, 50, true, null)]
    [InlineData(10, 20.0, 5, false, 55.0)]
    public void TimeOnPageCountsVisibleTimeOnly(double banked, double? visibleSince, double now, bool due, double? next)
    {
        var visitor = Visitor() with
        {
            VisibleTimeBanked = TimeSpan.FromSeconds(banked),
            VisibleSince = visibleSince is { } s ? At(s) : null,
        };
        var decision = Evaluate(Rule(when: new() { TimeOnPageSeconds = 45 }), visitor, At(now));
        Assert.Equal(due, decision.Due is not null);
        Assert.Equal(next is { } n ? At(n) : null, decision.NextCheckAt);
    }

    [Fact]
    public void InvitationWaitsWhileTabIsHidden()
    {
        var rule = Rule(when: new() { TimeOnPageSeconds = 30 });
        var hidden = Visitor() with { VisibleSince = null, VisibleTimeBanked = TimeSpan.FromSeconds(29) };
        Assert.Equal(EngagementDecision.Nothing, Evaluate(rule, hidden, At(3600)));

        var shown = hidden with { VisibleSince = At(3600) };
        Assert.Equal(At(3601), Evaluate(rule, shown, At(3600)).NextCheckAt);
        Assert.NotNull(Evaluate(rule, shown, At(3601)).Due);
    }

    [Fact]
    public void FractionalSecondsAreExactToTheTick()
    {
        var decision = Evaluate(Rule(when: new() { TimeOnPageSeconds = 0.25 }), Visitor(), T0);
        Assert.Equal(T0.AddTicks(2_500_000), decision.NextCheckAt);
    }

    // event at, last activity at, now (s after T0), due now?, next check
    [Theory]
    [InlineData(10, 10, 10, false, 70.0)]
    [InlineData(10, 10, 69.9, false, 70.0)]
    [InlineData(10, 10, 70, true, null)]
    [InlineData(10, 30, 31, false, 90.0)]
    [InlineData(10, 30, 90, true, null)]
    [InlineData(10, 5, 20, false, 70.0)]
    [InlineData(10, 200, 201, false, 260.0)]
    [InlineData(0, 0, 1000, true, null)]
    public void IdleAfterEventCountsFromTheLaterOfEventAndActivity(double eventAt, double activityAt, double now, bool due, double? next)
    {
        var visitor = Visitor().WithEvent("cart_add", At(eventAt)) with { LastActivityAt = At(activityAt) };
        var decision = Evaluate(Rule(when: new() { Event = "cart_add", IdleAfterEventSeconds = 60 }), visitor, At(now));
        Assert.Equal(due, decision.Due is not null);
        Assert.Equal(next is { } n ? At(n) : null, decision.NextCheckAt);
    }

    [Fact]
    public void IdleRearmsAfterEachActivity()
    {
        var rule = Rule(when: new() { Event = "cart_add", IdleAfterEventSeconds = 60 });
        var visitor = Visitor().WithEvent("cart_add", At(0));
        Assert.Equal(At(60), Evaluate(rule, visitor, At(0)).NextCheckAt);
        visitor = visitor with { LastActivityAt = At(50) };
        Assert.Equal(At(110), Evaluate(rule, visitor, At(50)).NextCheckAt);
        visitor = visitor.WithEvent("cart_add", At(100));
        Assert.Equal(At(160), Evaluate(rule, visitor, At(100)).NextCheckAt);
        Assert.NotNull(Evaluate(rule, visitor, At(160)).Due);
    }

    [Fact]
    public void IdleWithoutTheEventWaitsForTheEvent() =>
        Assert.Equal(EngagementDecision.Nothing,
            Evaluate(Rule(when: new() { Event = "cart_add", IdleAfterEventSeconds = 60 }), Visitor().WithEvent("search", At(0)), At(500)));

    // cooldown, shown so far, last shown (s after T0), now, due?, next
    [Theory]
    [InlineData(600, 1, 0.0, 10, false, 600.0)]
    [InlineData(600, 1, 0.0, 599, false, 600.0)]
    [InlineData(600, 1, 0.0, 600, true, null)]
    [InlineData(600, 2, 0.0, 600, true, null)]
    [InlineData(600, 3, 0.0, 600, false, null)]
    [InlineData(0, 1, 0.0, 0, true, null)]
    [InlineData(600, 0, null, 0, true, null)]
    public void CooldownCountsFromTheRulesLastInvitation(int cooldown, int shown, double? lastShown, double now, bool due, double? next)
    {
        var visitor = Visitor().WithHistory("r", shown, lastShown is { } s ? At(s) : null);
        var decision = Evaluate(Rule(maxPerVisit: 3, cooldownSeconds: cooldown), visitor, At(now));
        Assert.Equal(due, decision.Due is not null);
        Assert.Equal(next is { } n ? At(n) : null, decision.NextCheckAt);
    }

    [Fact]
    public void CooldownOfAnotherRuleDoesNotApply()
    {
        var visitor = Visitor().WithHistory("other", 1, At(0));
        Assert.NotNull(Evaluate(Rule("r", maxPerVisit: 3, cooldownSeconds: 600), visitor, At(1)).Due);
    }

    [Theory]
    [InlineData(1, 0, true)]
    [InlineData(1, 1, false)]
    [InlineData(3, 2, true)]
    [InlineData(3, 3, false)]
    [InlineData(null, 50, true)]
    public void MaxPerVisitCapsInvitationsOfOneRule(int? max, int shown, bool due)
    {
        var visitor = Visitor().WithHistory("r", shown, At(-1000));
        var decision = Evaluate(Rule(maxPerVisit: max), visitor, T0);
        Assert.Equal(due, decision.Due is not null);
        if (!due) Assert.Null(decision.NextCheckAt);
    }

    [Theory]
    [InlineData(true, false, 3600.0, 3600.0)]
    [InlineData(false, true, 1800.0, 1800.0)]
    [InlineData(true, false, null, null)]
    [InlineData(true, false, -5.0, null)]
    public void BusinessHoursWaitsForTheNextChange(bool ruleWants, bool siteOpen, double? changeAt, double? next)
    {
        var context = new EngagementContext(true, siteOpen) { BusinessHoursChangeAt = changeAt is { } c ? At(c) : null };
        var decision = Evaluate(Rule(when: new() { BusinessHours = ruleWants }), Visitor(), T0, context);
        Assert.Null(decision.Due);
        Assert.Equal(next is { } n ? At(n) : null, decision.NextCheckAt);
    }

    [Fact]
    public void TimeConditionsCombineToTheLatestInstant()
    {
        var rule = Rule(maxPerVisit: 5, cooldownSeconds: 120, when: new() { TimeOnPageSeconds = 30, Event = "cart_add", IdleAfterEventSeconds = 60 });
        var visitor = Visitor().WithEvent("cart_add", At(20)).WithHistory("r", 1, At(-50));
        Assert.Equal(At(80), Evaluate(rule, visitor, At(21)).NextCheckAt);
        visitor = visitor.WithHistory("r", 1, At(10));
        Assert.Equal(At(130), Evaluate(rule, visitor, At(21)).NextCheckAt);
    }

    [Fact]
    public void NextCheckIsTheEarliestOverAllRules()
    {
        var rules = Set(
            Rule("slow", new() { TimeOnPageSeconds = 90 }),
            Rule("fast", new() { TimeOnPageSeconds = 20 }),
            Rule("blocked", new() { TimeOnPageSeconds = 5, PagesViewedAtLeast = 9 }));
        var decision = RuleEvaluator.Evaluate(rules, Visitor(), EngagementContext.Open, At(1));
        Assert.Null(decision.Due);
        Assert.Equal(At(20), decision.NextCheckAt);
    }

    [Fact]
    public void EvaluateReadsTheTimeProvider()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(T0);
        var rules = Set(Rule(when: new() { TimeOnPageSeconds = 10 }));
        Assert.Equal(At(10), RuleEvaluator.Evaluate(rules, Visitor(), EngagementContext.Open, time).NextCheckAt);
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.NotNull(RuleEvaluator.Evaluate(rules, Visitor(), EngagementContext.Open, time).Due);
    }
}
