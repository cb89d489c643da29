namespace LiveChat.Engagement.Tests;

using static Make;

/// <summary>What rules read from page URLs, and when a visit ends.</summary>
public sealed class UrlAndVisitTests
{
    [Theory]
    [InlineData("https://shop.example/loans/rates?term=10#top", "/loans/rates?term=10")]
    [InlineData("https://shop.example", "/")]
    [InlineData("https://shop.example?x=1", "/?x=1")]
    [InlineData("http://shop.example:8080/a", "/a")]
    [InlineData("HTTPS://Shop.Example/Path", "/Path")]
    [InlineData("//cdn.example/x?y", "/x?y")]
    [InlineData("/a/b?c=d", "/a/b?c=d")]
    [InlineData("  /a#frag ", "/a")]
    [InlineData("/a%20b", "/a%20b")]
    [InlineData("?q=1", "/?q=1")]
    [InlineData("", "/")]
    [InlineData(null, "/")]
    [InlineData("javascript:alert(1)", "/")]
    [InlineData("loans", "/")]
    [InlineData("#only", "/")]
    public void PathAndQueryDropsOriginAndFragment(string? url, string expected) =>
        Assert.Equal(expected, Utm.PathAndQuery(url));

    [Fact]
    public void PathAndQueryIsBounded() =>
        Assert.Equal(Utm.MaxPathAndQueryLength, Utm.PathAndQuery("/" + new string('a', 10_000)).Length);

    [Theory]
    [InlineData("https://x.example/?utm_campaign=spring", "spring")]
    [InlineData("/p?utm_source=ads&utm_campaign=spring%20sale", "spring sale")]
    [InlineData("/p?utm_campaign=spring+sale", "spring sale")]
    [InlineData("/p?UTM_CAMPAIGN=Spring", "Spring")]
    [InlineData("/p?utm_campaign=a&utm_campaign=b", "a")]
    [InlineData("/p?utm_campaign=%E2%82%AC", "€")]
    [InlineData("/p?utm_campaign=%ZZ", "%ZZ")]
    [InlineData("/p?utm_campaign=", null)]
    [InlineData("/p?utm_campaign=%20", null)]
    [InlineData("/p?utm_campaign", null)]
    [InlineData("/p?utm_campaigns=x", null)]
    [InlineData("/p", null)]
    [InlineData("/p#x?utm_campaign=a", null)]
    [InlineData("/p?utm_campaign=a#b", "a")]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void CampaignComesFromTheQuery(string? url, string? expected) =>
        Assert.Equal(expected, Utm.Campaign(url));

    [Fact]
    public void CampaignIsBounded() =>
        Assert.Equal(Utm.MaxCampaignLength, Utm.Campaign("/?utm_campaign=" + new string('c', 500))!.Length);

    [Theory]
    [InlineData(null, 0, true)]
    [InlineData(0.0, 0, false)]
    [InlineData(0.0, 1799, false)]
    [InlineData(0.0, 1800, true)]
    [InlineData(0.0, 86_400, true)]
    public void NewVisitAfterThirtyMinutesWithoutActivity(double? lastActivity, double now, bool newVisit) =>
        Assert.Equal(newVisit, VisitSession.StartsNewVisit(lastActivity is { } l ? At(l) : null, At(now)));
}
