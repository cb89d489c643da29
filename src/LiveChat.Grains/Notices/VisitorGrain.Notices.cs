using LiveChat.Contracts;
using LiveChat.Engagement;
using Microsoft.Extensions.DependencyInjection;

namespace LiveChat.Grains;

/// <summary>
/// The notices part of the visitor grain: which service notices this visitor's page shows, pushing the difference on
/// every page and every change of the site's notices, and the stats (seen; contacted the site after seeing).
/// </summary>
internal sealed partial class VisitorGrain : IVisitorNoticesGrain
{
    private NoticeSet? notices;
    private List<NoticeView> shownNotices = [];
    /// <summary>Counted once per visitor grain activation, however many pages show the notice.</summary>
    private readonly HashSet<string> noticesSeen = [];
    private readonly HashSet<string> noticesContacted = [];

    // Resolved here rather than in the primary constructor, so this feature stays out of the grain's shared signature.
    private NoticeBoard Board => ServiceProvider.GetRequiredService<NoticeBoard>();

    public async Task NoticesChanged(long version)
    {
        if (connections.Count == 0) return;
        var page = Utm.PathAndQuery(S.Url);
        var coveredBefore = OutageCoversPage(page);
        await RefreshNotices(push: true, version);
        if (OutageCoversPage(page) != coveredBefore) await Evaluate(); // a suppressDuringNotice rule is held back, or free again
    }

    /// <summary>Recomputes what the current page shows; pushes Notice for new or changed ones and NoticeCleared for the rest.</summary>
    private async Task RefreshNotices(bool push, long atLeastVersion = 0)
    {
        var set = await Board.Get(SiteId, Math.Max(atLeastVersion, notices?.Version ?? 0));
        if (notices is null || set.Version >= notices.Version) notices = set;
        var matching = notices.Matching(Utm.PathAndQuery(S.Url), clock.GetUtcNow());
        if (push)
        {
            foreach (var gone in shownNotices.Where(old => !matching.Exists(n => n.NoticeId == old.NoticeId)))
                await notifier.NoticeCleared(SiteId, VisitorId, new NoticeClearedView(gone.NoticeId));
            foreach (var notice in matching.Where(n => !shownNotices.Contains(n))) // record equality: an edited notice is sent again
                await notifier.Notice(SiteId, VisitorId, notice);
        }
        shownNotices = matching;
        var firstSeen = matching.Select(n => n.NoticeId).Where(noticesSeen.Add).ToList();
        if (firstSeen.Count > 0) grains.GetGrain<INoticesGrain>(SiteId).Seen(firstSeen).Ignore();
    }

    /// <summary>For the rule evaluator (<c>suppressDuringNotice</c>).</summary>
    private bool OutageCoversPage(string pathAndQuery) => notices?.OutageCovers(pathAndQuery, clock.GetUtcNow()) == true;

    /// <summary>The visitor started a chat, asked for a callback or left a message: the notices they saw did not settle it.</summary>
    private void NoteContactAfterNotices()
    {
        var ids = noticesSeen.Where(noticesContacted.Add).ToList();
        if (ids.Count > 0) grains.GetGrain<INoticesGrain>(SiteId).ContactedAfter(ids).Ignore();
    }
}
