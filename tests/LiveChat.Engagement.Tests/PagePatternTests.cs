
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

    [Theory]
    [InlineData("regex:^/(a+)+$", "/aaaa")]
    [InlineData("regex:^/(\\w+/?)+$", "/shop/checkout")]
    [InlineData("regex:^/(\\w+\\s?)*$", "/shop")]
    public void HostileInputsNeverSwitchARuleOff(string source, string legitimate)
    {
        // Nested quantifiers run on the linear-time engine: no timeout, no "slow rule" to disable.
        var pattern = PagePattern.Parse(source);
        foreach (var c in "a/ !") Assert.False(pattern.IsMatch("/" + new string('a', 20_000) + c + "\u0001"));
        Assert.True(pattern.IsMatch(legitimate));
    }

    [Theory]
    [InlineData("regex:^/(?=.*checkout)(\\w+/?)+$")]
    [InlineData("regex:(?=/)^/(\\w+\\s?)*$")]
    [InlineData("regex:(?<=/)loans")]
    [InlineData("regex:^/(?!admin)")]
    [InlineData("regex:^/(?<!x)loans")]
    [InlineData("regex:^/(\\w+)/\\1$")]
    [InlineData("regex:^/(?<n>\\w+)/\\k<n>$")]
    [InlineData("regex:(?>a+)b")]
    public void ConstructsTheLinearEngineCannotRunAreRefused(string pattern)
    {
        var refused = Assert.Throws<ArgumentException>(() => PagePattern.Parse(pattern));
        Assert.Equal(PagePattern.Unsupported, refused.Message);
    }

    [Fact]
    public void SourceIsKept() => Assert.Equal("/loans/*", PagePattern.Parse("/loans/*").ToString());
}
