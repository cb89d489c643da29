using System.Text.Json;
using System.Text.Json.Serialization;

namespace LiveChat.Engagement;

/// <summary>Parses and validates a site's rules from JSON; every refusal names the rule and the field.</summary>
public static class RuleParser
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
    };

    public static RuleParseResult Parse(string json)
    {
        List<Rule>? rules;
        try { rules = JsonSerializer.Deserialize<List<Rule>>(json, Json); }
        catch (JsonException e) { return RuleParseResult.Fail($"invalid JSON at {e.Path ?? "$"}: {FirstLine(e.Message)}"); }
        if (rules is null) return RuleParseResult.Fail("rules must be a JSON array");
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            if (rule is null) return RuleParseResult.Fail($"rules[{i}] is null");
            var name = string.IsNullOrWhiteSpace(rule.Id) ? $"rules[{i}]" : $"rule '{rule.Id}'";
            if (RuleValidator.Validate(rule) is { } error) return RuleParseResult.Fail($"{name}: {error}");
            if (!ids.Add(rule.Id)) return RuleParseResult.Fail($"{name}: id is used twice");
        }
        return RuleParseResult.Ok(rules);
    }

    public static string Serialize(IEnumerable<Rule> rules) => JsonSerializer.Serialize(rules, Json);

    private static string FirstLine(string message) => message.Split('\n')[0].Split(" Path:")[0];
}

public sealed record RuleParseResult(IReadOnlyList<Rule> Rules, string? Error)
{
    public bool Success => Error is null;
    public static RuleParseResult Ok(IReadOnlyList<Rule> rules) => new(rules, null);
    public static RuleParseResult Fail(string error) => new([], error);
}
