using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace LiveChat.Engagement;

/// <summary>Parses and validates a site's rules from JSON; every refusal names the rule and the field.</summary>
public static class RuleParser
{
    public const int MaxRules = 500;
    public const int MaxJsonLength = 1_000_000;

    /// <summary>Strict numbers: the web defaults would read <c>"45"</c> as 45 and hide a wrong type from the admin.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.Strict,
        WriteIndented = true,
        // Set explicitly so JsonShape can read the same contract the serializer uses.
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
    };

    public static RuleParseResult Parse(string json)
    {
        if (string.IsNullOrWhiteSpace(json)) return RuleParseResult.Fail("rules must be a JSON array");
        if (json.Length > MaxJsonLength) return RuleParseResult.Fail($"rules are longer than {MaxJsonLength} characters");
        JsonDocument document;
        try { document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 16 }); }
        catch (JsonException e)
        {
            return RuleParseResult.Fail($"invalid JSON at line {e.LineNumber + 1}, position {e.BytePositionInLine + 1}: {FirstLine(e.Message)}");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Array) return RuleParseResult.Fail("rules must be a JSON array");
            if (root.GetArrayLength() > MaxRules) return RuleParseResult.Fail($"at most {MaxRules} rules per site");
            var rules = new List<Rule>(root.GetArrayLength());
            var ids = new HashSet<string>(StringComparer.Ordinal);
            var index = 0;
            foreach (var element in root.EnumerateArray())
            {
                var name = NameOf(element, index++);
                if (ParseOne(element, out var rule) is { } error) return RuleParseResult.Fail($"{name}: {error}");
                if (!ids.Add(rule!.Id)) return RuleParseResult.Fail($"{name}: id is used by another rule");
                rules.Add(rule);
            }
            return RuleParseResult.Ok(rules);
        }
    }

    public static string Serialize(IEnumerable<Rule> rules) => JsonSerializer.Serialize(rules, Json);

    /// <summary>Shape first (types, unknown and missing fields), then the values (ranges, patterns).</summary>
    private static string? ParseOne(JsonElement element, out Rule? rule)
    {
        rule = null;
        if (element.ValueKind != JsonValueKind.Object) return "must be an object";
        if (JsonShape.Check(element, typeof(Rule), Json, "") is { } shape) return shape;
        try { rule = element.Deserialize<Rule>(Json); }
        catch (JsonException e) { return $"{Field(e.Path)} has an invalid value"; }
        if (rule is null) return "must be an object";
        return RuleValidator.Validate(rule);
    }

    /// <summary>Names a rule by its id when it has a usable one, else by its position.</summary>
    private static string NameOf(JsonElement element, int index)
    {
        if (element.ValueKind == JsonValueKind.Object
            && element.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
            && id.GetString() is { Length: > 0 and <= RuleValidator.MaxIdLength } text && !text.Any(char.IsControl))
            return $"rule '{text}'";
        return $"rules[{index}]";
    }

    private static string Field(string? path) => path is null or "$" ? "rule" : path.TrimStart('$', '.');

    private static string FirstLine(string message)
    {
        var line = message.Split('\n')[0];
        var cut = line.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut >= 0 ? line[..cut] : line).Trim();
    }
}

public sealed record RuleParseResult(IReadOnlyList<Rule> Rules, string? Error)
{
    public bool Success => Error is null;
    public static RuleParseResult Ok(IReadOnlyList<Rule> rules) => new(rules, null);
    public static RuleParseResult Fail(string error) => new([], error);
}
