using Microsoft.Extensions.Time.Testing;

namespace LiveChat.Engagement.Tests;

/// <summary>
/// A stand-in for the visitor grain: keeps a snapshot up to date from page events, evaluates after each one,
/// and sleeps until the next check, all on a FakeTimeProvider. Scenarios then read as a visitor's story.
/// </summary>
internal sealed class VisitorTimeline(RuleSet rules, EngagementContext? context = null)
{
    private readonly Dictionary<string, DateTimeOffset> events = [];
    private readonly Dictionary<string, RuleHistory> history = [];
    private Cart cart = Cart.Empty;

    public FakeTimeProvider Time { get; } = new(Make.T0);
    /// <summary>Site facts at an instant; the grain would refresh these from presence and the site's business hours.</summary>
    public Func<DateTimeOffset, EngagementContext> ContextAt { get; set; } = _ => context ?? EngagementContext.Open;
    public VisitorSnapshot Snapshot { get; private set; } = new();
    public List<(string Rule, DateTimeOffset At)> Shown { get; } = [];
    private DateTimeOffset Now => Time.GetUtcNow();

    public VisitorTimeline View(string url)
    {
        Snapshot = Snapshot with
        {
            PagePathAndQuery = Utm.PathAndQuery(url),
            UtmCampaign = Snapshot.UtmCampaign ?? Utm.Campaign(url),
            PageEnteredAt = Now,
            VisibleTimeBanked = TimeSpan.Zero,
            VisibleSince = Now,
            PagesThisVisit = Snapshot.PagesThisVisit + 1,
            LastActivityAt = Now,
        };
        return Check();
    }

    public VisitorTimeline Track(string name, IReadOnlyDictionary<string, string>? properties = null)
    {
        events[name] = Now;
        cart = cart.Apply(name, properties);
        Snapshot = Snapshot with { LastEventAt = new Dictionary<string, DateTimeOffset>(events), CartValue = cart.Value, LastActivityAt = Now };
        return Check();
    }

    public VisitorTimeline Hide()
    {
        Snapshot = Snapshot with { VisibleTimeBanked = Snapshot.VisibleTimeOnPage(Now), VisibleSince = null };
        return Check();
    }

    public VisitorTimeline Show()
    {
        Snapshot = Snapshot with { VisibleSince = Now };
        return Check();
    }

    public VisitorTimeline Dismiss()
    {
        Snapshot = Snapshot with { Engaged = false, DismissalsThisVisit = Snapshot.DismissalsThisVisit + 1 };
        return Check();
    }

    /// <summary>Lets time pass, waking at each next check the engine asked for, as the grain's timer would.</summary>
    public VisitorTimeline Wait(double seconds)
    {
        var until = Now.AddSeconds(seconds);
        while (true)
        {
            var decision = RuleEvaluator.Evaluate(rules, Snapshot, ContextAt(Now), Time);
            if (decision.Due is not null) { Show(decision.Due); continue; }
            if (decision.NextCheckAt is not { } next || next > until) break;
            Time.SetUtcNow(next);
        }
        Time.SetUtcNow(until);
        return Check();
    }

    private VisitorTimeline Check()
    {
        if (RuleEvaluator.Evaluate(rules, Snapshot, ContextAt(Now), Time).Due is { } due) Show(due);
        return this;
    }

    private void Show(Rule rule)
    {
        history.TryGetValue(rule.Id, out var before);
        history[rule.Id] = new RuleHistory((before?.ShownThisVisit ?? 0) + 1, Now);
        Snapshot = Snapshot with { History = new Dictionary<string, RuleHistory>(history), Engaged = true };
        Shown.Add((rule.Id, Now));
    }
}
