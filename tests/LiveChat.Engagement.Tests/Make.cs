namespace LiveChat.Engagement.Tests;

/// <summary>Builders for rules, rule sets and visitors; every test starts from a visitor for whom nothing blocks.</summary>
internal static class Make
{
    /// <summary>Monday 2 March 2026, 10:00 UTC.</summary>
    public static readonly DateTimeOffset T0 = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    public static DateTimeOffset At(double seconds) => T0.AddSeconds(seconds);

    public static Rule Rule(
        string id = "r",
        RuleWhen? when = null,
        int priority = 0,
        bool onlyIfAgentAvailable = false,
        int? maxPerVisit = 1,
        int? cooldownSeconds = null,
        bool suppressDuringNotice = false) => new()
        {
            Id = id,
            When = when ?? new RuleWhen(),
            Then = new RuleThen { Text = "Can I help?" },
            Priority = priority,
            OnlyIfAgentAvailable = onlyIfAgentAvailable,
            MaxPerVisit = maxPerVisit,
            CooldownSeconds = cooldownSeconds,
            SuppressDuringNotice = suppressDuringNotice,
        };

    public static RuleSet Set(params Rule[] rules) => new(1, rules);

    /// <summary>On <c>/</c> since T0, visible since T0, first page of a first visit, nothing tracked.</summary>
    public static VisitorSnapshot Visitor(string page = "/") => new()
    {
        PagePathAndQuery = page,
        PageEnteredAt = T0,
        VisibleSince = T0,
        PagesThisVisit = 1,
        LastActivityAt = T0,
    };

    public static VisitorSnapshot WithEvent(this VisitorSnapshot v, string name, DateTimeOffset at) => v with
    {
        LastEventAt = new Dictionary<string, DateTimeOffset>(v.LastEventAt) { [name] = at },
        LastActivityAt = at > v.LastActivityAt ? at : v.LastActivityAt,
    };

    public static VisitorSnapshot WithHistory(this VisitorSnapshot v, string ruleId, int shown, DateTimeOffset? lastShownAt) => v with
    {
        History = new Dictionary<string, RuleHistory>(v.History) { [ruleId] = new RuleHistory(shown, lastShownAt) },
    };

    public static EngagementDecision Evaluate(Rule rule, VisitorSnapshot visitor, DateTimeOffset now, EngagementContext? context = null) =>
        RuleEvaluator.Evaluate(Set(rule), visitor, context ?? EngagementContext.Open, now);

    public static bool IsDue(Rule rule, VisitorSnapshot visitor, DateTimeOffset now, EngagementContext? context = null) =>
        Evaluate(rule, visitor, now, context).Due is not null;

    public static DateTimeOffset Utc(string iso) => DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);
}
