using LiveChat.Contracts;
using Microsoft.Extensions.Logging;

namespace LiveChat.Grains;

/// <summary>
/// A site's notices. Every change (create, update, delete, expiry) bumps the version and nudges each connected visitor
/// grain of the site, one-way; the visitor grain matches its own current page and pushes Notice / NoticeCleared through
/// <see cref="IVisitorNotifier"/>, so only visitors on matching pages hear anything, on whichever node their tabs are.
/// </summary>
internal sealed class NoticesGrain(
    [PersistentState("notices", Storage.Name)] IPersistentState<NoticesState> state,
    IGrainFactory grains, TimeProvider clock, Microsoft.Extensions.Options.IOptions<GrainTimings> timings, ILogger<NoticesGrain> log,
    PresenceOutbox presence)
    : Grain, INoticesGrain
{
    public const int MaxActive = 50;

    /// <summary>Stats are written at most this often: one change can make thousands of visitors report "seen" at once.</summary>
    private static readonly TimeSpan StatsWriteDelay = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A visitor whose Hello read a node's copy of the notices just before a change, and who was listed as present just
    /// after the change was announced, would otherwise wait for their next page: a second sweep, once every node's copy is
    /// fresh (<see cref="GrainTimings.SiteRefresh"/> plus this margin), reaches the visitors listed since.
    /// </summary>
    private static readonly TimeSpan SecondSweepMargin = TimeSpan.FromSeconds(1);

    private IGrainTimer? expiryTimer;
    private IGrainTimer? statsTimer;
    private IGrainTimer? sweepTimer;
    private HashSet<string> announcedTo = [];

    private NoticesState S => state.State;
    private string SiteId => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Expiries that fell due while no node hosted the grain (a restart, a failover) are applied now.
        if (RemoveExpired()) await Commit();
        else ArmExpiry();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (statsTimer is not null) await state.WriteStateAsync(cancellationToken);
    }

    public Task<ActiveNotices> GetActive() =>
        Task.FromResult(new ActiveNotices(S.Version, Ordered().Select(r => r.Notice).ToList()));

    public Task<IReadOnlyList<NoticeRecord>> List() => Task.FromResult<IReadOnlyList<NoticeRecord>>(Ordered().ToList());

    public async Task<NoticeRecord> Create(NoticeDraft draft)
    {
        RemoveExpired();
        if (S.Notices.Count >= MaxActive) throw new RefusedException($"a site may have at most {MaxActive} active notices; delete one first");
        var now = clock.GetUtcNow();
        var id = Keys.NewId("n");
        var record = new NoticeRecord(View(id, draft), now, now, 0, 0);
        S.Notices[id] = record;
        await Commit();
        log.LogInformation("Notice {NoticeId} ({Severity}) on {SiteId}", id, draft.Severity, SiteId);
        return record;
    }

    public async Task<NoticeRecord?> Update(string noticeId, NoticeDraft draft)
    {
        if (!S.Notices.TryGetValue(noticeId, out var old) || IsExpired(old)) return null;
        var record = old with { Notice = View(noticeId, draft), UpdatedAt = clock.GetUtcNow() };
        S.Notices[noticeId] = record;
        await Commit();
        return record;
    }

    public async Task<bool> Delete(string noticeId)
    {
        if (!S.Notices.Remove(noticeId)) return false;
        await Commit();
        return true;
    }

    public Task Seen(IReadOnlyList<string> noticeIds) => Count(noticeIds, r => r with { Seen = r.Seen + 1 });

    public Task ContactedAfter(IReadOnlyList<string> noticeIds) => Count(noticeIds, r => r with { ContactedAfter = r.ContactedAfter + 1 });

    private static NoticeView View(string id, NoticeDraft d) => new(id, d.Text, d.Severity, d.Link, d.PageMatches, d.ExpiresAt, d.Texts);

    private IEnumerable<NoticeRecord> Ordered()
    {
        var now = clock.GetUtcNow();
        return S.Notices.Values.Where(r => !(r.Notice.ExpiresAt <= now)).OrderBy(r => r.CreatedAt).ThenBy(r => r.Notice.NoticeId, StringComparer.Ordinal);
    }

    private bool IsExpired(NoticeRecord r) => r.Notice.ExpiresAt <= clock.GetUtcNow();

    private bool RemoveExpired()
    {
        var expired = S.Notices.Values.Where(IsExpired).Select(r => r.Notice.NoticeId).ToList();
        foreach (var id in expired) S.Notices.Remove(id);
        return expired.Count > 0;
    }

    private Task Count(IReadOnlyList<string> noticeIds, Func<NoticeRecord, NoticeRecord> add)
    {
        var changed = false;
        foreach (var id in noticeIds)
        {
            if (!S.Notices.TryGetValue(id, out var record)) continue; // deleted meanwhile: its stats went with it
            S.Notices[id] = add(record);
            changed = true;
        }
        if (changed) statsTimer ??= this.RegisterGrainTimer(WriteStats, new GrainTimerCreationOptions(StatsWriteDelay, Timeout.InfiniteTimeSpan));
        return Task.CompletedTask;
    }

    private async Task WriteStats(CancellationToken cancellationToken)
    {
        statsTimer?.Dispose();
        statsTimer = null;
        await state.WriteStateAsync(cancellationToken);
    }

    /// <summary>Stores the new set, re-arms expiry and tells the site's connected visitors' grains.</summary>
    private async Task Commit()
    {
        S.Version++;
        await state.WriteStateAsync();
        statsTimer?.Dispose();
        statsTimer = null;
        ArmExpiry();
        await Announce();
    }

    /// <summary>
    /// Every connected visitor grain hears of the new version, not only those whose listed page matches: the list can be a
    /// step behind a visitor who is navigating, and a grain that is told can never miss it. Changes are rare; a one-way
    /// call per visitor is cheap, and each node fetches the new set once (<see cref="NoticeBoard"/>).
    /// </summary>
    private async Task Announce()
    {
        announcedTo = await AnnounceTo(skip: null);
        sweepTimer?.Dispose();
        sweepTimer = this.RegisterGrainTimer(SecondSweep, new GrainTimerCreationOptions(timings.Value.SiteRefresh + SecondSweepMargin, Timeout.InfiniteTimeSpan));
    }

    private async Task SecondSweep(CancellationToken _)
    {
        sweepTimer?.Dispose();
        sweepTimer = null;
        await AnnounceTo(skip: announcedTo);
        announcedTo = [];
    }

    private async Task<HashSet<string>> AnnounceTo(HashSet<string>? skip)
    {
        var told = new HashSet<string>(StringComparer.Ordinal);
        foreach (var visitor in await PresenceShards.Snapshot(grains, SiteId, presence))
        {
            if (!visitor.Online || skip?.Contains(visitor.VisitorId) == true) continue;
            grains.GetGrain<IVisitorNoticesGrain>(Keys.Of(SiteId, visitor.VisitorId)).NoticesChanged(S.Version).Ignore();
            told.Add(visitor.VisitorId);
        }
        return told;
    }

    /// <summary>One timer, for the earliest expiry, firing at that instant; it keeps the grain active until then.</summary>
    private void ArmExpiry()
    {
        expiryTimer?.Dispose();
        expiryTimer = null;
        var next = S.Notices.Values.Select(r => r.Notice.ExpiresAt).Where(e => e is not null).Min();
        if (next is not { } at) return;
        var due = at - clock.GetUtcNow();
        if (due < TimeSpan.Zero) due = TimeSpan.Zero;
        expiryTimer = this.RegisterGrainTimer(OnExpiry, new GrainTimerCreationOptions(due, Timeout.InfiniteTimeSpan) { KeepAlive = true });
    }

    private async Task OnExpiry(CancellationToken _)
    {
        if (RemoveExpired()) await Commit();
        else ArmExpiry(); // fired a hair early: wait for the instant
    }
}
