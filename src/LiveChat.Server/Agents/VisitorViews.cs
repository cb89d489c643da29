using LiveChat.Contracts;

namespace LiveChat.Server.Agents;

/// <summary>One view of the live visitors (filter, sort, limit) over the merged presence of some sites: pure, so it is cheap to test.</summary>
internal static class VisitorViews
{
    public sealed record View(IReadOnlyList<VisitorSummary> Rows, VisitorCounts Counts);

    public static View Compute(IEnumerable<VisitorSummary> visitors, string filter, string sort, int limit, DateTimeOffset now)
    {
        int online = 0, cart = 0, situation = 0, returning = 0, chatting = 0, matching = 0;
        var matches = new List<VisitorSummary>();
        foreach (var v in visitors)
        {
            if (v.ConversationId is not null) chatting++;
            if (!v.Online) continue;
            online++;
            if (v.CartValue > 0) cart++;
            if (v.LastSituation is not null) situation++;
            if (v.Returning) returning++;
            if (!Matches(v, filter)) continue;
            matching++;
            matches.Add(v);
        }
        var ordered = sort switch
        {
            VisitorSorts.TimeOnPage => matches.OrderBy(v => v.PageEnteredAt ?? now),
            VisitorSorts.CartValue => matches.OrderByDescending(v => v.CartValue).ThenBy(v => v.PageEnteredAt ?? now),
            _ => matches.OrderByDescending(v => NeedsHelp(v, now)).ThenBy(v => v.PageEnteredAt ?? now),
        };
        return new View(ordered.ThenBy(v => v.VisitorId, StringComparer.Ordinal).Take(limit).ToList(),
            new VisitorCounts(online, cart, situation, returning, chatting, matching));
    }

    public static bool Matches(VisitorSummary v, string filter) => filter switch
    {
        VisitorFilters.Cart => v.Online && v.CartValue > 0,
        VisitorFilters.Situation => v.Online && v.LastSituation is not null,
        VisitorFilters.Returning => v.Online && v.Returning,
        _ => v.Online,
    };

    /// <summary>
    /// "Most likely to need help": a rule saw a situation, there is something in the cart, they have lingered on the
    /// page or seen many pages; someone already in a chat is being helped. Whole points so the order is stable.
    /// </summary>
    public static int NeedsHelp(VisitorSummary v, DateTimeOffset now)
    {
        if (v.ConversationId is not null) return -1;
        var minutesOnPage = v.PageEnteredAt is { } at ? Math.Clamp((int)(now - at).TotalMinutes, 0, 10) : 0;
        return (v.LastSituation is not null ? 40 : 0)
            + (v.CartValue > 0 ? 10 + (int)Math.Min(30, Math.Log10((double)v.CartValue + 1) * 10) : 0)
            + minutesOnPage * 3
            + Math.Min(v.PagesThisVisit, 10);
    }

    /// <summary>What to push to a watcher who last saw <paramref name="sent"/> (in order): null when nothing changed.</summary>
    public static VisitorsChanged? Diff(IReadOnlyList<VisitorSummary> sent, VisitorCounts sentCounts, View now)
    {
        var before = sent.ToDictionary(Key);
        var upserts = now.Rows.Where(v => !before.TryGetValue(Key(v), out var was) || was != v).ToList();
        var keep = now.Rows.Select(Key).ToHashSet();
        var removals = sent.Where(v => !keep.Contains(Key(v))).Select(v => new VisitorLeftView(v.SiteId, v.VisitorId)).ToList();
        var orderChanged = !sent.Select(Key).SequenceEqual(now.Rows.Select(Key));
        if (upserts.Count == 0 && removals.Count == 0 && !orderChanged && sentCounts == now.Counts) return null;
        return new VisitorsChanged(upserts, removals, now.Counts, orderChanged ? now.Rows.Select(Key).ToList() : null);
    }

    public static string Key(VisitorSummary v) => $"{v.SiteId}/{v.VisitorId}";
}
