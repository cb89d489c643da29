namespace LiveChat.Engagement;

/// <summary>Checks one rule's fields; returns the first problem, naming the field, or null.</summary>
public static class RuleValidator
{
    public const double MaxSeconds = 24 * 3600;
    public static readonly IReadOnlySet<string> KnownOffers = new HashSet<string> { "chat", "callback", "phone" };

    public static string? Validate(Rule rule)
    {
        if (string.IsNullOrWhiteSpace(rule.Id)) return "id is required";
        if (rule.Id.Length > 64 || !rule.Id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            return "id must be 1-64 letters, digits, '-', '_' or '.'";
        if (rule.Situation is { Length: > 100 }) return "situation is longer than 100 characters";
        if (rule.When is null) return "when is required";
        if (rule.Then is null) return "then is required";
        if (string.IsNullOrWhiteSpace(rule.Then.Text)) return "then.text is required";
        if (rule.Then.Text.Length > 500) return "then.text is longer than 500 characters";
        if (rule.Then.Offers?.FirstOrDefault(o => !KnownOffers.Contains(o)) is { } offer)
            return $"then.offers: unknown offer '{offer}' (chat, callback, phone)";
        var w = rule.When;
        return Pattern(w.PageMatches, "when.pageMatches")
            ?? Pattern(w.ReferrerMatches, "when.referrerMatches")
            ?? Seconds(w.TimeOnPageSeconds, "when.timeOnPageSeconds")
            ?? Seconds(w.IdleAfterEventSeconds, "when.idleAfterEventSeconds")
            ?? (w.IdleAfterEventSeconds is not null && w.Event is null ? "when.idleAfterEventSeconds needs when.event" : null)
            ?? (w.PagesViewedAtLeast is < 0 or > 10_000 ? "when.pagesViewedAtLeast must be between 0 and 10000" : null)
            ?? (w.CartValueAtLeast is < 0 or > 1_000_000_000 ? "when.cartValueAtLeast must be between 0 and 1000000000" : null)
            ?? (w.Event is { } e && (e.Length is 0 or > 64) ? "when.event must be 1-64 characters" : null)
            ?? (w.UtmCampaign is { Length: 0 or > 100 } ? "when.utmCampaign must be 1-100 characters" : null)
            ?? (rule.MaxPerVisit is < 1 or > 100 ? "maxPerVisit must be between 1 and 100" : null)
            ?? (rule.CooldownSeconds is < 0 or > 30 * 24 * 3600 ? "cooldownSeconds must be between 0 and 2592000" : null)
            ?? (rule.Priority is < -1000 or > 1000 ? "priority must be between -1000 and 1000" : null);
    }

    private static string? Seconds(double? value, string field) =>
        value is null ? null
        : double.IsNaN(value.Value) || value < 0 || value > MaxSeconds ? $"{field} must be between 0 and {MaxSeconds}"
        : null;

    private static string? Pattern(string? pattern, string field)
    {
        if (pattern is null) return null;
        if (pattern.Length > 500) return $"{field} is longer than 500 characters";
        try { PagePattern.Parse(pattern); return null; }
        catch (ArgumentException e) { return $"{field} is not a valid pattern: {e.Message}"; }
    }
}
