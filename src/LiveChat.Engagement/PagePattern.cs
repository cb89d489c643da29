using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace LiveChat.Engagement;

/// <summary>
/// A page pattern: a glob where <c>*</c> matches any run of characters (<c>/</c> included), or <c>regex:…</c>.
/// Globs are anchored at both ends and ignore case; regexes are unanchored, as .NET's IsMatch.
/// </summary>
public sealed class PagePattern
{
    public const string RegexPrefix = "regex:";
    public const int MaxLength = 500;
    public const string Unsupported = "regex uses a construct the linear-time engine cannot run (lookahead, lookbehind, backreference or atomic group); rewrite it without";

    private readonly string? glob;
    private readonly Regex? regex;

    private PagePattern(string source, string? glob, Regex? regex)
    {
        Source = source;
        this.glob = glob;
        this.regex = regex;
    }

    public string Source { get; }
    public bool IsRegex => regex is not null;

    /// <exception cref="ArgumentException">the pattern is empty, too long, not a valid regex, or one the linear-time engine cannot run.</exception>
    public static PagePattern Parse(string pattern)
    {
        if (string.IsNullOrWhiteSpace(pattern)) throw new ArgumentException("pattern is empty");
        if (pattern.Length > MaxLength) throw new ArgumentException($"pattern is longer than {MaxLength} characters");
        if (!pattern.StartsWith(RegexPrefix, StringComparison.Ordinal)) return new(pattern, pattern, null);
        var body = pattern[RegexPrefix.Length..];
        if (body.Length == 0) throw new ArgumentException("regex is empty");
        return new(pattern, null, CompileRegex(body));
    }

    /// <summary>Linear in the input whatever the pattern, so no visitor's URL can slow a rule down or switch it off.</summary>
    public bool IsMatch(string input) => glob is not null ? GlobMatch(glob, input) : regex!.IsMatch(input);

    public override string ToString() => Source;

    /// <summary>
    /// Regexes run only on the non-backtracking engine: linear time, so <c>(a+)+$</c> cannot explode. Patterns it
    /// cannot run (lookarounds, backreferences, atomic groups) are refused when the rule is saved, not run slowly.
    /// </summary>
    private static Regex CompileRegex(string body)
    {
        // Building a non-backtracking regex costs ~0.5 MB and ~1 ms; every RuleSet of every site version would pay it
        // again. A Regex is thread-safe, so one instance per distinct pattern is shared.
        if (Cache.TryGetValue(body, out var cached)) return cached;
        var regex = Build(body);
        if (Cache.Count >= MaxCached) Cache.Clear();
        return Cache.GetOrAdd(body, regex);
    }

    private const int MaxCached = 1024;
    private static readonly ConcurrentDictionary<string, Regex> Cache = new(StringComparer.Ordinal);

    private static Regex Build(string body)
    {
        try
        {
            return new Regex(body, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
        }
        catch (NotSupportedException e)
        {
            throw new ArgumentException(Unsupported, e);
        }
        catch (RegexParseException e)
        {
            throw new ArgumentException(e.Message, e);
        }
    }

    /// <summary>
    /// Wildcard match with the classic two-cursor algorithm: O(pattern × input) at worst, no allocation,
    /// no backtracking blow-up, and much cheaper than a regex for the common <c>/loans/*</c>.
    /// </summary>
    internal static bool GlobMatch(ReadOnlySpan<char> pattern, ReadOnlySpan<char> input)
    {
        int p = 0, i = 0, star = -1, resume = 0;
        while (i < input.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                resume = i;
            }
            else if (p < pattern.Length && SameIgnoringCase(pattern[p], input[i]))
            {
                p++;
                i++;
            }
            else if (star >= 0)
            {
                p = star + 1;
                i = ++resume;
            }
            else
            {
                return false;
            }
        }
        while (p < pattern.Length && pattern[p] == '*') p++;
        return p == pattern.Length;
    }

    private static bool SameIgnoringCase(char a, char b) =>
        a == b || (char.IsAscii(a) && char.IsAscii(b) ? (a | 0x20) == (b | 0x20) && char.IsAsciiLetter(a) : char.ToUpperInvariant(a) == char.ToUpperInvariant(b));
}
