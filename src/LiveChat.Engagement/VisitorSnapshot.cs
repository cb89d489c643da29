namespace LiveChat.Engagement;

/// <summary>What the evaluator needs to know about one visitor, taken by the visitor grain at one instant.</summary>
public sealed record VisitorSnapshot
{
    /// <summary>Who this is, for the stable hold-out and variant assignment (<see cref="Assignment"/>).</summary>
    public string VisitorId { get; init; } = "";
    /// <summary>Path and query of the current page, e.g. <c>/loans/rates?term=10</c> (see <see cref="Utm.PathAndQuery"/>).</summary>
    public string PagePathAndQuery { get; init; } = "/";
    public DateTimeOffset PageEnteredAt { get; init; }
    /// <summary>Visible time on the current page accumulated up to <see cref="VisibleSince"/> (or up to now when hidden).</summary>
    public TimeSpan VisibleTimeBanked { get; init; }
    /// <summary>When the tab last became visible; null while it is hidden.</summary>
    public DateTimeOffset? VisibleSince { get; init; }
    public int PagesThisVisit { get; init; }
    /// <summary>1 on the first visit; returning visitors have more.</summary>
    public int Visit { get; init; } = 1;
    public string? Referrer { get; init; }
    public string? UtmCampaign { get; init; }
    /// <summary>Σ price × quantity, see <see cref="Cart"/>.</summary>
    public decimal CartValue { get; init; }
    /// <summary>Last time each tracked event name happened this visit.</summary>
    public IReadOnlyDictionary<string, DateTimeOffset> LastEventAt { get; init; } = System.Collections.ObjectModel.ReadOnlyDictionary<string, DateTimeOffset>.Empty;
    /// <summary>Last page view or tracked event (visibility changes are not activity).</summary>
    public DateTimeOffset LastActivityAt { get; init; }
    public IReadOnlyDictionary<string, RuleHistory> History { get; init; } = System.Collections.ObjectModel.ReadOnlyDictionary<string, RuleHistory>.Empty;
    public int DismissalsThisVisit { get; init; }
    /// <summary>An invitation is on screen or a chat is open: no new invitation.</summary>
    public bool Engaged { get; init; }

    public TimeSpan VisibleTimeOnPage(DateTimeOffset now) =>
        VisibleTimeBanked + (VisibleSince is { } since && now > since ? now - since : TimeSpan.Zero);
}

/// <summary>Invitations of one rule to one visitor. <paramref name="HeldOut"/>: the rule fired and the visitor was held out
/// (control group) this visit, so it does not fire for them again until the next visit.</summary>
public sealed record RuleHistory(int ShownThisVisit, DateTimeOffset? LastShownAt, bool HeldOut = false);

/// <summary>Site-wide facts at evaluation time.</summary>
/// <param name="AgentAvailable">Some agent of the site can take a chat now.</param>
/// <param name="WithinBusinessHours">The site's <see cref="BusinessHours"/> say open now.</param>
/// <param name="OutageCoversPage">Whether an active service notice covers a page (path and query); asked at most once per evaluation.</param>
public sealed record EngagementContext(bool AgentAvailable, bool WithinBusinessHours = true, Func<string, bool>? OutageCoversPage = null)
{
    public static readonly EngagementContext Open = new(true);

    /// <summary>
    /// When <see cref="WithinBusinessHours"/> next flips (<see cref="BusinessHours.NextChange"/>); lets a rule that waits
    /// for opening (or closing) time report that instant as its next check. Null: unknown or never.
    /// </summary>
    public DateTimeOffset? BusinessHoursChangeAt { get; init; }
}

/// <summary>The invitation due now, else the next instant one could become due by time alone (null: only a new event can change anything).</summary>
public sealed record EngagementDecision(Rule? Due, DateTimeOffset? NextCheckAt)
{
    public static readonly EngagementDecision Nothing = new(null, null);

    /// <summary>The rule fired but this visitor is in its control group: count them as held out, do not invite.</summary>
    public bool HeldOut { get; init; }
    /// <summary>The text variant (0-based) assigned to this visitor, when the rule has <see cref="RuleThen.Variants"/>.</summary>
    public int? Variant { get; init; }
    /// <summary>What to show: the assigned variant's text, or the rule's text.</summary>
    public string Text => Due?.Then.TextFor(Variant) ?? "";
    /// <summary>What to show a reader of these languages (best first, the site's default last).</summary>
    public string TextIn(IEnumerable<string?>? languages) => Due?.Then.TextFor(Variant, languages) ?? "";
}
