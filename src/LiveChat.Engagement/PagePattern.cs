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
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(50);

    /// <summary>A regex that timed out this often is switched off: one hostile rule must not cost every event 50 ms.</summary>
    public const int TimeoutsBeforeDisabled = 3;

    private readonly string? glob;
    private readonly Regex? regex;
    private int timeouts;

    private PagePattern(string source, string? glob, Regex? regex)
    {
        Source = source;
        this.glob = glob;
        this.regex = regex;
    }

    public string Source { get; }
    public bool IsRegex => regex is not null;

    /// <summary>True when the regex timed out too often and now matches nothing.</summary>
    public bool Disabled => Volatile.Read(ref timeouts) >= TimeoutsBeforeDisabled;

    /// <exception cref="ArgumentException">the pattern is empty, too long or not a valid regex.</exception>
    public static PagePattern Parse(string pattern)
    {
        if (string.IsNullOrWhiteSpace(pattern)) throw new ArgumentException("pattern is empty");
        if (pattern.Length > MaxLength) throw new ArgumentException($"pattern is longer than {MaxLength} characters");
        if (!pattern.StartsWith(RegexPrefix, StringComparison.Ordinal)) return new(pattern, pattern, null);
        var body = pattern[RegexPrefix.Length..];
        if (body.Length == 0) throw new ArgumentException("regex is empty");
        return new(pattern, null, CompileRegex(body));
    }

    public bool IsMatch(string input)
    {
        if (glob is not null) return GlobMatch(glob, input);
        if (Disabled) return false;
        try { return regex!.IsMatch(input); }
        catch (RegexMatchTimeoutException)
        {
            // A pattern that times out does not match: a hostile regex never blocks a grain.
            Interlocked.Increment(ref timeouts);
            return false;
        }
    }

    public override string ToString() => Source;

    /// <summary>
    /// True when a backtracking regex times out on inputs built to trigger catastrophic backtracking
    /// (runs of one character, after a '/' as pages have it, ending in a character that breaks the match). Validation refuses such patterns.
    /// </summary>
    internal bool BacktracksCatastrophically()
    {
        if (regex is null || (regex.Options & RegexOptions.NonBacktracking) != 0) return false;
        var probes = Source.Where(char.IsAsciiLetterOrDigit).Append('a').Append('/').Append(' ').Distinct().Take(12);
        foreach (var c in probes)
        {
            foreach (var input in (string[])["/" + new string(c, 4096) + "!", new string(c, 4096) + "\u0001"])
            {
                try { regex.IsMatch(input); }
                catch (RegexMatchTimeoutException) { return true; }
            }
        }
        return false;
    }

    /// <summary>
    /// The non-backtracking engine runs in linear time, so <c>(a+)+$</c> cannot explode; patterns it cannot run
    /// (backreferences, lookarounds, atomic groups) fall back to the backtracking engine, still under the timeout.
    /// </summary>
    private static Regex CompileRegex(string body)
    {
        // Building a non-backtracking regex costs ~0.5 MB and ~1 ms; every RuleSet of every site version would pay it
        // again. A Regex is thread-safe, so one instance per distinct pattern is shared (the timeout count is not).
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
            return new Regex(body, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, MatchTimeout);
        }
        catch (NotSupportedException)
        {
            return new Regex(body, RegexOptions.CultureInvariant, MatchTimeout);
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
