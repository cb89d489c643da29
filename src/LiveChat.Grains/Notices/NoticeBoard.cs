using System.Collections.Concurrent;
using LiveChat.Contracts;
using LiveChat.Engagement;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LiveChat.Grains;

/// <summary>
/// A node's cached copy of each site's active notices with their page patterns compiled, so a page view costs no call to
/// the notices grain. A copy is refreshed when older than <see cref="GrainTimings.SiteRefresh"/>, or when a visitor grain
/// is told of a newer version; a change wakes many visitor grains at once, so concurrent refreshes share one call.
/// </summary>
public sealed class NoticeBoard(IGrainFactory grains, TimeProvider clock, IOptions<GrainTimings> timings, ILogger<NoticeBoard> log)
{
    private readonly ConcurrentDictionary<string, NoticeSet> sites = new();
    private readonly ConcurrentDictionary<string, Task<NoticeSet>> loading = new();

    /// <summary>The site's notices, at least of the given version (a version the caller was told exists).</summary>
    public async ValueTask<NoticeSet> Get(string siteId, long atLeastVersion = 0)
    {
        if (sites.TryGetValue(siteId, out var cached) && cached.Version >= atLeastVersion && clock.GetUtcNow() - cached.FetchedAt < timings.Value.SiteRefresh)
            return cached;
        // A load that started before the change can answer with the older version: ask again (at most twice more).
        for (var attempt = 0; ; attempt++)
        {
            var task = loading.GetOrAdd(siteId, Load);
            NoticeSet set;
            try { set = await task; }
            finally { loading.TryRemove(new KeyValuePair<string, Task<NoticeSet>>(siteId, task)); }
            if (set.Version >= atLeastVersion || attempt == 2) return set;
        }
    }

    /// <summary>A change made through this node applies here at once.</summary>
    public void Invalidate(string siteId) => sites.TryRemove(siteId, out _);

    private async Task<NoticeSet> Load(string siteId)
    {
        var active = await grains.GetGrain<INoticesGrain>(siteId).GetActive().ConfigureAwait(false);
        var set = sites.TryGetValue(siteId, out var old) && old.Version == active.Version
            ? old with { FetchedAt = clock.GetUtcNow() }
            : NoticeSet.From(active, clock.GetUtcNow(), siteId, log);
        return sites.AddOrUpdate(siteId, set, (_, current) => current.Version > set.Version ? current : set);
    }
}

/// <summary>One version of a site's active notices, patterns compiled; the same matching as rules' <c>pageMatches</c>.</summary>
public sealed record NoticeSet(long Version, IReadOnlyList<NoticeSet.Entry> Entries, DateTimeOffset FetchedAt)
{
    public sealed record Entry(NoticeView Notice, PagePattern? Page);

    public static NoticeSet From(ActiveNotices active, DateTimeOffset now, string siteId, ILogger log)
    {
        var entries = new List<Entry>(active.Notices.Count);
        foreach (var notice in active.Notices)
        {
            PagePattern? page = null;
            if (notice.PageMatches is { } pattern)
            {
                try { page = PagePattern.Parse(pattern); }
                catch (ArgumentException e)
                {
                    // Validated on the way in, so only a stored value from an older validator: show it nowhere rather than everywhere.
                    log.LogError("Notice {NoticeId} of {SiteId} has an unusable pageMatches ({Error})", notice.NoticeId, siteId, e.Message);
                    continue;
                }
            }
            entries.Add(new Entry(notice, page));
        }
        return new NoticeSet(active.Version, entries, now);
    }

    /// <summary>The notices shown on this page now, in the order they were created.</summary>
    public List<NoticeView> Matching(string pathAndQuery, DateTimeOffset now)
    {
        var result = new List<NoticeView>();
        foreach (var entry in Entries)
            if (Shows(entry, pathAndQuery, now)) result.Add(entry.Notice);
        return result;
    }

    /// <summary>For rules with <c>suppressDuringNotice</c>: does an outage notice cover this page now?</summary>
    public bool OutageCovers(string pathAndQuery, DateTimeOffset now)
    {
        foreach (var entry in Entries)
            if (entry.Notice.Severity == NoticeSeverity.Outage && Shows(entry, pathAndQuery, now)) return true;
        return false;
    }

    private static bool Shows(Entry entry, string pathAndQuery, DateTimeOffset now) =>
        !(entry.Notice.ExpiresAt <= now) && (entry.Page?.IsMatch(pathAndQuery) ?? true);
}
