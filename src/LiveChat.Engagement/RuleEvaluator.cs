namespace LiveChat.Engagement;

/// <summary>
/// Decides, for one visitor at one instant, which invitation is due now or when one next could be.
/// Pure: everything comes in through its arguments, so hundreds of cases run in milliseconds.
/// </summary>
public static class RuleEvaluator
{
    /// <summary>A visitor who said "no thanks" this often gets no more invitations this visit.</summary>
    public const int DismissalsThatStopInvitations = 2;

    public static EngagementDecision Evaluate(RuleSet rules, VisitorSnapshot visitor, EngagementContext context, TimeProvider time) =>
        Evaluate(rules, visitor, context, time.GetUtcNow());

    /// <summary>
    /// The highest-priority rule that holds now, else the earliest instant at which one could hold by time alone
    /// (time on page, idleness, cooldown, business hours). Allocates nothing unless it reports a next check.
    /// </summary>
    public static EngagementDecision Evaluate(RuleSet rules, VisitorSnapshot visitor, EngagementContext context, DateTimeOffset now)
    {
        if (visitor.Engaged || visitor.DismissalsThisVisit >= DismissalsThatStopInvitations) return EngagementDecision.Nothing;
        DateTimeOffset? next = null;
        var notice = NoticeState.Unknown;
        foreach (var compiled in rules.Compiled)
        {
            if (DueAt(compiled, visitor, context, now, ref notice) is not { } due) continue;
            if (due <= now) return compiled.DueNowFor(visitor.VisitorId);
            if (next is null || due < next) next = due;
        }
        return next is null ? EngagementDecision.Nothing : new EngagementDecision(null, next);
    }

    /// <summary>The instant this rule holds (≤ now: holds now), or null if time alone cannot make it hold.</summary>
    internal static DateTimeOffset? DueAt(CompiledRule compiled, VisitorSnapshot v, EngagementContext context, DateTimeOffset now, ref NoticeState notice)
    {
        var rule = compiled.Rule;
        var when = rule.When;

        // Facts that only an event can change: cheapest first, the page pattern last.
        if (rule.OnlyIfAgentAvailable && !context.AgentAvailable) return null;
        if (when.PagesViewedAtLeast is { } pages && v.PagesThisVisit < pages) return null;
        if (when.CartValueAtLeast is { } cart && v.CartValue < cart) return null;
        if (when.ReturningVisitor is { } returning && returning != v.Visit > 1) return null;
        if (when.UtmCampaign is { } campaign && !string.Equals(campaign, v.UtmCampaign, StringComparison.OrdinalIgnoreCase)) return null;
        if (compiled.Page is { } page && !page.IsMatch(v.PagePathAndQuery)) return null;
        if (compiled.Referrer is { } referrer && (v.Referrer is null || !referrer.IsMatch(v.Referrer))) return null;
        if (rule.SuppressDuringNotice && NoticeCovers(v, context, ref notice)) return null;

        RuleHistory? history = null;
        if (rule.MaxPerVisit is not null || compiled.Cooldown is not null || rule.HoldoutPercent > 0) v.History.TryGetValue(rule.Id, out history);
        // Held out once this visit: the control group is not invited by this rule (and not counted again) until the next visit.
        if (history is { HeldOut: true }) return null;
        if (rule.MaxPerVisit is { } max && history is not null && history.ShownThisVisit >= max) return null;

        var due = DateTimeOffset.MinValue;
        if (when.Event is { } name)
        {
            if (!v.LastEventAt.TryGetValue(name, out var eventAt)) return null;
            // Any later activity re-arms the wait: idleness counts from whichever came last.
            if (compiled.Idle is { } idle) due = Max(due, Max(eventAt, v.LastActivityAt) + idle);
        }
        if (compiled.TimeOnPage is { } needed && v.VisibleTimeBanked < needed)
        {
            // Hidden time does not count, so while hidden no instant can be named: only a visibility event helps.
            if (v.VisibleSince is not { } since) return null;
            due = Max(due, since + (needed - v.VisibleTimeBanked));
        }
        if (compiled.Cooldown is { } cooldown && history?.LastShownAt is { } last) due = Max(due, last + cooldown);
        if (when.BusinessHours is { } inside && inside != context.WithinBusinessHours)
        {
            if (context.BusinessHoursChangeAt is not { } change || change <= now) return null;
            due = Max(due, change);
        }
        return due;
    }

    private static bool NoticeCovers(VisitorSnapshot v, EngagementContext context, ref NoticeState notice)
    {
        if (notice == NoticeState.Unknown)
            notice = context.OutageCoversPage?.Invoke(v.PagePathAndQuery) == true ? NoticeState.Covered : NoticeState.Clear;
        return notice == NoticeState.Covered;
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    /// <summary>The notice callback is asked once per evaluation, not once per rule.</summary>
    internal enum NoticeState : byte { Unknown, Clear, Covered }
}
