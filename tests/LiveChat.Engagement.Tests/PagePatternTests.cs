using System.Diagnostics;

namespace LiveChat.Engagement.Tests;

/// <summary>Globs and regexes over page paths, including hostile regexes that must not stall a grain.</summary>
public sealed class PagePatternTests
{
    [Theory]
    [InlineData("/a", "/a", true)]
    [InlineData("/a", "/ab", false)]
    [InlineData("/a", "/", false)]
    [InlineData("/a*", "/a", true)]
    [InlineData("/a*", "/abc/def?x=1", true)]
    [InlineData("*", "", true)]
    [InlineData("**", "/x", true)]
    [InlineData("/a**b", "/a/x/b", true)]
    [InlineData("*/b", "/a/b", true)]
    [InlineData("*/b", "/a/bc", false)]
    [InlineData("/a*b*c", "/aXbYc", true)]
    [InlineData("/a*b*c", "/abc", true)]
    [InlineData("/a*b*c", "/acb", false)]
    [InlineData("/a*a*a*a*a*b", "/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false)]
    [InlineData("*x", "/xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxy", false)]
    [InlineData("/p?id=*", "/p?id=42", true)]
    [InlineData("/p?id=*", "/pXid=42", false)]
    [InlineData("/a.b", "/aXb", false)]
    [InlineData("/a+b", "/a+b", true)]
    [InlineData("/(x)", "/(x)", true)]
    [InlineData("/Shop/*", "/shop/SHOES", true)]
    [InlineData("/@*", "/`x", false)]
    [InlineData("/ÅÄÖ/*", "/åäö/x", true)]
    [InlineData("/straße", "/STRASSE", false)]
    public void GlobStarMatchesAnyRunIncludingSlash(string pattern, string input, bool match) =>
        Assert.Equal(match, PagePattern.Parse(pattern).IsMatch(input));

    [Theory]
    [InlineData("regex:^/loans/\\d+$", "/loans/7", true)]
    [InlineData("regex:loans", "/x/loans/y", true)]
    [InlineData("regex:^/LOANS", "/loans", false)]
    [InlineData("regex:(?i)^/LOANS", "/loans", true)]
    [InlineData("regex:^/(?!admin)", "/shop", true)]
    [InlineData("regex:^/(?!admin)", "/admin", false)]
    [InlineData("regex:^(a+)+$", "/aaaa", false)]
    public void RegexIsUnanchoredAndCaseSensitive(string pattern, string input, bool match) =>
        Assert.Equal(match, PagePattern.Parse(pattern).IsMatch(input));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("regex:")]
    [InlineData("regex:(")]
    [InlineData("regex:[a-")]
    [InlineData("regex:a{2,1}")]
    public void InvalidPatternsAreRefused(string pattern) =>
        Assert.Throws<ArgumentException>(() => PagePattern.Parse(pattern));

    [Fact]
    public void OverlongPatternIsRefused() =>
        Assert.Throws<ArgumentException>(() => PagePattern.Parse("/" + new string('a', PagePattern.MaxLength)));

    [Fact]
    public void NestedQuantifiersRunInLinearTime()
    {
        var pattern = PagePattern.Parse("regex:^(a+)+$");
        var watch = Stopwatch.StartNew();
        Assert.False(pattern.IsMatch(new string('a', 20_000) + "!"));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1));
        Assert.False(pattern.Disabled);
        Assert.False(pattern.BacktracksCatastrophically());
    }

    [Fact]
    public void CatastrophicRegexTimesOutAsNoMatchAndIsThenSwitchedOff()
    {
        // The lookahead forces the backtracking engine, where (\w+\s?)* explodes on a run without a match.
        var pattern = PagePattern.Parse("regex:(?=/)^/(\\w+\\s?)*$");
        var input = "/" + new string('a', 40) + "!";
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < PagePattern.TimeoutsBeforeDisabled; i++) Assert.False(pattern.IsMatch(input));
        Assert.True(pattern.Disabled);
        Assert.False(pattern.IsMatch("/ok"));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }

    [Fact]
    public void ValidationProbeSpotsCatastrophicBacktracking() =>
        Assert.True(PagePattern.Parse("regex:(?=/)^/(\\w+\\s?)*$").BacktracksCatastrophically());

    [Theory]
    [InlineData("regex:(?<=/)loans")]
    [InlineData("regex:^/(\\w+)/\\1$")]
    public void BacktrackingOnlyFeaturesStillWork(string pattern)
    {
        var parsed = PagePattern.Parse(pattern);
        Assert.True(parsed.IsRegex);
        Assert.False(parsed.BacktracksCatastrophically());
    }

    [Fact]
    public void SourceIsKept() => Assert.Equal("/loans/*", PagePattern.Parse("/loans/*").ToString());
}
