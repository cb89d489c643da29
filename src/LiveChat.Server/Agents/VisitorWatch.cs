using System.Collections.Concurrent;
using LiveChat.Contracts;
using Microsoft.AspNetCore.SignalR;

namespace LiveChat.Server.Agents;

/// <summary>
/// The live-visitors subscriptions of this node's agent connections. Once a tick it refreshes the mirrors of the
/// watched sites, computes each distinct view once, and sends each watcher one <c>VisitorsChanged</c> diff against
/// what that watcher was last sent. A watcher whose previous diff is still being written (a slow console) is skipped:
/// it gets the next diff, which is newer and covers the skipped ticks. The push goes straight to the local connection,
/// so with the Redis backplane visitor-list traffic adds nothing to Redis.
/// </summary>
public sealed class VisitorWatch(IGrainFactory grains, IHubContext<AgentHub, IAgentClient> hub, TimeProvider clock, ILogger<VisitorWatch> log)
    : BackgroundService
{
    public static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, Watcher> watchers = new();
    private readonly ConcurrentDictionary<string, PresenceMirror> mirrors = new();
    /// <summary>Set by a new watcher: a node no console watches does not tick.</summary>
    private readonly LiveChat.Grains.WakeUp watched = new();

    /// <summary>One connection's view and what it was last sent; guarded by its own lock.</summary>
    private sealed class Watcher(IReadOnlyList<string> sites, string filter, string sort, int limit)
    {
        public IReadOnlyList<string> Sites { get; } = sites;
        public string Filter { get; } = filter;
        public string Sort { get; } = sort;
        public int Limit { get; } = limit;
        public IReadOnlyList<VisitorSummary> Sent { get; set; } = [];
        public VisitorCounts? SentCounts { get; set; }
        public Task Sending { get; set; } = Task.CompletedTask;
        /// <summary>
        /// No diff before this: WatchVisitors' answer (the page the first diff is relative to) is written when the hub
        /// method returns; a diff written before it would be undone by it, and the console would keep rows that left.
        /// </summary>
        public DateTimeOffset NotBefore { get; set; }
        public string ViewKey => $"{string.Join(',', Sites)}|{Filter}|{Sort}|{Limit}";
    }

    /// <summary>Starts (or replaces) a connection's subscription and answers its first page from fresh presence.</summary>
    public async Task<VisitorsPage> Watch(string connectionId, IReadOnlyList<string> sites, WatchVisitorsRequest request)
    {
        var w = new Watcher(sites, request.Filter ?? VisitorFilters.Online, request.Sort ?? VisitorSorts.NeedsHelp, request.Limit ?? WatchVisitorsRequest.DefaultLimit);
        foreach (var site in sites)
        {
            var mirror = mirrors.GetOrAdd(site, s => new PresenceMirror(s));
            if (!mirror.Loaded) await mirror.Refresh(grains);
        }
        var view = Compute(w, clock.GetUtcNow());
        lock (w) { w.Sent = view.Rows; w.SentCounts = view.Counts; w.NotBefore = clock.GetUtcNow() + Tick / 2; }
        watchers[connectionId] = w;
        watched.Set();
        return new VisitorsPage(w.Filter, w.Sort, w.Limit, view.Rows, view.Counts);
    }

    public void Unwatch(string connectionId) => watchers.TryRemove(connectionId, out _);

    /// <summary>One round: refresh, diff, push. The timer calls it; tests may too.</summary>
    public async Task Round()
    {
        var sites = watchers.Values.SelectMany(w => w.Sites).ToHashSet();
        foreach (var gone in mirrors.Keys.Where(s => !sites.Contains(s)).ToList()) mirrors.TryRemove(gone, out _);
        await Task.WhenAll(sites.Select(async s =>
        {
            try { await mirrors.GetOrAdd(s, x => new PresenceMirror(x)).Refresh(grains); }
            catch (Exception e) { log.LogWarning(e, "Could not refresh the presence of {SiteId}; the lists show the last known state", s); }
        }));
        var now = clock.GetUtcNow();
        var views = new Dictionary<string, VisitorViews.View>();
        foreach (var (connectionId, w) in watchers)
        {
            if (!w.Sending.IsCompleted) continue; // a slow console: it gets the next, newer diff instead
            if (now < w.NotBefore) continue;
            if (!views.TryGetValue(w.ViewKey, out var view)) views[w.ViewKey] = view = Compute(w, now);
            VisitorsChanged? diff;
            lock (w)
            {
                diff = VisitorViews.Diff(w.Sent, w.SentCounts!, view);
                if (diff is null) continue;
                w.Sent = view.Rows;
                w.SentCounts = view.Counts;
            }
            w.Sending = Send(connectionId, diff);
        }
    }

    private async Task Send(string connectionId, VisitorsChanged diff)
    {
        try { await hub.Clients.Client(connectionId).VisitorsChanged(diff); }
        catch (Exception e) { log.LogDebug(e, "VisitorsChanged to {ConnectionId} failed", connectionId); }
    }

    private VisitorViews.View Compute(Watcher w, DateTimeOffset now)
    {
        var all = w.Sites.Count == 1 && mirrors.TryGetValue(w.Sites[0], out var only) ? only.Copy()
            : w.Sites.SelectMany(s => mirrors.TryGetValue(s, out var m) ? m.Copy() : []).ToList();
        return VisitorViews.Compute(all, w.Filter, w.Sort, w.Limit, now);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (true)
            {
                await watched.SleepUnless(() => !watchers.IsEmpty, Timeout.InfiniteTimeSpan, stoppingToken);
                using var timer = new PeriodicTimer(Tick);
                while (await timer.WaitForNextTickAsync(stoppingToken))
                {
                    if (watchers.IsEmpty) break;
                    try { await Round(); }
                    catch (Exception e) { log.LogWarning(e, "A visitor-list round failed"); }
                }
            }
        }
        catch (OperationCanceledException) { }
    }
}
