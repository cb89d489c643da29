namespace LiveChat.Engagement;

/// <summary>
/// Decides, for one visitor at one instant, which invitation is due now or when one next could be.
/// Pure: everything comes in through its arguments, so hundreds of cases run in milliseconds.
/// </summary>
public static class RuleEvaluator
{
    /// <summary>A visitor who said "no thanks" this often gets no more invitations this visit.</summary>
    public const int DismissalsThatStopInvitations = 2;

    public static EngagementDecision Evaluate(RuleSet rules, VisitorSnapshot visitor, EngagementContext context, DateTimeOffset now)
    {
        if (visitor.Engaged || visitor.DismissalsThisVisit >= DismissalsThatStopInvitations) return EngagementDecision.Nothing;
        DateTimeOffset? next = null;
        foreach (var compiled in rules.Compiled)
        {
            var at = DueAt(compiled, visitor, context, now);
            if (at is not { } due) continue;
            if (due <= now) return new EngagementDecision(compiled.Rule, null);
            if (next is null || due < next) next = due;
        }
        return new EngagementDecision(null, next);
    }

    /// <summary>The instant this rule holds (≤ now: holds now), or null if time alone cannot make it hold.</summary>
    internal static DateTimeOffset? DueAt(CompiledRule compiled, VisitorSnapshot v, EngagementContext context, DateTimeOffset now)
    {
        var rule = compiled.Rule;
        var when = rule.When;
        if (rule.OnlyIfAgentAvailable && !context.AgentAvailable) return null;
        if (when.BusinessHours is { } inside && inside != context.WithinBusinessHours) return null;
        if (rule.SuppressDuringNotice && context.OutageCoversPage?.Invoke(v.PagePathAndQuery) == true) return null;

        v.History.TryGetValue(rule.Id, out var history);
        if (rule.MaxPerVisit is { } max && (history?.ShownThisVisit ?? 0) >= max) return null;

        if (compiled.Page is { } page && !page.IsMatch(v.PagePathAndQuery)) return null;
        if (when.PagesViewedAtLeast is { } pages && v.PagesThisVisit < pages) return null;
        if (when.CartValueAtLeast is { } cart && v.CartValue < cart) return null;
        if (when.ReturningVisitor is { } returning && returning != v.Visit > 1) return null;
        if (compiled.Referrer is { } referrer && (v.Referrer is null || !referrer.IsMatch(v.Referrer))) return null;
        if (when.UtmCampaign is { } campaign && !string.Equals(campaign, v.UtmCampaign, StringComparison.OrdinalIgnoreCase)) return null;

        var due = DateTimeOffset.MinValue;
        if (when.Event is { } name)
        {
            if (!v.LastEventAt.TryGetValue(name, out var eventAt)) return null;
            if (when.IdleAfterEventSeconds is { } idle)
                due = Max(due, Max(eventAt, v.LastActivityAt) + TimeSpan.FromSeconds(idle));
        }
        if (when.TimeOnPageSeconds is { } seconds)
        {
            var remaining = TimeSpan.FromSeconds(seconds) - v.VisibleTimeOnPage(now);
            if (remaining > TimeSpan.Zero)
            {
                if (v.VisibleSince is null) return null; // hidden time does not count: only a Visibility event can help
                due = Max(due, now + remaining);
            }
        }
        if (rule.CooldownSeconds is { } cooldown && history?.LastShownAt is { } last)
            due = Max(due, last + TimeSpan.FromSeconds(cooldown));
        return due;
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
