using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace LiveChat.Engagement;

/// <summary>
/// Checks a rule's JSON against the serializer's own contract before deserializing, so unknown fields, repeated
/// fields, missing required fields and wrong types come back as "when.timeOnPageSeconds must be a number"
/// instead of a serializer message about CLR types.
/// </summary>
internal static class JsonShape
{
    private static readonly ConcurrentDictionary<Type, Dictionary<string, JsonPropertyInfo>> Contracts = new();

    public static string? Check(JsonElement element, Type type, JsonSerializerOptions options, string prefix)
    {
        var properties = Contracts.GetOrAdd(type, t => options.GetTypeInfo(t).Properties
            .ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase));
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in element.EnumerateObject())
        {
            var field = prefix + property.Name;
            if (!seen.Add(property.Name)) return $"{field} is given twice";
            if (!properties.TryGetValue(property.Name, out var info))
                return $"{field} is not a known field (known: {string.Join(", ", properties.Keys)})";
            if (Value(property.Value, info.PropertyType, options, field) is { } error) return error;
        }
        foreach (var (name, info) in properties)
            if (info.IsRequired && !seen.Contains(name)) return $"{prefix}{name} is required";
        return null;
    }

    private static string? Value(JsonElement value, Type type, JsonSerializerOptions options, string field)
    {
        var underlying = Nullable.GetUnderlyingType(type);
        if (value.ValueKind == JsonValueKind.Null)
            return type.IsValueType && underlying is null ? $"{field} must be {Describe(type)}, not null" : null; // null objects: RuleValidator names them
        var t = underlying ?? type;
        if (t == typeof(LocalizedText)) return LocalizedShape(value, field);
        if (t == typeof(IReadOnlyList<LocalizedText>))
        {
            if (value.ValueKind != JsonValueKind.Array) return $"{field} must be an array of texts (each a string or an object of language → text)";
            var i = 0;
            foreach (var item in value.EnumerateArray())
                if (item.ValueKind != JsonValueKind.Null && LocalizedShape(item, $"{field}[{i++}]") is { } error) return error;
                else if (item.ValueKind == JsonValueKind.Null) i++;
            return null;
        }
        var ok = value.ValueKind switch
        {
            JsonValueKind.String => t == typeof(string),
            JsonValueKind.True or JsonValueKind.False => t == typeof(bool),
            JsonValueKind.Number when t == typeof(int) => value.TryGetInt32(out _),
            JsonValueKind.Number when t == typeof(double) => value.TryGetDouble(out var d) && double.IsFinite(d),
            JsonValueKind.Number when t == typeof(decimal) => value.TryGetDecimal(out _),
            JsonValueKind.Array when t == typeof(IReadOnlyList<string>) => value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String),
            JsonValueKind.Object when IsContract(t) => true,
            _ => false,
        };
        if (!ok) return $"{field} must be {Describe(t)}";
        return value.ValueKind == JsonValueKind.Object ? Check(value, t, options, field + ".") : null;
    }

    /// <summary>A string, or an object whose every value is a string, each language once.</summary>
    private static string? LocalizedShape(JsonElement value, string field)
    {
        if (value.ValueKind == JsonValueKind.String) return null;
        if (value.ValueKind != JsonValueKind.Object) return $"{field} must be a string or an object of language → text, e.g. {{ \"nl\": \"…\", \"en\": \"…\" }}";
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var p in value.EnumerateObject())
        {
            if (!seen.Add(p.Name)) return $"{field}: '{p.Name}' is given twice";
            if (p.Value.ValueKind != JsonValueKind.String) return $"{field}.{p.Name} must be a string";
        }
        return null;
    }

    private static bool IsContract(Type t) => t == typeof(RuleWhen) || t == typeof(RuleThen);

    private static string Describe(Type t) =>
        t == typeof(string) ? "a string"
        : t == typeof(bool) ? "true or false"
        : t == typeof(int) ? "a whole number"
        : t == typeof(double) || t == typeof(decimal) ? "a number"
        : t == typeof(IReadOnlyList<string>) ? "an array of strings"
        : "an object";
}
