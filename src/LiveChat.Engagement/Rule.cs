namespace LiveChat.Engagement;

/// <summary>One proactive rule: the situation it detects, when it holds, and what to offer. JSON shape: docs/protocol.md.</summary>
public sealed record Rule
{
    public required string Id { get; init; }
    public string? Situation { get; init; }
    public RuleWhen When { get; init; } = new();
    public required RuleThen Then { get; init; }
    public bool OnlyIfAgentAvailable { get; init; } = true;
    public int? MaxPerVisit { get; init; } = 1;
    public int? CooldownSeconds { get; init; }
    public int Priority { get; init; }
    public bool SuppressDuringNotice { get; init; }
}

/// <summary>All conditions must hold; a null condition is no condition.</summary>
public sealed record RuleWhen
{
    public string? PageMatches { get; init; }
    public double? TimeOnPageSeconds { get; init; }
    public int? PagesViewedAtLeast { get; init; }
    public decimal? CartValueAtLeast { get; init; }
    public string? Event { get; init; }
    public double? IdleAfterEventSeconds { get; init; }
    public bool? ReturningVisitor { get; init; }
    public string? ReferrerMatches { get; init; }
    public string? UtmCampaign { get; init; }
    /// <summary>true: only within the site's business hours; false: only outside them.</summary>
    public bool? BusinessHours { get; init; }
}

public sealed record RuleThen
{
    public required string Text { get; init; }
    public IReadOnlyList<string>? Offers { get; init; }
}
