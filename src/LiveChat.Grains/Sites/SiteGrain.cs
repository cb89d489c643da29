using LiveChat.Contracts;
using LiveChat.Engagement;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Utilities;

namespace LiveChat.Grains;

/// <summary>
/// The site's coordinator: rules and settings, agent load, routing and the FIFO queue. Routing calls conversation grains
/// but conversation grains only call back one-way (<see cref="Release"/>), so no call cycle can deadlock.
/// No visitor event calls it: rules and agent availability are pushed to every node's <see cref="SiteDirectory"/>,
/// and the figures live in <see cref="ISiteStatsGrain"/>. The bookkeeping is pure and tested apart:
/// <see cref="Roster"/> (agents, seats, picking), <see cref="QueueBook"/> (places, estimates) and
/// <see cref="LeftChats"/> (chats whose visitor left); this grain does the calls, the timers, the pushes and the writes.
/// </summary>
internal sealed class SiteGrain(
    [PersistentState("site", Storage.Name)] IPersistentState<SiteState> state,
    IGrainFactory grains, IVisitorNotifier visitors, IAgentNotifier agents, TimeProvider clock, IOptions<GrainTimings> timings, ILogger<SiteGrain> log)
    : Grain, ISiteGrain
{
    /// <summary>A node that has not renewed its watch this long is no longer told of changes (it re-reads when it next needs the site).</summary>
    public static readonly TimeSpan WatchLapse = TimeSpan.FromSeconds(30);
    private readonly ObserverManager<ISiteObserver> watchers = new(WatchLapse, log);
    private SiteAvailability availability = new(false, 0);
    private (string? Json, BusinessHours Hours) parsedHours = (null, BusinessHours.AlwaysOpen);
    private IGrainTimer? leftTimer;
    /// <summary>What open widgets were last told (per activation: a fresh one tells them once more, harmlessly).</summary>
    private string? lastAvailability;

    private SiteState S => state.State;
    private string SiteId => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // An agent whose node died has no grain left to notice the lost connection: waking it starts its grace timer.
        this.RegisterGrainTimer(AuditAgents, new GrainTimerCreationOptions(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30)));
        availability = new SiteAvailability(Roster.AnyHasRoom(S), clock.GetUtcNow().UtcTicks, Roster.AnyOnline(S));
        if (S.Stats.BySituation.Count > 0)
        {
            await grains.GetGrain<ISiteStatsGrain>(SiteId).Import(S.Stats);
            S.Stats = new SiteStatsBook();
            await state.WriteStateAsync(cancellationToken);
        }
        ScheduleLeftChats();
    }

    public async Task Configure(SiteSettings settings)
    {
        S.Settings = settings;
        if (S.Rules.Version == 0 && settings.SeedRulesJson is { } seed) S.Rules = new RulesDocument(1, seed);
        await state.WriteStateAsync();
    }

    public Task<SiteRuntime> GetRuntime() =>
        Task.FromResult(new SiteRuntime(S.Rules, S.Settings.PhoneNumber, S.Settings.BusinessHoursJson, availability));

    public Task<SiteRuntime> Watch(ISiteObserver observer)
    {
        watchers.Subscribe(observer, observer);
        return GetRuntime();
    }

    public Task<RulesDocument> GetRules() => Task.FromResult(S.Rules);

    public async Task<long> SetRules(string json)
    {
        S.Rules = new RulesDocument(S.Rules.Version + 1, json);
        await state.WriteStateAsync();
        await TellWatchers();
        return S.Rules.Version;
    }

    public Task<IReadOnlyList<CannedResponse>> GetCannedResponses() =>
        Task.FromResult(S.Settings.CannedResponses ?? (IReadOnlyList<CannedResponse>)[]);

    public async Task UpdateAgent(AgentInfo agent)
    {
        var (slot, wentOfflineWithChats) = Roster.Update(S, agent);
        if (wentOfflineWithChats) await RequeueChatsOf(agent.AgentId, slot);
        await DrainQueue();
        await state.WriteStateAsync();
        await AgentsChanged();
    }

    public Task<IReadOnlyList<AgentInfo>> GetAgents() => Task.FromResult(Roster.List(S));

    public Task<bool> IsAgentAvailable() => Task.FromResult(Roster.AnyHasRoom(S));

    public Task<string> GetAvailability() => Task.FromResult(CurrentAvailability());

    public async Task<RoutingResult> Enqueue(QueueEntry entry)
    {
        using var span = Diagnostics.Source.StartActivity("livechat.route");
        span?.SetTag("livechat.site", SiteId).SetTag("livechat.conversation", entry.ConversationId).SetTag("livechat.situation", entry.Situation);
        if (QueueBook.Contains(S, entry.ConversationId))
            return Position(entry.ConversationId);
        if (Roster.PickAgent(S) is { } agentId && QueueBook.NextWaiting(S) < 0)
        {
            await Assign(agentId, entry.ConversationId, note: null);
            await state.WriteStateAsync();
            span?.SetTag("livechat.routed_to", agentId);
            return new RoutingResult(agentId, null, null);
        }
        S.Queue.Add(entry);
        await state.WriteStateAsync();
        span?.SetTag("livechat.queue_position", S.Queue.Count);
        await QueueChanged();
        return Position(entry.ConversationId);
    }

    public async Task Accept(string agentId, string conversationId)
    {
        if (!S.Agents.TryGetValue(agentId, out var slot)) throw new RefusedException("set your status to online first");
        if (slot.Open.Contains(conversationId)) return;
        var index = QueueBook.IndexOf(S, conversationId);
        if (index < 0) throw new RefusedException("that conversation is not waiting");
        if (S.Queue[index].VisitorLeftAt is not null) throw new RefusedException("that visitor has left the site: their chat goes to Requests unless they come back");
        if (slot.Busy >= slot.Capacity) throw new RefusedException($"you are at your capacity of {slot.Capacity} chats");
        TakeFromQueue(index);
        await Assign(agentId, conversationId, note: null);
        await state.WriteStateAsync();
        await QueueChanged();
    }

    public async Task Transfer(string fromAgentId, string conversationId, string toAgentId, string? note)
    {
        if (!S.Agents.TryGetValue(fromAgentId, out var from) || !from.Open.Contains(conversationId))
            throw new RefusedException("that conversation is not yours");
        if (!S.Agents.TryGetValue(toAgentId, out var to) || to.Status == AgentStatus.Offline)
            throw new RefusedException("that agent is not online");
        if (to.Busy >= to.Capacity) throw new RefusedException("that agent has no free capacity");
        Roster.Move(from, to, conversationId); // a visitor still away stays away: the seat frees and the chat closes on the same clock
        await Assigned(toAgentId, to, conversationId, note);
        await DrainQueue(); // the sender's seat is free for the next in line
        await state.WriteStateAsync();
        await AgentsChanged();
    }

    public async Task Release(string? agentId, string conversationId, double? handledSeconds)
    {
        var queued = QueueBook.Remove(S, conversationId);
        Roster.Release(S, conversationId);
        if (handledSeconds is { } seconds) QueueBook.RecordHandling(S, seconds);
        await DrainQueue();
        await state.WriteStateAsync();
        if (queued) await QueueChanged();
        await AgentsChanged();
    }

    public async Task VisitorLeft(string conversationId)
    {
        if (!LeftChats.MarkLeft(S, conversationId, clock.GetUtcNow())) return;
        await state.WriteStateAsync();
        if (QueueBook.Contains(S, conversationId)) await QueueChanged(); // those behind move up
        else if (Roster.AgentOf(S, conversationId) is { } agentId) await agents.ChatVisitor(agentId, new ChatVisitorView(conversationId, false));
        ScheduleLeftChats();
    }

    public async Task VisitorReturned(string conversationId)
    {
        var index = QueueBook.IndexOf(S, conversationId);
        if (index >= 0)
        {
            if (!QueueBook.Returned(S, index)) return;
            await DrainQueue();
            await state.WriteStateAsync();
            await QueueChanged();
        }
        else if (LeftChats.SlotOf(S, conversationId) is { } slot)
        {
            if (LeftChats.Returned(slot, conversationId) is not { } hadFreedSeat) return;
            await state.WriteStateAsync();
            if (Roster.AgentOf(S, conversationId) is { } agentId) await agents.ChatVisitor(agentId, new ChatVisitorView(conversationId, true));
            if (hadFreedSeat) await AgentsChanged();
        }
        else
        {
            // Neither waiting nor answered: a missed chat whose visitor came back. It resumes, queued again.
            var entry = await grains.GetGrain<IConversationGrain>(conversationId).Requeue(SystemText.Resumed);
            if (entry is null) return;
            await Enqueue(entry with { QueuedAt = clock.GetUtcNow() });
            await grains.GetGrain<IRequestsGrain>(SiteId).MarkMissedChatDone(conversationId);
            return;
        }
        ScheduleLeftChats();
    }

    public Task<IReadOnlyList<string>> GetOpenConversations(string agentId) =>
        Task.FromResult<IReadOnlyList<string>>(S.Agents.TryGetValue(agentId, out var slot) ? slot.Open.ToList() : []);

    public Task<IReadOnlyList<QueueEntry>> GetQueue() => Task.FromResult<IReadOnlyList<QueueEntry>>(S.Queue.ToList());

    public Task Record(StatEvent stat) => grains.GetGrain<IStatsAggregatorGrain>(SiteId).AddUnsourced(stat);

    public Task<IReadOnlyList<SituationStats>> GetStats(DateTimeOffset from, DateTimeOffset to) =>
        grains.GetGrain<ISiteStatsGrain>(SiteId).Query(from, to);

    public Task<StatsReport> GetReport(DateTimeOffset from, DateTimeOffset to) => grains.GetGrain<ISiteStatsGrain>(SiteId).Report(from, to);

    /// <summary>
    /// Every change of agents' status or load ends here (with the AgentsChanged push): when it changes whether anyone
    /// has room, every watching node is told before the call that changed it returns, so a node's copy is stale only
    /// while a push is in flight, or for at most <see cref="GrainTimings.SiteRefresh"/> if a node missed it.
    /// </summary>
    private async Task AvailabilityMaybeChanged()
    {
        if (Roster.AvailabilityAfter(S, availability, clock.GetUtcNow()) is not { } changed) return;
        availability = changed;
        await TellWatchers();
    }

    private Task TellWatchers()
    {
        var change = new SiteChange(SiteId, S.Rules.Version, availability);
        return watchers.Notify(w => w.SiteChanged(change));
    }

    private Task AuditAgents(CancellationToken _)
    {
        foreach (var (agentId, slot) in S.Agents)
            if (slot.Status != AgentStatus.Offline) grains.GetGrain<IAgentGrain>(Keys.Of(SiteId, agentId)).Wake().Ignore();
        return Task.CompletedTask;
    }

    private void ScheduleLeftChats()
    {
        leftTimer?.Dispose();
        leftTimer = null;
        if (LeftChats.NextDue(S, timings.Value) is not { } due) return;
        var delay = due - clock.GetUtcNow();
        leftTimer = this.RegisterGrainTimer(OnLeftChatsDue, new GrainTimerCreationOptions(delay > TimeSpan.Zero ? delay : TimeSpan.Zero, Timeout.InfiniteTimeSpan) { KeepAlive = true });
    }

    private async Task OnLeftChatsDue(CancellationToken _)
    {
        var now = clock.GetUtcNow();
        var due = LeftChats.TakeDue(S, timings.Value, now);
        foreach (var entry in due.Abandoned) await RecordMissed(entry, now);
        if (due.Abandoned.Count > 0 || due.SeatsFreed > 0)
        {
            await DrainQueue();
            await state.WriteStateAsync();
            if (due.Abandoned.Count > 0) await QueueChanged();
            await AgentsChanged();
        }
        else if (due.ToClose.Count > 0) await state.WriteStateAsync();
        foreach (var id in due.ToClose)
        {
            log.LogInformation("Closing {ConversationId} on {SiteId}: the visitor left the site", id, SiteId);
            grains.GetGrain<IConversationGrain>(id).Close(Senders.System, CloseReasons.VisitorLeft).Ignore();
        }
        ScheduleLeftChats();
    }

    /// <summary>A chat nobody answered before its visitor left: into the Requests list, with their words and any contact.</summary>
    private async Task RecordMissed(QueueEntry entry, DateTimeOffset now)
    {
        var words = LeftChats.VisitorWords(await grains.GetGrain<IConversationGrain>(entry.ConversationId).GetView());
        log.LogInformation("Missed chat {ConversationId} on {SiteId}: the visitor left while queued", entry.ConversationId, SiteId);
        Diagnostics.ChatsMissed.Add(1, Diagnostics.Site(SiteId), Diagnostics.Situation(entry.Situation));
        await Record(new StatEvent(StatKind.Missed, entry.RuleId, entry.Situation, now));
        await grains.GetGrain<IRequestsGrain>(SiteId).Add(new CallbackView("", SiteId, entry.VisitorId, RequestKinds.MissedChat, null, null, null,
            words, now, false, ConversationId: entry.ConversationId));
    }

    private Task Assign(string agentId, string conversationId, string? note) =>
        Assigned(agentId, Roster.Seat(S, agentId, conversationId), conversationId, note);

    /// <summary>The chat holds a seat of <paramref name="slot"/>: its conversation and the consoles hear of it.</summary>
    private async Task Assigned(string agentId, AgentSlot slot, string conversationId, string? note)
    {
        log.LogInformation("Routed {ConversationId} to {AgentId} on {SiteId}", conversationId, agentId, SiteId);
        await grains.GetGrain<IConversationGrain>(conversationId).Assign(agentId, slot.Name, note);
        await AgentsChanged();
    }

    private async Task DrainQueue()
    {
        var changed = false;
        while (QueueBook.NextWaiting(S) is var index and >= 0 && Roster.PickAgent(S) is { } agentId)
        {
            var next = TakeFromQueue(index);
            await Assign(agentId, next.ConversationId, note: null);
            changed = true;
        }
        if (changed) await QueueChanged();
    }

    /// <summary>Every way out of the queue towards an agent goes through here, so the wait is measured once.</summary>
    private QueueEntry TakeFromQueue(int index)
    {
        var entry = QueueBook.Take(S, index);
        Diagnostics.QueueWait.Record((clock.GetUtcNow() - entry.QueuedAt).TotalSeconds, Diagnostics.Site(SiteId));
        return entry;
    }

    private async Task RequeueChatsOf(string agentId, AgentSlot slot)
    {
        var (chats, left) = Roster.Vacate(slot);
        var entries = new List<QueueEntry>();
        foreach (var id in chats)
        {
            var entry = await grains.GetGrain<IConversationGrain>(id).Requeue(SystemText.Disconnected(slot.Name));
            // A chat whose visitor is away stays away in the queue: nobody is handed it, and it is abandoned in time.
            if (entry is not null) entries.Add(left.TryGetValue(id, out var at) ? entry with { VisitorLeftAt = at } : entry);
        }
        QueueBook.ReturnToFront(S, entries); // they were already being served
        log.LogInformation("Agent {AgentId} went offline; {Count} chats back to the front of the queue", agentId, entries.Count);
        await QueueChanged();
        ScheduleLeftChats();
    }

    private RoutingResult Position(string conversationId) => QueueBook.Position(S, conversationId, Hours.IsOpen(clock.GetUtcNow()));

    private BusinessHours Hours
    {
        get
        {
            if (parsedHours.Json != S.Settings.BusinessHoursJson)
                parsedHours = (S.Settings.BusinessHoursJson, BusinessHours.TryParse(S.Settings.BusinessHoursJson, out var h, out _) ? h : BusinessHours.AlwaysOpen);
            return parsedHours.Hours;
        }
    }

    private async Task QueueChanged()
    {
        Diagnostics.QueueLength.Record(S.Queue.Count, Diagnostics.Site(SiteId));
        await agents.QueueChanged(SiteId, new QueueChangedView(SiteId, S.Queue.ToList()));
        var queued = QueueBook.Views(S, Hours.IsOpen(clock.GetUtcNow()))
            .Select(q => new QueuedVisitor(q.Entry.VisitorId, q.View)).ToList();
        if (queued.Count > 0) await visitors.Queues(SiteId, queued); // one call; the notifier awaits no browser
    }

    private string CurrentAvailability() => Availability.Of(Roster.AnyHasRoom(S), Roster.AnyOnline(S), Hours.IsOpen(clock.GetUtcNow()));

    /// <summary>
    /// Agents' load changed: the consoles hear it, the nodes hear it when availability changed, and open widgets hear
    /// it (SiteStatus) only when the visitor-facing code itself changed.
    /// </summary>
    private async Task AgentsChanged()
    {
        await AvailabilityMaybeChanged();
        await agents.AgentsChanged(SiteId, Roster.List(S));
        var now = CurrentAvailability();
        if (now == lastAvailability) return;
        lastAvailability = now;
        await visitors.SiteStatus(SiteId, new SiteInfo(S.Settings.PhoneNumber, now == Availability.Available, now != Availability.Closed, Availability: now));
    }
}
