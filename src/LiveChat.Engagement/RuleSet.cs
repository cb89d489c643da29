namespace LiveChat.Engagement;

/// <summary>A site's validated rules at one version, with their patterns compiled once, highest priority first (ties by id).</summary>
public sealed class RuleSet
{
    public static readonly RuleSet Empty = new(0, []);

    /// <exception cref="ArgumentException">a rule has an invalid pattern (rules from <see cref="RuleParser"/> never do).</exception>
    public RuleSet(long version, IReadOnlyList<Rule> rules)
    {
        Version = version;
        Rules = rules;
        Compiled = rules
            .OrderByDescending(r => r.Priority).ThenBy(r => r.Id, StringComparer.Ordinal)
            .Select(r => new CompiledRule(r))
            .ToArray();
    }

    public long Version { get; }
    public IReadOnlyList<Rule> Rules { get; }

    /// <summary>An array, not an interface, so the evaluator's loop allocates no enumerator.</summary>
    internal CompiledRule[] Compiled { get; }
}

/// <summary>A rule with what the evaluator needs ready: patterns compiled, durations as TimeSpans, its "due now" answer allocated once.</summary>
internal sealed class CompiledRule
{
    public CompiledRule(Rule rule)
    {
        Rule = rule;
        var when = rule.When;
        Page = when.PageMatches is { } p ? PagePattern.Parse(p) : null;
        Referrer = when.ReferrerMatches is { } r ? PagePattern.Parse(r) : null;
        TimeOnPage = Seconds(when.TimeOnPageSeconds);
        Idle = when.Event is null ? null : Seconds(when.IdleAfterEventSeconds);
        Cooldown = Seconds(rule.CooldownSeconds);
        DueNow = new EngagementDecision(rule, null);
        HeldOutNow = new EngagementDecision(rule, null) { HeldOut = true };
        VariantsNow = rule.Then.Variants is { Count: > 1 } variants
            ? Enumerable.Range(0, variants.Count).Select(i => new EngagementDecision(rule, null) { Variant = i }).ToArray()
            : null;
    }

    /// <summary>"Due now" for this visitor: held out, a variant, or the plain decision — all allocated once, here.</summary>
    public EngagementDecision DueNowFor(string visitorId)
    {
        if (Assignment.IsHeldOut(Rule.Id, visitorId, Rule.HoldoutPercent)) return HeldOutNow;
        return VariantsNow is { } variants ? variants[Assignment.Variant(Rule.Id, visitorId, variants.Length)!.Value] : DueNow;
    }

    public readonly Rule Rule;
    public readonly PagePattern? Page;
    public readonly PagePattern? Referrer;
    public readonly TimeSpan? TimeOnPage;
    public readonly TimeSpan? Idle;
    public readonly TimeSpan? Cooldown;
    public readonly EngagementDecision DueNow;
    public readonly EngagementDecision HeldOutNow;
    public readonly EngagementDecision[]? VariantsNow;

    /// <summary>Exact to the tick: TimeSpan.FromSeconds(double) has rounded to milliseconds on some runtimes.</summary>
    private static TimeSpan? Seconds(double? seconds) =>
        seconds is { } s ? TimeSpan.FromTicks((long)Math.Round(s * TimeSpan.TicksPerSecond)) : null;
}
