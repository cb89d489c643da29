using LiveChat.Contracts;
using LiveChat.Engagement;
using CartLine = LiveChat.Contracts.CartLine;

namespace LiveChat.Grains;

/// <summary>
/// The visit, page, visible-time, event and journey bookkeeping of a visitor's state: pure changes to
/// <see cref="VisitorState"/> at a given instant. <see cref="VisitorGrain"/> decides when to write and what to push.
/// </summary>
internal static class VisitBook
{
    /// <summary>Event names remembered per visit (for <c>idleAfterEvent</c> rules); a known name is always updated.</summary>
    public const int EventNamesKept = 100;
    public const int ConversationsKept = 50;
    public const int RequestsKept = 20;
    public const int JourneyDetail = 300;

    /// <summary>What entering a page changed: <paramref name="SamePage"/> is a reload of the page already shown.</summary>
    public readonly record struct PageEntry(bool NewVisit, bool SamePage, bool Changed);

    /// <summary>Starts a visit when the last activity is older than <see cref="VisitSession.InactivityTimeout"/>: per-visit counters reset.</summary>
    public static bool StartVisitIfDue(VisitorState s, DateTimeOffset now)
    {
        if (!VisitSession.StartsNewVisit(s.Visits > 0 ? s.LastActivityAt : null, now)) return false;
        s.Visits++;
        s.VisitStartedAt = now;
        s.PagesThisVisit = 0;
        s.Invitations.Clear();
        s.LastEventAt.Clear();
        s.DismissalsThisVisit = 0;
        s.QuietUntil = null;
        s.ChattedAbout = null;
        s.ConvertedThisVisit = false;
        s.Fired.Clear();
        s.Referrer = null;
        s.UtmCampaign = null;
        return true;
    }

    /// <summary>
    /// A page view, or the first page of a new connection (a reload, another tab): a new page starts its own time on page;
    /// the same page on a new connection keeps it. <c>Changed</c>: something worth a write changed.
    /// </summary>
    public static PageEntry EnterPage(VisitorState s, PageInfo page, bool firstOfConnection, DateTimeOffset now)
    {
        var newVisit = StartVisitIfDue(s, now);
        var referrerBefore = s.Referrer;
        if (newVisit || s.Referrer is null && page.Referrer is not null) s.Referrer = page.Referrer;
        if (Utm.Campaign(page.Url) is { } campaign) s.UtmCampaign = campaign;
        var samePage = firstOfConnection && s.Url == page.Url && !newVisit;
        if (!samePage)
        {
            s.Url = page.Url;
            s.PageEnteredAt = now;
            s.VisibleBanked = TimeSpan.Zero;
            s.VisibleSince = now; // time on page counts from this page, not from an earlier one
            s.PagesThisVisit++;
        }
        s.Title = page.Title;
        s.VisibleSince ??= now; // a page that was just loaded is visible until the widget says otherwise
        s.LastActivityAt = now;
        return new PageEntry(newVisit, samePage, !samePage || s.Referrer != referrerBefore);
    }

    /// <summary>The journey line of a page: its path and query, and its title when it has one.</summary>
    public static string PageDetail(PageInfo page) =>
        page.Title is { Length: > 0 } t ? $"{Utm.PathAndQuery(page.Url)} — {t}" : Utm.PathAndQuery(page.Url);

    /// <summary>The tab became visible or hidden: hidden time does not count as time on page.</summary>
    public static void SetVisible(VisitorState s, bool visible, DateTimeOffset now)
    {
        if (visible && s.VisibleSince is null) s.VisibleSince = now;
        else if (!visible && s.VisibleSince is { } since)
        {
            s.VisibleBanked += now - since;
            s.VisibleSince = null;
        }
    }

    /// <summary>A tracked event: activity, its time (for idle rules), and the cart it changes.</summary>
    /// <returns>Whether the cart changed (worth a write).</returns>
    public static bool Track(VisitorState s, string name, IReadOnlyDictionary<string, string> properties, DateTimeOffset now)
    {
        StartVisitIfDue(s, now);
        s.LastActivityAt = now;
        if (s.LastEventAt.Count < EventNamesKept || s.LastEventAt.ContainsKey(name)) s.LastEventAt[name] = now;
        if (!Cart.IsCartEvent(name)) return false;
        s.Cart = CartOf(s.Cart).Apply(name, properties).Lines.Select(l => new CartLine(l.Sku, l.Price, l.Quantity)).ToList();
        return true;
    }

    /// <summary>The journey line of an event: its name and properties.</summary>
    public static string EventDetail(string name, IReadOnlyDictionary<string, string> properties) =>
        properties.Count == 0 ? name : $"{name} {string.Join(", ", properties.Select(p => $"{p.Key}={p.Value}"))}";

    public static void AddJourney(VisitorState s, DateTimeOffset at, string kind, string detail)
    {
        s.Journey.Add(new JourneyEntry(at, kind, detail.Length > JourneyDetail ? detail[..JourneyDetail] : detail));
        if (s.Journey.Count > Limits.JourneyEntries) s.Journey.RemoveAt(0);
    }

    /// <summary>The visitor's open conversation ended: it joins their past ones. False when it was not the open one.</summary>
    public static bool EndConversation(VisitorState s, string conversationId)
    {
        if (s.ConversationId != conversationId) return false;
        s.ConversationId = null;
        s.PastConversations.Add(conversationId);
        if (s.PastConversations.Count > ConversationsKept) s.PastConversations.RemoveAt(0);
        return true;
    }

    public static void AddRequest(VisitorState s, string reference)
    {
        s.RequestReferences.Add(reference);
        if (s.RequestReferences.Count > RequestsKept) s.RequestReferences.RemoveAt(0);
    }

    /// <summary>Every conversation of the visitor, the open one last.</summary>
    public static List<string> Conversations(VisitorState s) =>
        s.PastConversations.Concat(s.ConversationId is { } open ? [open] : []).ToList();

    /// <summary>The grain keeps cart lines as protocol records; the engine's <see cref="Cart"/> does the arithmetic.</summary>
    public static Cart CartOf(IReadOnlyCollection<CartLine> lines) =>
        lines.Count == 0 ? Cart.Empty : Cart.FromLines(lines.Select(l => new Engagement.CartLine(l.Sku, l.Price, l.Quantity)));

    public static VisitorSummary Summary(VisitorState s, string siteId, string visitorId, bool online)
    {
        var last = s.Pending?.Invitation ?? s.ChattedAbout?.Invitation;
        return new(
            siteId, visitorId, s.Url, s.Title, s.Url is null ? null : s.PageEnteredAt, s.PagesThisVisit,
            CartOf(s.Cart).Value, s.Cart.Count == 0 ? 0 : s.Cart.Sum(l => l.Quantity), s.Visits > 1, s.Visits, online,
            last?.RuleId is { Length: > 0 } rule ? rule : null, last?.Situation, s.ConversationId, s.LastActivityAt,
            s.Languages.Count > 0 ? s.Languages : null);
    }

    /// <summary>What the rule evaluator sees of this visitor.</summary>
    public static VisitorSnapshot Snapshot(VisitorState s, string visitorId) => new()
    {
        VisitorId = visitorId,
        PagePathAndQuery = s.Url is null ? "/" : Utm.PathAndQuery(s.Url),
        PageEnteredAt = s.PageEnteredAt,
        VisibleTimeBanked = s.VisibleBanked,
        VisibleSince = s.VisibleSince,
        PagesThisVisit = s.PagesThisVisit,
        Visit = s.Visits,
        Referrer = s.Referrer,
        UtmCampaign = s.UtmCampaign,
        CartValue = CartOf(s.Cart).Value,
        LastEventAt = s.LastEventAt,
        LastActivityAt = s.LastActivityAt,
        History = s.Invitations.Count == 0
            ? System.Collections.ObjectModel.ReadOnlyDictionary<string, RuleHistory>.Empty // every rule check of a new visitor: nothing to copy
            : s.Invitations.ToDictionary(kv => kv.Key, kv => new RuleHistory(kv.Value.ShownThisVisit, kv.Value.LastShownAt, kv.Value.HeldOut)),
        DismissalsThisVisit = s.DismissalsThisVisit,
        Engaged = InvitationBook.Engaged(s),
    };
}
