namespace LiveChat.Engagement.Tests;

using static Make;

/// <summary>Hold-out (control group) and text variants: assigned per visitor and rule, stable, split as configured.</summary>
public sealed class HoldoutAndVariantTests
{
    private static Rule Holdout(int percent, string id = "r") => Rule(id) with { HoldoutPercent = percent };

    private static Rule WithVariants(params string[] texts) => Rule() with { Then = new RuleThen { Variants = texts.Select(LocalizedText.Of).ToList() } };

    private static EngagementDecision For(Rule rule, string visitorId, VisitorSnapshot? visitor = null) =>
        Evaluate(rule, (visitor ?? Visitor()) with { VisitorId = visitorId }, T0);

    [Theory]
    [InlineData(10)]
    [InlineData(20)]
    [InlineData(33)]
    [InlineData(50)]
    public void HoldoutShareOverAThousandVisitorsIsWithinBinomialBounds(int percent)
    {
        var rule = Holdout(percent);
        var heldOut = Enumerable.Range(0, 1000).Count(i => For(rule, $"v-{i:x8}").HeldOut);
        // Five standard deviations of Binomial(1000, p): a fair assignment fails this less than once in a million.
        var p = percent / 100.0;
        var sd = Math.Sqrt(1000 * p * (1 - p));
        Assert.InRange(heldOut, 1000 * p - 5 * sd, 1000 * p + 5 * sd);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(0)]
    public void WithoutHoldoutEveryoneIsInvited(int? percent)
    {
        var rule = Rule() with { HoldoutPercent = percent };
        Assert.All(Enumerable.Range(0, 300), i => Assert.False(For(rule, $"v{i}").HeldOut));
    }

    [Fact]
    public void AssignmentIsStablePerVisitorAndRule()
    {
        var rule = Holdout(30);
        for (var i = 0; i < 200; i++)
        {
            var id = $"visitor-{i}";
            var first = For(rule, id).HeldOut;
            Assert.All(Enumerable.Range(0, 5), _ => Assert.Equal(first, For(rule, id).HeldOut));
            Assert.Equal(first, Assignment.IsHeldOut("r", id, 30));
        }
    }

    [Fact]
    public void AssignmentIsPinnedSoEveryNodeAgrees()
    {
        // Pinned values: a per-process randomized hash (string.GetHashCode) would change these on every run.
        Assert.Equal(0x8155359d4d09b8d6UL, Assignment.Hash("holdout", "cart-idle", "v-1"));
        var held = Enumerable.Range(0, 20).Where(i => Assignment.IsHeldOut("cart-idle", $"v-{i}", 50)).ToArray();
        Assert.Equal(PinnedHeldOut, held);
    }

    // Computed independently: python3 sha256("holdout\ncart-idle\nv-{i}")[:8] big-endian % 100 < 50.
    private static readonly int[] PinnedHeldOut = [0, 3, 4, 5, 8, 9, 14, 15, 16];

    [Fact]
    public void HeldOutAndInvitedDependOnTheRule()
    {
        // The same visitor falls on different sides for different rules: the control group is per rule, not a class of visitor.
        var differ = Enumerable.Range(0, 200).Count(i => Assignment.IsHeldOut("a", $"v{i}", 50) != Assignment.IsHeldOut("b", $"v{i}", 50));
        Assert.InRange(differ, 60, 140);
    }

    [Fact]
    public void HeldOutVisitorIsNeverInvitedByThatRule()
    {
        var rule = Holdout(50) with { MaxPerVisit = null };
        var heldOut = Enumerable.Range(0, 400).Select(i => $"v{i}").Where(id => For(rule, id).HeldOut).ToList();
        Assert.NotEmpty(heldOut);
        foreach (var id in heldOut)
        {
            // First evaluation: held out, not an invitation.
            var first = For(rule, id);
            Assert.True(first.HeldOut);
            // Once recorded as held out this visit, the rule does not fire again (neither invited nor counted again).
            var after = Visitor().WithHistory("r", 1, T0) with { VisitorId = id };
            after = after with { History = new Dictionary<string, RuleHistory> { ["r"] = new(1, T0, HeldOut: true) } };
            Assert.Null(Evaluate(rule, after, At(3600)).Due);
            // A new visit (history cleared): held out again, never invited.
            Assert.True(For(rule, id).HeldOut);
        }
    }

    [Fact]
    public void HeldOutHistoryLetsOtherRulesThrough()
    {
        var top = Holdout(50, "top") with { Priority = 10 };
        var id = Enumerable.Range(0, 100).Select(i => $"v{i}").First(v => Assignment.IsHeldOut("top", v, 50));
        var visitor = Visitor() with { VisitorId = id, History = new Dictionary<string, RuleHistory> { ["top"] = new(1, T0, HeldOut: true) } };
        var decision = RuleEvaluator.Evaluate(Set(top, Rule("next")), visitor, EngagementContext.Open, T0);
        Assert.Equal("next", decision.Due?.Id);
        Assert.False(decision.HeldOut);
    }

    [Fact]
    public void HeldOutDecisionStillNamesTheRule()
    {
        var rule = Holdout(50);
        var id = Enumerable.Range(0, 100).Select(i => $"v{i}").First(v => Assignment.IsHeldOut("r", v, 50));
        var decision = For(rule, id);
        Assert.Same(rule, decision.Due);
        Assert.True(decision.HeldOut);
        Assert.Null(decision.Variant);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void VariantsSplitEvenlyAndShowTheirText(int count)
    {
        var texts = Enumerable.Range(0, count).Select(i => $"Text {i}").ToArray();
        var rule = WithVariants(texts);
        var seen = new int[count];
        for (var i = 0; i < 900; i++)
        {
            var decision = For(rule, $"v-{i}");
            var variant = Assert.IsType<int>(decision.Variant);
            Assert.Equal(texts[variant], decision.Text);
            seen[variant]++;
        }
        var p = 1.0 / count;
        var sd = Math.Sqrt(900 * p * (1 - p));
        Assert.All(seen, n => Assert.InRange(n, 900 * p - 5 * sd, 900 * p + 5 * sd));
    }

    [Fact]
    public void VariantIsStableAndIndependentOfHoldout()
    {
        var rule = WithVariants("A", "B") with { HoldoutPercent = 50 };
        var invited = Enumerable.Range(0, 400).Select(i => $"v{i}").Where(v => !Assignment.IsHeldOut("r", v, 50)).ToList();
        var variants = invited.Select(v => For(rule, v).Variant).ToList();
        Assert.All(variants, v => Assert.NotNull(v));
        Assert.Equal(variants, invited.Select(v => For(rule, v).Variant).ToList());
        // Both variants appear among the invited: the hold-out did not take all of one variant.
        Assert.Contains(0, variants.Select(v => v!.Value));
        Assert.Contains(1, variants.Select(v => v!.Value));
    }

    [Fact]
    public void RuleWithoutVariantsShowsItsText()
    {
        var decision = For(Rule(), "v1");
        Assert.Null(decision.Variant);
        Assert.Equal("Can I help?", decision.Text);
    }
}
