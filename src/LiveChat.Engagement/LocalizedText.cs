using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace LiveChat.Engagement;

/// <summary>
/// Text a site writes, either one string for everyone or one per language: <c>"Hi"</c> or <c>{ "nl": "Hoi", "en": "Hi" }</c>.
/// A reader gets the first of their languages the text has (exact tag, then its primary language: <c>nl-BE</c> → <c>nl</c>),
/// else the site's default language's, else English, else the first one written.
/// </summary>
[JsonConverter(typeof(LocalizedTextConverter))]
public sealed partial class LocalizedText : IEquatable<LocalizedText>
{
    public const int MaxLanguages = 20;

    private LocalizedText(string? single, IReadOnlyDictionary<string, string>? byLanguage)
    {
        Everyone = single;
        ByLanguage = byLanguage;
    }

    /// <summary>The one text for everyone, when not given per language.</summary>
    public string? Everyone { get; }
    /// <summary>Language tag → text, in the order written.</summary>
    public IReadOnlyDictionary<string, string>? ByLanguage { get; }

    public static LocalizedText Of(string text) => new(text, null);
    public static LocalizedText Of(IEnumerable<KeyValuePair<string, string>> byLanguage) =>
        new(null, byLanguage.ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase));

    public static implicit operator LocalizedText?(string? text) => text is null ? null : Of(text);

    /// <summary>The text for a reader whose languages are <paramref name="preferences"/> (best first; the site's default last).</summary>
    public string For(IEnumerable<string?>? preferences)
    {
        if (ByLanguage is not { Count: > 0 } texts) return Everyone ?? "";
        foreach (var tag in (preferences ?? []).Append("en"))
        {
            if (string.IsNullOrEmpty(tag)) continue;
            if (texts.TryGetValue(tag, out var exact)) return exact;
            var primary = tag.Split('-')[0];
            if (texts.TryGetValue(primary, out var near)) return near;
        }
        return texts.Values.First();
    }

    /// <summary>The first problem, naming the field (and the bad language tag), or null.</summary>
    public string? Validate(string field, int maxLength)
    {
        if (ByLanguage is not { } texts) return Check(Everyone, field, maxLength);
        if (texts.Count == 0) return $"{field} must name at least one language, e.g. {{ \"en\": \"…\" }}";
        if (texts.Count > MaxLanguages) return $"{field} has more than {MaxLanguages} languages";
        foreach (var (tag, text) in texts)
        {
            if (!IsLanguageTag(tag)) return $"{field}: '{tag}' is not a language tag (BCP 47, e.g. nl, en, de-AT)";
            if (Check(text, $"{field}.{tag}", maxLength) is { } error) return error;
        }
        return null;
    }

    /// <summary>BCP 47 in the shape browsers send: a 2–3 letter language, then 1–8 character subtags (nl, en-GB, zh-Hant-TW).</summary>
    public static bool IsLanguageTag(string? tag) => tag is { Length: <= 35 } && TagPattern().IsMatch(tag);

    private static string? Check(string? text, string field, int max)
    {
        if (string.IsNullOrWhiteSpace(text)) return $"{field} is required";
        if (text.Length > max) return $"{field} is longer than {max} characters";
        if (text.Any(c => char.IsControl(c) && c != '\n')) return $"{field} must not contain control characters";
        return null;
    }

    public bool Equals(LocalizedText? other) =>
        other is not null && Everyone == other.Everyone
        && (ByLanguage is null ? other.ByLanguage is null : other.ByLanguage is not null && ByLanguage.Count == other.ByLanguage.Count
            && ByLanguage.All(p => other.ByLanguage.TryGetValue(p.Key, out var v) && v == p.Value));

    public override bool Equals(object? obj) => obj is LocalizedText other && Equals(other);
    public override int GetHashCode() => Everyone?.GetHashCode(StringComparison.Ordinal) ?? ByLanguage?.Count ?? 0;
    public override string ToString() => Everyone ?? For(null);

    [GeneratedRegex(@"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")]
    private static partial Regex TagPattern();
}

/// <summary>Reads a string or an object of strings; writes back the same shape.</summary>
public sealed class LocalizedTextConverter : JsonConverter<LocalizedText>
{
    public override LocalizedText? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String) return LocalizedText.Of(reader.GetString()!);
        if (reader.TokenType != JsonTokenType.StartObject) throw new JsonException("a string or an object of language → text");
        var texts = new List<KeyValuePair<string, string>>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var tag = reader.GetString()!;
            reader.Read();
            if (reader.TokenType != JsonTokenType.String) throw new JsonException($"the text for '{tag}' must be a string");
            if (texts.Any(t => t.Key.Equals(tag, StringComparison.OrdinalIgnoreCase))) throw new JsonException($"'{tag}' is given twice");
            texts.Add(new(tag, reader.GetString()!));
        }
        return LocalizedText.Of(texts);
    }

    public override void Write(Utf8JsonWriter writer, LocalizedText value, JsonSerializerOptions options)
    {
        if (value.ByLanguage is not { } texts) { writer.WriteStringValue(value.Everyone); return; }
        writer.WriteStartObject();
        foreach (var (tag, text) in texts) writer.WriteString(tag, text);
        writer.WriteEndObject();
    }
}
