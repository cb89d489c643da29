using System.Text.Json.Serialization;

namespace LiveChat.Engagement;

/// <summary>One proactive rule: the situation it detects, when it holds, and what to offer. JSON shape: README.md beside this file.</summary>
public sealed record Rule
{
    public required string Id { get; init; }
    /// <summary>Short label for agents and stats ("Comparing loan rates").</summary>
    public string? Situation { get; init; }
    public RuleWhen When { get; init; } = new();
    public required RuleThen Then { get; init; }
    /// <summary>Inviting when nobody can answer only frustrates the visitor, hence on by default.</summary>
    public bool OnlyIfAgentAvailable { get; init; } = true;
    /// <summary>Invitations of this rule per visit; null: no cap. Always written, even as null, since absent means 1.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public int? MaxPerVisit { get; init; } = 1;
    /// <summary>Seconds after this rule was last shown before it may be shown again.</summary>
    public int? CooldownSeconds { get; init; }
    /// <summary>Highest wins when several rules are due at once; ties go to the smaller id (ordinal).</summary>
    public int Priority { get; init; }
    /// <summary>No invitation while a service notice covers the visitor's page: they already know, and an agent is busy.</summary>
    public bool SuppressDuringNotice { get; init; }
    /// <summary>
    /// Share (0–50 %) of the visitors this rule fires for who are held out as a control group: not invited, counted
    /// as held out, so the conversion of invited and held-out visitors can be compared (<see cref="Uplift"/>).
    /// Assigned per visitor and rule by <see cref="Assignment"/>. Null or 0: everyone is invited.
    /// </summary>
    public int? HoldoutPercent { get; init; }
}

/// <summary>All conditions must hold; a null condition is no condition.</summary>
public sealed record RuleWhen
{
    /// <summary>Glob or <c>regex:</c> pattern over the page's path and query.</summary>
    public string? PageMatches { get; init; }
    /// <summary>Seconds the current page has been visible; hidden time does not count.</summary>
    public double? TimeOnPageSeconds { get; init; }
    public int? PagesViewedAtLeast { get; init; }
    public decimal? CartValueAtLeast { get; init; }
    /// <summary>A tracked event (e.g. <c>cart_add</c>) that happened this visit.</summary>
    public string? Event { get; init; }
    /// <summary>With <see cref="Event"/>: seconds without activity since the event (or the last activity after it).</summary>
    public double? IdleAfterEventSeconds { get; init; }
    public bool? ReturningVisitor { get; init; }
    /// <summary>Glob or <c>regex:</c> pattern over the full referrer URL.</summary>
    public string? ReferrerMatches { get; init; }
    /// <summary>The visit's utm_campaign, compared ignoring case.</summary>
    public string? UtmCampaign { get; init; }
    /// <summary>true: only within the site's business hours; false: only outside them.</summary>
    public bool? BusinessHours { get; init; }
}

/// <summary>What the invitation says and which ways to talk it offers.</summary>
public sealed record RuleThen
{
    /// <summary>The invitation, one string or one per language (<see cref="LocalizedText"/>); required unless <see cref="Variants"/> gives the texts instead.</summary>
    public LocalizedText? Text { get; init; }
    /// <summary>2–3 alternative texts, one assigned per visitor (<see cref="Assignment.Variant"/>), measured per variant; each one string or one per language.</summary>
    public IReadOnlyList<LocalizedText>? Variants { get; init; }
    /// <summary>Any of <c>chat</c>, <c>callback</c>, <c>phone</c>; absent: all three.</summary>
    public IReadOnlyList<string>? Offers { get; init; }

    /// <summary>The text of a variant (index from <see cref="Assignment.Variant"/>), or <see cref="Text"/> in the reader's language without variants.</summary>
    public string TextFor(int? variant, IEnumerable<string?>? languages = null) =>
        Variants is { Count: > 0 } texts ? texts[Math.Clamp(variant ?? 0, 0, texts.Count - 1)].For(languages) : Text?.For(languages) ?? "";
}
