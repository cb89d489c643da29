namespace LiveChat.Engagement.Tests;

using static Make;

/// <summary>Which invitation wins, and the visit-wide brakes: engaged, dismissed twice, caps.</summary>
public sealed class PriorityAndCapsTests
{
    [Theory]
    [InlineData(1, 5, "b")]
    [InlineData(5, 1, "a")]
    [InlineData(-3, -4, "a")]
    [InlineData(0, 0, "a")]
    [InlineData(1000, -1000, "a")]
    public void HighestPriorityWins(int priorityA, int priorityB, string winner)
    {
        var rules = Set(Rule("a", priority: priorityA), Rule("b", priority: priorityB));
        Assert.Equal(winner, RuleEvaluator.Evaluate(rules, Visitor(), EngagementContext.Open, T0).Due?.Id);
    }

    [Theory]
    [InlineData("b", "a", "a")]
    [InlineData("rule-9", "rule-10", "rule-10")]
    [InlineData("a", "B", "B")]
    [InlineData("cart.idle", "cart-idle", "cart-idle")]
    [InlineData("x_1", "x.1", "x.1")]
    public void PriorityTiesGoToTheOrdinallySmallerId(string first, string second, string winner)
    {
        var rules = Set(Rule(first, priority: 3), Rule(second, priority: 3));
        Assert.Equal(winner, RuleEvaluator.Evaluate(rules, Visitor(), EngagementContext.Open, T0).Due?.Id);
        var reversed = Set(Rule(second, priority: 3), Rule(first, priority: 3));
        Assert.Equal(winner, RuleEvaluator.Evaluate(reversed, Visitor(), EngagementContext.Open, T0).Due?.Id);
    }

    [Fact]
    public void LowerPriorityDueNowBeatsHigherPriorityDueLater()
    {
        var rules = Set(Rule("later", new() { TimeOnPageSeconds = 30 }, priority: 10), Rule("now", priority: 1));
        Assert.Equal("now", RuleEvaluator.Evaluate(rules, Visitor(), EngagementContext.Open, At(1)).Due?.Id);
    }

    [Fact]
    public void HigherPriorityTakesOverOnceDue()
    {
        var rules = Set(Rule("later", new() { TimeOnPageSeconds = 30 }, priority: 10), Rule("low", new() { TimeOnPageSeconds = 10 }, priority: 1));
        Assert.Equal("later", RuleEvaluator.Evaluate(rules, Visitor(), EngagementContext.Open, At(30)).Due?.Id);
    }

    [Fact]
    public void CappedHighPriorityRuleLetsTheNextOneThrough()
    {
        var rules = Set(Rule("top", priority: 10), Rule("next", priority: 1));
        var visitor = Visitor().WithHistory("top", 1, At(-10));
        Assert.Equal("next", RuleEvaluator.Evaluate(rules, visitor, EngagementContext.Open, T0).Due?.Id);
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(1, true)]
    [InlineData(2, false)]
    [InlineData(3, false)]
    public void DismissedTwiceMeansNoMoreInvitationsThisVisit(int dismissals, bool due)
    {
        var decision = Evaluate(Rule(when: new() { TimeOnPageSeconds = 10 }), Visitor() with { DismissalsThisVisit = dismissals }, At(due ? 10 : 1000));
        Assert.Equal(due, decision.Due is not null);
        if (!due) Assert.Null(decision.NextCheckAt);
    }

    [Fact]
    public void DismissedTwiceAlsoCancelsPendingChecks() =>
        Assert.Equal(EngagementDecision.Nothing,
            Evaluate(Rule(when: new() { TimeOnPageSeconds = 10 }), Visitor() with { DismissalsThisVisit = 2 }, At(1)));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void EngagedVisitorGetsNothing(bool timeBased)
    {
        var rule = timeBased ? Rule(when: new() { TimeOnPageSeconds = 10 }) : Rule();
        Assert.Equal(EngagementDecision.Nothing, Evaluate(rule, Visitor() with { Engaged = true }, At(1)));
    }

    [Fact]
    public void EmptyRuleSetDecidesNothing() =>
        Assert.Equal(EngagementDecision.Nothing, RuleEvaluator.Evaluate(RuleSet.Empty, Visitor(), EngagementContext.Open, T0));

    [Fact]
    public void DueDecisionIsReusedWithoutAllocating()
    {
        var rules = Set(Rule("a"));
        var first = RuleEvaluator.Evaluate(rules, Visitor(), EngagementContext.Open, T0);
        Assert.Same(first, RuleEvaluator.Evaluate(rules, Visitor(), EngagementContext.Open, T0));
        Assert.Null(first.NextCheckAt);
    }

    [Fact]
    public void RuleSetRefusesAnInvalidPattern() =>
        Assert.Throws<ArgumentException>(() => Set(Rule(when: new() { PageMatches = "regex:(" })));
}
