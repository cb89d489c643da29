using LiveChat.Contracts;

namespace LiveChat.Grains;

/// <summary>
/// The service notices one visitor's page shows, per grain activation: the newest <see cref="NoticeSet"/> seen, the
/// difference to push when the page or the notices change, and which notices count as seen (once) and as seen before a
/// contact (once). Pure: <see cref="VisitorGrain"/> fetches the set and sends the pushes and the counts.
/// </summary>
internal sealed class ShownNotices
{
    private readonly HashSet<string> seen = [];
    private readonly HashSet<string> contacted = [];

    /// <summary>What the visitor's page shows now (Hello returns it).</summary>
    public IReadOnlyList<NoticeView> Current { get; private set; } = [];

    /// <summary>The newest set of the site's notices this activation has seen.</summary>
    public NoticeSet? Set { get; private set; }

    /// <summary>The version to ask the board for at least: the newer of what the caller was told and what is held.</summary>
    public long AtLeast(long version) => Math.Max(version, Set?.Version ?? 0);

    /// <param name="Cleared">Shown before, not now: NoticeCleared.</param>
    /// <param name="Sent">New or edited (record equality): Notice.</param>
    /// <param name="FirstSeen">Shown to this visitor for the first time this activation: counted as seen.</param>
    public sealed record Change(IReadOnlyList<string> Cleared, IReadOnlyList<NoticeView> Sent, IReadOnlyList<string> FirstSeen);

    /// <summary>Takes <paramref name="set"/> unless an older one overtook a newer; shows what it has for this page now.</summary>
    public Change Update(NoticeSet set, string pathAndQuery, DateTimeOffset now)
    {
        if (Set is null || set.Version >= Set.Version) Set = set;
        var matching = Set.Matching(pathAndQuery, now);
        var cleared = Current.Where(old => !matching.Exists(n => n.NoticeId == old.NoticeId)).Select(n => n.NoticeId).ToList();
        var sent = matching.Where(n => !Current.Contains(n)).ToList();
        Current = matching;
        return new Change(cleared, sent, matching.Select(n => n.NoticeId).Where(seen.Add).ToList());
    }

    /// <summary>For rules with <c>suppressDuringNotice</c>: does an outage notice cover this page now?</summary>
    public bool OutageCovers(string pathAndQuery, DateTimeOffset now) => Set?.OutageCovers(pathAndQuery, now) == true;

    /// <summary>The visitor reached out: the notices they saw (not counted so before) did not settle it.</summary>
    public IReadOnlyList<string> Contacted() => seen.Where(contacted.Add).ToList();
}
