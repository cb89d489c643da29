using System.Text.RegularExpressions;

namespace LiveChat.Engagement;

/// <summary>A page pattern: a glob where <c>*</c> matches any run of characters (<c>/</c> included), or <c>regex:…</c>.</summary>
public sealed class PagePattern
{
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(50);
    private readonly Regex regex;

    private PagePattern(string source, Regex regex) { Source = source; this.regex = regex; }

    public string Source { get; }

    /// <exception cref="ArgumentException">the pattern is not valid.</exception>
    public static PagePattern Parse(string pattern)
    {
        if (string.IsNullOrWhiteSpace(pattern)) throw new ArgumentException("pattern is empty");
        if (pattern.StartsWith("regex:", StringComparison.Ordinal))
            return new(pattern, new Regex(pattern["regex:".Length..], RegexOptions.CultureInvariant, MatchTimeout));
        var body = string.Join(".*", pattern.Split('*').Select(Regex.Escape));
        return new(pattern, new Regex("^" + body + "$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, MatchTimeout));
    }

    /// <summary>A pattern that times out does not match: a hostile regex never blocks a grain.</summary>
    public bool IsMatch(string input)
    {
        try { return regex.IsMatch(input); }
        catch (RegexMatchTimeoutException) { return false; }
    }
}
