using System.Text.Json;
using LiveChat.Contracts;
using LiveChat.Engagement;
using LiveChat.Grains;

namespace LiveChat.Server.Notices;

/// <summary>
/// Reads the body of POST/PUT <c>/api/sites/{siteId}/notices</c>: <c>{ text, severity, pageMatches?, link?, expiresAt? }</c>;
/// <c>text</c> is a string or one per language, <c>{ "nl": "…", "en": "…" }</c>.
/// Refuses unknown fields and names the bad field in every error. Text is plain text: the widget sets it with textContent.
/// </summary>
internal static class NoticeRequest
{
    public const int MaxText = 500;
    public const int MaxBodyBytes = 16 * 1024;
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(30);
    public static readonly string[] Fields = ["text", "severity", "pageMatches", "link", "expiresAt"];

    public static (NoticeDraft? Draft, string? Error) Parse(string body, DateTimeOffset now, string siteLanguage = "en")
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return Read(doc.RootElement, now, siteLanguage);
        }
        catch (JsonException e)
        {
            return (null, $"the body is not valid JSON: {e.Message}");
        }
    }

    private static (NoticeDraft?, string?) Read(JsonElement root, DateTimeOffset now, string siteLanguage)
    {
        if (root.ValueKind != JsonValueKind.Object) return (null, "the body must be a JSON object { text, severity, pageMatches?, link?, expiresAt? }");
        var values = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in root.EnumerateObject())
        {
            var field = Fields.FirstOrDefault(f => f.Equals(property.Name, StringComparison.OrdinalIgnoreCase));
            if (field is null) return (null, $"{property.Name} is not a known field (known: {string.Join(", ", Fields)})");
            if (!values.TryAdd(field, property.Value)) return (null, $"{field} is given twice");
            if (field == "text" && property.Value.ValueKind == JsonValueKind.Object) continue;
            if (property.Value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
                return (null, field == "text" ? "text must be a string or an object of language → text, e.g. { \"nl\": \"…\", \"en\": \"…\" }" : $"{field} must be a string");
        }
        var (localized, textError) = Localized(values);
        if (textError is not null) return (null, textError);
        var text = localized?.For([siteLanguage]);
        var severity = Text(values, "severity");
        var pageMatches = Text(values, "pageMatches");
        var link = Text(values, "link");
        DateTimeOffset? expiresAt = null;
        if (values.TryGetValue("expiresAt", out var e) && e.ValueKind == JsonValueKind.String)
        {
            if (!e.TryGetDateTimeOffset(out var at)) return (null, "expiresAt must be an ISO 8601 date and time, e.g. 2030-01-31T18:00:00Z");
            expiresAt = at;
        }

        var error = (localized is null ? "text is required" : localized.Validate("text", MaxText))
            ?? (severity is null ? "severity is required (info, warning or outage)" : null)
            ?? (!NoticeSeverity.All.Contains(severity) ? $"severity must be info, warning or outage, not '{severity}'" : null)
            ?? Page(pageMatches)
            ?? (link is null ? null : Check.Url(link, "link"))
            ?? (expiresAt <= now ? "expiresAt must be in the future" : null)
            ?? (expiresAt > now + MaxLifetime ? $"expiresAt must be at most {MaxLifetime.TotalDays:0} days ahead" : null);
        var texts = localized?.ByLanguage is { } byLanguage ? new Dictionary<string, string>(byLanguage) : null;
        return error is null ? (new NoticeDraft(text!, severity!, pageMatches, link, expiresAt?.ToUniversalTime(), texts), null) : (null, error);
    }

    /// <summary>The text as a string or per language; a repeated language is refused by name.</summary>
    private static (LocalizedText?, string?) Localized(Dictionary<string, JsonElement> values)
    {
        if (!values.TryGetValue("text", out var value) || value.ValueKind == JsonValueKind.Null) return (null, null);
        if (value.ValueKind == JsonValueKind.String) return (LocalizedText.Of(value.GetString()!), null);
        var texts = new List<KeyValuePair<string, string>>();
        foreach (var p in value.EnumerateObject())
        {
            if (p.Value.ValueKind != JsonValueKind.String) return (null, $"text.{p.Name} must be a string");
            if (texts.Any(t => t.Key.Equals(p.Name, StringComparison.OrdinalIgnoreCase))) return (null, $"text: '{p.Name}' is given twice");
            texts.Add(new(p.Name, p.Value.GetString()!));
        }
        return (LocalizedText.Of(texts), null);
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
