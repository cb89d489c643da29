namespace LiveChat.Contracts;

// The live-visitors list as a subscription: the console asks for one view (filter, sort, limit), gets its first page
// and the site's totals, then at most one VisitorsChanged diff per second for that view. See docs/protocol.md.

public static class VisitorFilters
{
    public const string Online = "online";
    public const string Cart = "cart";
    public const string Situation = "situation";
    public const string Returning = "returning";
    public static readonly IReadOnlyList<string> All = [Online, Cart, Situation, Returning];
}

public static class VisitorSorts
{
    /// <summary>A score of the signals that a visitor may want a person: a rule's situation, a cart, time on the page, pages seen.</summary>
    public const string NeedsHelp = "needs-help";
    public const string TimeOnPage = "time-on-page";
    public const string CartValue = "cart-value";
    public static readonly IReadOnlyList<string> All = [NeedsHelp, TimeOnPage, CartValue];
}

public sealed record WatchVisitorsRequest(string? Filter = null, string? Sort = null, int? Limit = null) : IValidatable
{
    public const int DefaultLimit = 200;
    /// <summary>Bounded so the first page (≤ ~2.7 KB a row) always fits the agent hub's stateful-reconnect buffer.</summary>
    public const int MaxLimit = 200;

    public string? Validate() =>
        Filter is not null && !VisitorFilters.All.Contains(Filter) ? $"filter must be one of {string.Join(", ", VisitorFilters.All)}"
        : Sort is not null && !VisitorSorts.All.Contains(Sort) ? $"sort must be one of {string.Join(", ", VisitorSorts.All)}"
        : Limit is < 1 or > MaxLimit ? $"limit must be between 1 and {MaxLimit}"
        : null;
}

/// <summary>The totals of the agent's sites, whatever the view shows: "18,734 online · 2,110 with a cart". Matching: visitors in this view's filter.</summary>
[GenerateSerializer]
public sealed record VisitorCounts(int Online, int WithCart, int InSituation, int Returning, int Chatting, int Matching);

/// <summary>WatchVisitors' answer: the first <c>Limit</c> visitors of the view, in order, and the totals.</summary>
[GenerateSerializer]
public sealed record VisitorsPage(string Filter, string Sort, int Limit, IReadOnlyList<VisitorSummary> Visitors, VisitorCounts Counts);

/// <summary>
/// What changed in the view since the last push (at most one a second): rows that entered or changed (latest state),
/// rows that left the view, the totals, and the view's order as "siteId/visitorId" keys when it changed (null if not).
/// </summary>
[GenerateSerializer]
public sealed record VisitorsChanged(
    IReadOnlyList<VisitorSummary> Upserts, IReadOnlyList<VisitorLeftView> Removals, VisitorCounts Counts, IReadOnlyList<string>? Order);

public sealed record VisitorRequest(string SiteId, string VisitorId) : IValidatable
{
    public string? Validate() => Check.First(Check.Required(SiteId, "siteId", Limits.Id), Check.Required(VisitorId, "visitorId", Limits.Id));
}

/// <summary>GetVisitor's answer: one visitor's journey before any chat (the live list's row opened).</summary>
[GenerateSerializer]
public sealed record VisitorDetail(
    VisitorSummary Visitor, IReadOnlyList<JourneyEntry> Journey, IReadOnlyList<CartLine> Cart, IReadOnlyList<ConversationSummary> Earlier);
