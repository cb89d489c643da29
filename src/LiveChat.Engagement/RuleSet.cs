namespace LiveChat.Engagement;

/// <summary>A site's validated rules at one version, with their patterns compiled once, highest priority first (ties by id).</summary>
public sealed class RuleSet
{
    public static readonly RuleSet Empty = new(0, []);

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
    internal IReadOnlyList<CompiledRule> Compiled { get; }
    public Rule? Find(string id) => Rules.FirstOrDefault(r => r.Id == id);
}

internal sealed class CompiledRule(Rule rule)
{
    public Rule Rule { get; } = rule;
    public PagePattern? Page { get; } = rule.When.PageMatches is { } p ? PagePattern.Parse(p) : null;
    public PagePattern? Referrer { get; } = rule.When.ReferrerMatches is { } r ? PagePattern.Parse(r) : null;
}
