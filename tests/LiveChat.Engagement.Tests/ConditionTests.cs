namespace LiveChat.Engagement.Tests;

using static Make;

/// <summary>Each state condition on its own: it holds, or it blocks the rule with no next check.</summary>
public sealed class ConditionTests
{
    [Theory]
    [InlineData("/loans/*", "/loans/rates", true)]
    [InlineData("/loans/*", "/loans/rates?term=10", true)]
    [InlineData("/loans/*", "/loans/", true)]
    [InlineData("/loans/*", "/loans", false)]
    [InlineData("/loans/*", "/mortgages/loans/x", false)]
    [InlineData("/loans/*", "/loansharks", false)]
    [InlineData("*/checkout", "/shop/eu/checkout", true)]
    [InlineData("*/checkout", "/shop/eu/checkout?step=2", false)]
    [InlineData("/checkout", "/checkout", true)]
    [InlineData("/checkout", "/checkout?step=2", false)]
    [InlineData("/checkout*", "/checkout?step=2", true)]
    [InlineData("/LOANS/*", "/loans/x", true)]
    [InlineData("/products/*/reviews", "/products/shoes/red/reviews", true)]
    [InlineData("/products/*/reviews", "/products/reviews", false)]
    [InlineData("*?plan=pro*", "/pricing?plan=pro&x=1", true)]
    [InlineData("*", "/", true)]
    [InlineData("regex:^/loans/\\d+$", "/loans/42", true)]
    [InlineData("regex:^/loans/\\d+$", "/loans/42?x=1", false)]
    [InlineData("regex:term=\\d{2}", "/loans/rates?term=10", true)]
    [InlineData("regex:term=\\d{2}", "/loans/rates?term=1", false)]
    [InlineData("regex:^/(en|sv)/pricing", "/sv/pricing?x", true)]
    public void PageMatchesUsesPathAndQuery(string pattern, string page, bool due) =>
        Assert.Equal(due, IsDue(Rule(when: new() { PageMatches = pattern }), Visitor(page), T0));

    [Theory]
    [InlineData(2, 1, false)]
    [InlineData(2, 2, true)]
    [InlineData(2, 9, true)]
    [InlineData(0, 0, true)]
    public void PagesViewedAtLeastCountsThisVisit(int atLeast, int pages, bool due) =>
        Assert.Equal(due, IsDue(Rule(when: new() { PagesViewedAtLeast = atLeast }), Visitor() with { PagesThisVisit = pages }, T0));

    [Theory]
    [InlineData("100", "99.99", false)]
    [InlineData("100", "100", true)]
    [InlineData("100", "100.01", true)]
    [InlineData("0", "0", true)]
    [InlineData("0.5", "0", false)]
    public void CartValueAtLeastComparesExactly(string atLeast, string value, bool due) =>
        Assert.Equal(due, IsDue(Rule(when: new() { CartValueAtLeast = decimal.Parse(atLeast, System.Globalization.CultureInfo.InvariantCulture) }),
            Visitor() with { CartValue = decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture) }, T0));

    [Theory]
    [InlineData(true, 1, false)]
    [InlineData(true, 2, true)]
    [InlineData(true, 7, true)]
    [InlineData(false, 1, true)]
    [InlineData(false, 2, false)]
    public void ReturningVisitorMeansASecondVisitOrLater(bool returning, int visit, bool due) =>
        Assert.Equal(due, IsDue(Rule(when: new() { ReturningVisitor = returning }), Visitor() with { Visit = visit }, T0));

    [Theory]
    [InlineData("spring-sale", "spring-sale", true)]
    [InlineData("spring-sale", "SPRING-Sale", true)]
    [InlineData("spring-sale", "summer", false)]
    [InlineData("spring-sale", null, false)]
    [InlineData("spring-sale", "spring-sale-2", false)]
    public void UtmCampaignComparesIgnoringCase(string campaign, string? visitorCampaign, bool due) =>
        Assert.Equal(due, IsDue(Rule(when: new() { UtmCampaign = campaign }), Visitor() with { UtmCampaign = visitorCampaign }, T0));

    [Theory]
    [InlineData("*google.*", "https://www.google.com/search?q=loans", true)]
    [InlineData("*google.*", "https://duckduckgo.com/?q=google", false)]
    [InlineData("*google.*", null, false)]
    [InlineData("https://partner.example/*", "https://partner.example/deals", true)]
    [InlineData("regex:^https://(www\\.)?bing\\.com/", "https://www.bing.com/search", true)]
    [InlineData("regex:^https://(www\\.)?bing\\.com/", "https://bing.example/", false)]
    public void ReferrerMatchesTheFullReferrer(string pattern, string? referrer, bool due) =>
        Assert.Equal(due, IsDue(Rule(when: new() { ReferrerMatches = pattern }), Visitor() with { Referrer = referrer }, T0));

    [Theory]
    [InlineData("cart_add", "cart_add", true)]
    [InlineData("cart_add", "cart_remove", false)]
    [InlineData("cart_add", null, false)]
    [InlineData("signup:start", "signup:start", true)]
    public void EventMustHaveHappenedThisVisit(string required, string? happened, bool due)
    {
        var visitor = happened is null ? Visitor() : Visitor().WithEvent(happened, At(-5));
        Assert.Equal(due, IsDue(Rule(when: new() { Event = required }), visitor, T0));
    }

    [Theory]
    [InlineData(true, true, true)]
    [InlineData(true, false, false)]
    [InlineData(false, true, true)]
    [InlineData(false, false, true)]
    public void OnlyIfAgentAvailableWaitsForAnAgent(bool onlyIfAvailable, bool available, bool due) =>
        Assert.Equal(due, IsDue(Rule(onlyIfAgentAvailable: onlyIfAvailable), Visitor(), T0, new EngagementContext(available)));

    [Theory]
    [InlineData(null, true, true)]
    [InlineData(null, false, true)]
    [InlineData(true, true, true)]
    [InlineData(true, false, false)]
    [InlineData(false, true, false)]
    [InlineData(false, false, true)]
    public void BusinessHoursConditionComparesWithTheSiteHours(bool? ruleWants, bool siteOpen, bool due) =>
        Assert.Equal(due, IsDue(Rule(when: new() { BusinessHours = ruleWants }), Visitor(), T0, new EngagementContext(true, siteOpen)));

    [Theory]
    [InlineData(true, true, false)]
    [InlineData(true, false, true)]
    [InlineData(false, true, true)]
    [InlineData(false, false, true)]
    public void SuppressDuringNoticeHoldsBackWhileANoticeCoversThePage(bool suppress, bool covered, bool due) =>
        Assert.Equal(due, IsDue(Rule(suppressDuringNotice: suppress), Visitor("/pay"), T0, new EngagementContext(true, true, page => covered && page == "/pay")));

    [Fact]
    public void NoticeCallbackIsAskedOncePerEvaluation()
    {
        var asked = 0;
        var rules = Set(Enumerable.Range(0, 10).Select(i => Rule($"r{i}", new() { PagesViewedAtLeast = 5 }, suppressDuringNotice: true)).ToArray());
        RuleEvaluator.Evaluate(rules, Visitor() with { PagesThisVisit = 5 }, new EngagementContext(true, true, _ => { asked++; return true; }), T0);
        Assert.Equal(1, asked);
    }

    [Fact]
    public void RuleWithoutConditionsIsDueAtOnce() =>
        Assert.Equal("hello", RuleEvaluator.Evaluate(Set(Rule("hello")), Visitor(), EngagementContext.Open, T0).Due?.Id);

    [Fact]
    public void BlockedByStateHasNoNextCheck() =>
        Assert.Equal(EngagementDecision.Nothing, Evaluate(Rule(when: new() { PagesViewedAtLeast = 3, TimeOnPageSeconds = 30 }), Visitor(), T0));
}
