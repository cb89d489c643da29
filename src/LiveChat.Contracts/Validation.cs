using System.Text.RegularExpressions;

namespace LiveChat.Contracts;

/// <summary>A request that can say what is wrong with itself; the hub filter calls it before any hub method runs.</summary>
public interface IValidatable
{
    /// <returns>null when valid, else a message that names the bad field.</returns>
    string? Validate();
}

/// <summary>Small checks that name the field they refuse.</summary>
public static partial class Check
{
    public static string? Required(string? value, string field, int max) =>
        string.IsNullOrWhiteSpace(value) ? $"{field} is required"
        : value.Length > max ? $"{field} is longer than {max} characters"
        : null;

    public static string? Optional(string? value, string field, int max) =>
        value is not null && value.Length > max ? $"{field} is longer than {max} characters" : null;

    public static string? Url(string? value, string field)
    {
        if (Required(value, field, Limits.Url) is { } error) return error;
        return Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == "http" || uri.Scheme == "https")
            ? null
            : $"{field} must be an absolute http(s) URL";
    }

    public static string? Phone(string? value, string field) =>
        Required(value, field, Limits.Phone) ?? (PhonePattern().IsMatch(value!) ? null : $"{field} is not a phone number");

    public static string? Email(string? value, string field) =>
        Required(value, field, Limits.Email) ?? (EmailPattern().IsMatch(value!) ? null : $"{field} is not an email address");

    public const int MaxLanguages = 10;

    /// <summary>BCP 47 tags in the shape browsers send (nl, en-GB, zh-Hant-TW); the same check as LiveChat.Engagement.LocalizedText.</summary>
    public static string? Languages(IReadOnlyList<string>? tags, string field)
    {
        if (tags is null) return null;
        if (tags.Count > MaxLanguages) return $"{field} has more than {MaxLanguages} entries";
        for (var i = 0; i < tags.Count; i++)
            if (tags[i] is not { Length: <= 35 } tag || !LanguagePattern().IsMatch(tag)) return $"{field}[{i}]: '{tags[i]}' is not a language tag (BCP 47, e.g. nl, en-GB)";
        return null;
    }

    public static string? First(params string?[] errors) => errors.FirstOrDefault(e => e is not null);

    [GeneratedRegex(@"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")]
    private static partial Regex LanguagePattern();

    [GeneratedRegex(@"^\+?[0-9 ()./-]{6,32}$")]
    private static partial Regex PhonePattern();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailPattern();
}
