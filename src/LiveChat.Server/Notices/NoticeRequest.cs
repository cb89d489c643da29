using System.Text.Json;
using LiveChat.Contracts;
using LiveChat.Engagement;
using LiveChat.Grains;

namespace LiveChat.Server.Notices;

/// <summary>
/// Reads the body of POST/PUT <c>/api/sites/{siteId}/notices</c>: <c>{ text, severity, pageMatches?, link?, expiresAt? }</c>.
/// Refuses unknown fields and names the bad field in every error. Text is plain text: the widget sets it with textContent.
/// </summary>
internal static class NoticeRequest
{
    public const int MaxText = 500;
    public const int MaxBodyBytes = 16 * 1024;
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(30);
    public static readonly string[] Fields = ["text", "severity", "pageMatches", "link", "expiresAt"];

    public static (NoticeDraft? Draft, string? Error) Parse(string body, DateTimeOffset now)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return Read(doc.RootElement, now);
        }
        catch (JsonException e)
        {
            return (null, $"the body is not valid JSON: {e.Message}");
        }
    }

    private static (NoticeDraft?, string?) Read(JsonElement root, DateTimeOffset now)
    {
        if (root.ValueKind != JsonValueKind.Object) return (null, "the body must be a JSON object { text, severity, pageMatches?, link?, expiresAt? }");
        var values = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in root.EnumerateObject())
        {
            var field = Fields.FirstOrDefault(f => f.Equals(property.Name, StringComparison.OrdinalIgnoreCase));
            if (field is null) return (null, $"{property.Name} is not a known field (known: {string.Join(", ", Fields)})");
            if (!values.TryAdd(field, property.Value)) return (null, $"{field} is given twice");
            if (property.Value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null)) return (null, $"{field} must be a string");
        }
        var text = Text(values, "text");
        var severity = Text(values, "severity");
        var pageMatches = Text(values, "pageMatches");
        var link = Text(values, "link");
        DateTimeOffset? expiresAt = null;
        if (values.TryGetValue("expiresAt", out var e) && e.ValueKind == JsonValueKind.String)
        {
            if (!e.TryGetDateTimeOffset(out var at)) return (null, "expiresAt must be an ISO 8601 date and time, e.g. 2030-01-31T18:00:00Z");
            expiresAt = at;
        }

        var error = Check.Required(text, "text", MaxText)
            ?? (text!.Any(c => char.IsControl(c) && c != '\n') ? "text must not contain control characters" : null)
            ?? (severity is null ? "severity is required (info, warning or outage)" : null)
            ?? (!NoticeSeverity.All.Contains(severity) ? $"severity must be info, warning or outage, not '{severity}'" : null)
            ?? Page(pageMatches)
            ?? (link is null ? null : Check.Url(link, "link"))
            ?? (expiresAt <= now ? "expiresAt must be in the future" : null)
            ?? (expiresAt > now + MaxLifetime ? $"expiresAt must be at most {MaxLifetime.TotalDays:0} days ahead" : null);
        return error is null ? (new NoticeDraft(text!, severity!, pageMatches, link, expiresAt?.ToUniversalTime()), null) : (null, error);
    }

    private static string? Text(Dictionary<string, JsonElement> values, string field) =>
        values.TryGetValue(field, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>The very checks a rule's <c>when.pageMatches</c> gets, so a pattern means the same in both places.</summary>
    private static string? Page(string? pattern)
    {
        if (pattern is null) return null;
        var probe = new Rule { Id = "notice", When = new RuleWhen { PageMatches = pattern }, Then = new RuleThen { Text = "notice" } };
        return RuleValidator.Validate(probe)?.Replace("when.pageMatches", "pageMatches", StringComparison.Ordinal);
    }
}
