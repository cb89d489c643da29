namespace LiveChat.Engagement.Tests;

using static Make;

/// <summary>A rule with every condition: due when all hold, and each single failing condition alone blocks it.</summary>
public sealed class CombinationTests
{
    private static readonly Rule Everything = Rule("everything", onlyIfAgentAvailable: true, maxPerVisit: 2, cooldownSeconds: 60, suppressDuringNotice: true, when: new()
    {
        PageMatches = "/loans/*",
        TimeOnPageSeconds = 45,
        PagesViewedAtLeast = 2,
        CartValueAtLeast = 100,
        Event = "calculator_used",
        IdleAfterEventSeconds = 20,
        ReturningVisitor = true,
        ReferrerMatches = "*google.*",
        UtmCampaign = "spring",
        BusinessHours = true,
    });

    private static readonly VisitorSnapshot AllHold = (Visitor("/loans/rates?term=10") with
    {
        PagesThisVisit = 3,
        CartValue = 150,
        Visit = 2,
        Referrer = "https://www.google.com/",
        UtmCampaign = "Spring",
    }).WithEvent("calculator_used", At(5)).WithHistory("everything", 1, At(-600));

    private static readonly EngagementContext Open = new(true, true, _ => false);

    public static TheoryData<string> Breakers => new(
        "page", "time", "pages", "cart", "event", "idle", "returning", "referrer", "utm",
        "hours", "agent", "notice", "max", "cooldown", "engaged", "dismissed", "hidden");

    [Fact]
    public void DueWhenEveryConditionHolds() =>
        Assert.Equal("everything", Evaluate(Everything, AllHold, At(45), Open).Due?.Id);

    [Fact]
    public void NextCheckIsTheLatestOfTheTimeConditions() =>
        Assert.Equal(At(45), Evaluate(Everything, AllHold, At(10), Open).NextCheckAt);

    [Theory]
    [MemberData(nameof(Breakers))]
    public void EachConditionAloneBlocksTheRule(string breaker)
    {
        var (visitor, context) = Break(breaker);
        Assert.Null(Evaluate(Everything, visitor, At(45), context).Due);
    }

    private static (VisitorSnapshot, EngagementContext) Break(string what) => what switch
    {
        "page" => (AllHold with { PagePathAndQuery = "/cards/x" }, Open),
        "time" => (AllHold with { VisibleSince = At(30) }, Open),
        "pages" => (AllHold with { PagesThisVisit = 1 }, Open),
        "cart" => (AllHold with { CartValue = 99 }, Open),
        "event" => (AllHold with { LastEventAt = new Dictionary<string, DateTimeOffset>() }, Open),
        "idle" => (AllHold with { LastActivityAt = At(40) }, Open),
        "returning" => (AllHold with { Visit = 1 }, Open),
        "referrer" => (AllHold with { Referrer = "https://bing.com/" }, Open),
        "utm" => (AllHold with { UtmCampaign = "autumn" }, Open),
        "hours" => (AllHold, Open with { WithinBusinessHours = false }),
        "agent" => (AllHold, Open with { AgentAvailable = false }),
        "notice" => (AllHold, Open with { OutageCoversPage = _ => true }),
        "max" => (AllHold.WithHistory("everything", 2, At(-600)), Open),
        "cooldown" => (AllHold.WithHistory("everything", 1, At(0)), Open),
        "engaged" => (AllHold with { Engaged = true }, Open),
        "dismissed" => (AllHold with { DismissalsThisVisit = 2 }, Open),
        "hidden" => (AllHold with { VisibleSince = null, VisibleTimeBanked = TimeSpan.FromSeconds(44) }, Open),
        _ => throw new ArgumentOutOfRangeException(nameof(what)),
    };
}
