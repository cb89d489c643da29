namespace LiveChat.Engagement;

/// <summary>Checks one rule's values; returns the first problem, naming the field, or null.</summary>
public static class RuleValidator
{
    /// <summary>Longest wait a rule may ask for: a day. Longer waits outlive any visit.</summary>
    public const double MaxSeconds = 24 * 3600;
    public const int MaxCooldownSeconds = 30 * 24 * 3600;
    public const int MaxIdLength = 64;
    public const int MaxTextLength = 500;
    /// <summary>Above half, the invited group would be the smaller one: the point is to invite, and measure on the side.</summary>
    public const int MaxHoldoutPercent = 50;
    public const int MinVariants = 2;
    public const int MaxVariants = 3;
    public static readonly IReadOnlySet<string> KnownOffers = new HashSet<string>(StringComparer.Ordinal) { "chat", "callback", "phone" };

    public static string? Validate(Rule rule)
    {
        if (string.IsNullOrWhiteSpace(rule.Id)) return "id is required";
        if (rule.Id.Length > MaxIdLength || !rule.Id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            return $"id must be 1-{MaxIdLength} letters, digits, '-', '_' or '.'";
        if (rule.Situation is { } situation && (situation.Length > 100 || situation.Any(char.IsControl)))
            return "situation must be at most 100 characters, without control characters";
        if (rule.When is null) return "when is required";
        return Then(rule.Then) ?? When(rule.When)
            ?? Range(rule.MaxPerVisit, 1, 100, "maxPerVisit")
            ?? Range(rule.CooldownSeconds, 0, MaxCooldownSeconds, "cooldownSeconds")
            ?? Range(rule.Priority, -1000, 1000, "priority")
            ?? Range(rule.HoldoutPercent, 0, MaxHoldoutPercent, "holdoutPercent");
    }

    private static string? Then(RuleThen? then)
    {
        if (then is null) return "then is required";
        if (then.Variants is { } variants)
        {
            if (then.Text is not null) return "then.text and then.variants cannot both be given: put every text in then.variants";
            if (variants.Count is < MinVariants or > MaxVariants) return $"then.variants must have {MinVariants}-{MaxVariants} texts";
            for (var i = 0; i < variants.Count; i++)
                if (variants[i] is null) return $"then.variants[{i}] is required";
                else if (variants[i].Validate($"then.variants[{i}]", MaxTextLength) is { } error) return error;
            if (variants.Distinct().Count() != variants.Count) return "then.variants has the same text twice";
        }
        else if (then.Text is null) return "then.text is required";
        else if (then.Text.Validate("then.text", MaxTextLength) is { } error) return error;
        if (then.Offers is not { } offers) return null;
        if (offers.Count == 0) return "then.offers must name at least one offer (chat, callback, phone)";
        if (offers.Any(o => o is null)) return "then.offers must not contain null";
        if (offers.FirstOrDefault(o => !KnownOffers.Contains(o)) is { } unknown)
            return $"then.offers: unknown offer '{unknown}' (chat, callback, phone)";
        if (offers.Distinct(StringComparer.Ordinal).Count() != offers.Count) return "then.offers names an offer twice";
        return null;
    }

    private static string? When(RuleWhen w) =>
        Pattern(w.PageMatches, "when.pageMatches", pagePath: true)
        ?? Pattern(w.ReferrerMatches, "when.referrerMatches", pagePath: false)
        ?? Seconds(w.TimeOnPageSeconds, "when.timeOnPageSeconds")
        ?? Seconds(w.IdleAfterEventSeconds, "when.idleAfterEventSeconds")
        ?? (w.IdleAfterEventSeconds is not null && w.Event is null ? "when.idleAfterEventSeconds needs when.event" : null)
        ?? Range(w.PagesViewedAtLeast, 0, 10_000, "when.pagesViewedAtLeast")
        ?? (w.CartValueAtLeast is < 0 or > 1_000_000_000 ? "when.cartValueAtLeast must be between 0 and 1000000000" : null)
        ?? Name(w.Event, 64, "when.event")
        ?? (w.UtmCampaign is { } c && (string.IsNullOrWhiteSpace(c) || c.Length > Utm.MaxCampaignLength)
            ? $"when.utmCampaign must be 1-{Utm.MaxCampaignLength} characters" : null);

    private static string? Range(int? value, int min, int max, string field) =>
        value is { } v && (v < min || v > max) ? $"{field} must be between {min} and {max}" : null;

    private static string? Seconds(double? value, string field) =>
        value is { } v && (!double.IsFinite(v) || v < 0 || v > MaxSeconds) ? $"{field} must be between 0 and {MaxSeconds}" : null;

    /// <summary>Event names as page code sends them: letters, digits and <c>_ - . :</c>.</summary>
    private static string? Name(string? value, int max, string field) =>
        value is not null && (value.Length == 0 || value.Length > max || !value.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or ':'))
            ? $"{field} must be 1-{max} letters, digits, '_', '-', '.' or ':'"
            : null;

    private static string? Pattern(string? pattern, string field, bool pagePath)
    {
        if (pattern is null) return null;
        if (pattern.Length > PagePattern.MaxLength) return $"{field} is longer than {PagePattern.MaxLength} characters";
        PagePattern parsed;
        try { parsed = PagePattern.Parse(pattern); }
        catch (ArgumentException e) { return $"{field} is not a valid pattern: {e.Message}"; }
        // A glob is anchored and pages always start with '/', so "loans/*" could never match: say so now.
        if (pagePath && !parsed.IsRegex && pattern[0] is not ('/' or '*'))
            return $"{field} must start with '/' or '*' (it is matched against the path and query, e.g. /loans/*)";
        return null;
    }
}
