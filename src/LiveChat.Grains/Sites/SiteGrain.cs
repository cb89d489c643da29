using LiveChat.Contracts;
using LiveChat.Engagement;
using Microsoft.Extensions.Logging;
using Orleans.Utilities;

namespace LiveChat.Grains;

/// <summary>
/// The site's coordinator: rules, agent load, routing and the FIFO queue. Routing calls conversation grains
/// but conversation grains only call back one-way (<see cref="Release"/>), so no call cycle can deadlock.
/// No visitor event calls it: rules and agent availability are pushed to every node's <see cref="SiteDirectory"/>,
/// and the figures live in <see cref="ISiteStatsGrain"/>.
/// </summary>
internal sealed class SiteGrain(
    [PersistentState("site", Storage.Name)] IPersistentState<SiteState> state,
    IGrainFactory grains, IVisitorNotifier visitors, IAgentNotifier agents, TimeProvider clock, ILogger<SiteGrain> log)
    : Grain, ISiteGrain
{
    private const double DefaultHandlingSeconds = 180;
    /// <summary>A node that has not renewed its watch this long is no longer told of changes (it re-reads when it next needs the site).</summary>
    public static readonly TimeSpan WatchLapse = TimeSpan.FromSeconds(30);
    private readonly ObserverManager<ISiteObserver> watchers = new(WatchLapse, log);
    private SiteAvailability availability = new(false, 0);
    private (string? Json, BusinessHours Hours) parsedHours = (null, BusinessHours.AlwaysOpen);

    private SiteState S => state.State;
    private string SiteId => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // An agent whose node died has no grain left to notice the lost connection: waking it starts its grace timer.
        this.RegisterGrainTimer(AuditAgents, new GrainTimerCreationOptions(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30)));
        availability = new SiteAvailability(AnyAgentHasRoom(), clock.GetUtcNow().UtcTicks);
        if (S.Stats.BySituation.Count > 0)
        {
            await grains.GetGrain<ISiteStatsGrain>(SiteId).Import(S.Stats);
            S.Stats = new SiteStatsBook();
            await state.WriteStateAsync(cancellationToken);
        }
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
        if (!S.Agents.TryGetValue(agent.AgentId, out var slot)) S.Agents[agent.AgentId] = slot = new AgentSlot();
        var wasOnline = slot.Status != AgentStatus.Offline;
        slot.Name = agent.Name;
        slot.Status = agent.Status;
        slot.Capacity = agent.Capacity;
        if (agent.Status == AgentStatus.Offline && wasOnline && slot.Open.Count > 0)
            await RequeueChatsOf(agent.AgentId, slot);
        await DrainQueue();
        await state.WriteStateAsync();
        await AgentsChanged();
    }

    public Task<IReadOnlyList<AgentInfo>> GetAgents() => Task.FromResult(AgentList());

    public Task<bool> IsAgentAvailable() => Task.FromResult(AnyAgentHasRoom());

    public async Task<RoutingResult> Enqueue(QueueEntry entry)
    {
        using var span = Diagnostics.Source.StartActivity("livechat.route");
        span?.SetTag("livechat.site", SiteId).SetTag("livechat.conversation", entry.ConversationId).SetTag("livechat.situation", entry.Situation);
        if (S.Queue.Any(q => q.ConversationId == entry.ConversationId))
            return Position(entry.ConversationId);
        if (PickAgent() is { } agentId && S.Queue.Count == 0)
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
        var index = S.Queue.FindIndex(q => q.ConversationId == conversationId);
        if (index < 0) throw new RefusedException("that conversation is not waiting");
        if (slot.Open.Count >= slot.Capacity) throw new RefusedException($"you are at your capacity of {slot.Capacity} chats");
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
        if (to.Open.Count >= to.Capacity) throw new RefusedException("that agent has no free capacity");
        from.Open.Remove(conversationId);
        await Assign(toAgentId, conversationId, note);
        await DrainQueue(); // the sender's seat is free for the next in line
        await state.WriteStateAsync();
        await AgentsChanged();
    }

    public async Task Release(string? agentId, string conversationId, double? handledSeconds)
    {
        var queued = S.Queue.RemoveAll(q => q.ConversationId == conversationId) > 0;
        if (agentId is not null && S.Agents.TryGetValue(agentId, out var slot)) slot.Open.Remove(conversationId);
        foreach (var other in S.Agents.Values) other.Open.Remove(conversationId);
        if (handledSeconds is { } seconds)
        {
            S.HandlingSeconds.Add(seconds);
            if (S.HandlingSeconds.Count > 50) S.HandlingSeconds.RemoveAt(0);
        }
        await DrainQueue();
        await state.WriteStateAsync();
        if (queued) await QueueChanged();
        await AgentsChanged();
    }

    public Task<IReadOnlyList<string>> GetOpenConversations(string agentId) =>
        Task.FromResult<IReadOnlyList<string>>(S.Agents.TryGetValue(agentId, out var slot) ? slot.Open.ToList() : []);

    public Task<IReadOnlyList<QueueEntry>> GetQueue() => Task.FromResult<IReadOnlyList<QueueEntry>>(S.Queue.ToList());

    public Task Record(StatEvent stat) => grains.GetGrain<IStatsAggregatorGrain>(SiteId).AddUnsourced(stat);

    public Task<IReadOnlyList<SituationStats>> GetStats(DateTimeOffset from, DateTimeOffset to) =>
        grains.GetGrain<ISiteStatsGrain>(SiteId).Query(from, to);

    private bool AnyAgentHasRoom() => S.Agents.Values.Any(a => a.HasRoom);

    /// <summary>
    /// Every change of agents' status or load ends here (with the AgentsChanged push): when it changes whether anyone
    /// has room, every watching node is told before the call that changed it returns, so a node's copy is stale only
    /// while a push is in flight, or for at most <see cref="GrainTimings.SiteRefresh"/> if a node missed it.
    /// </summary>
    private async Task AvailabilityMaybeChanged()
    {
        var now = AnyAgentHasRoom();
        if (now == availability.AgentAvailable) return;
        availability = new SiteAvailability(now, Math.Max(availability.Seq + 1, clock.GetUtcNow().UtcTicks));
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

    private string? PickAgent() =>
        S.Agents.Where(a => a.Value.HasRoom)
            .OrderBy(a => a.Value.Open.Count).ThenBy(a => a.Key, StringComparer.Ordinal)
            .Select(a => a.Key).FirstOrDefault();

    private async Task Assign(string agentId, string conversationId, string? note)
    {
        var slot = S.Agents[agentId];
        slot.Open.Add(conversationId);
        log.LogInformation("Routed {ConversationId} to {AgentId} on {SiteId}", conversationId, agentId, SiteId);
        await grains.GetGrain<IConversationGrain>(conversationId).Assign(agentId, slot.Name, note);
        await AgentsChanged();
    }

    private async Task DrainQueue()
    {
        var changed = false;
        while (S.Queue.Count > 0 && PickAgent() is { } agentId)
        {
            var next = TakeFromQueue(0);
            await Assign(agentId, next.ConversationId, note: null);
            changed = true;
        }
        if (changed) await QueueChanged();
    }

    /// <summary>Every way out of the queue towards an agent goes through here, so the wait is measured once.</summary>
    private QueueEntry TakeFromQueue(int index)
    {
        var entry = S.Queue[index];
        S.Queue.RemoveAt(index);
        Diagnostics.QueueWait.Record((clock.GetUtcNow() - entry.QueuedAt).TotalSeconds, Diagnostics.Site(SiteId));
        return entry;
    }

    private async Task RequeueChatsOf(string agentId, AgentSlot slot)
    {
        var chats = slot.Open.ToList();
        slot.Open.Clear();
        var entries = new List<QueueEntry>();
        foreach (var id in chats)
        {
            var entry = await grains.GetGrain<IConversationGrain>(id).Requeue($"{slot.Name} was disconnected. You keep your place: the next free agent will continue this chat.");
            if (entry is not null) entries.Add(entry);
        }
        S.Queue.InsertRange(0, entries); // at the front: they were already being served
        log.LogInformation("Agent {AgentId} went offline; {Count} chats back to the front of the queue", agentId, entries.Count);
        await QueueChanged();
    }

    private RoutingResult Position(string conversationId)
    {
        var index = S.Queue.FindIndex(q => q.ConversationId == conversationId);
        if (index < 0) return new RoutingResult(null, null, null);
        var estimate = Estimate(index + 1);
        return new RoutingResult(null, index + 1, estimate, NobodySoon(estimate));
    }

    /// <summary>Nobody online, or the estimated wait is above the site's limit: offer the alternatives.</summary>
    private bool NobodySoon(int? estimate) =>
        estimate is null || estimate > S.Settings.MaxQueueWaitSeconds || !Hours.IsOpen(clock.GetUtcNow());

    private BusinessHours Hours
    {
        get
        {
            if (parsedHours.Json != S.Settings.BusinessHoursJson)
                parsedHours = (S.Settings.BusinessHoursJson, BusinessHours.TryParse(S.Settings.BusinessHoursJson, out var h, out _) ? h : BusinessHours.AlwaysOpen);
            return parsedHours.Hours;
        }
    }

    /// <summary>Position × recent handling time ÷ online seats; unknown (null) when nobody is online.</summary>
    private int? Estimate(int position)
    {
        var seats = S.Agents.Values.Where(a => a.Status == AgentStatus.Online).Sum(a => a.Capacity);
        if (seats == 0) return null;
        var handling = S.HandlingSeconds.Count > 0 ? S.HandlingSeconds.Average() : DefaultHandlingSeconds;
        return (int)Math.Ceiling(position * handling / seats);
    }

    private async Task QueueChanged()
    {
        Diagnostics.QueueLength.Record(S.Queue.Count, Diagnostics.Site(SiteId));
        await agents.QueueChanged(SiteId, new QueueChangedView(SiteId, S.Queue.ToList()));
        for (var i = 0; i < S.Queue.Count; i++)
        {
            var q = S.Queue[i];
            var estimate = Estimate(i + 1);
            await visitors.Queue(SiteId, q.VisitorId, new QueueView(q.ConversationId, i + 1, estimate, NobodySoon(estimate) ? Alternatives.All : null));
        }
    }

    private async Task AgentsChanged()
    {
        await AvailabilityMaybeChanged();
        await agents.AgentsChanged(SiteId, AgentList());
    }

    private IReadOnlyList<AgentInfo> AgentList() =>
        S.Agents.Select(a => new AgentInfo(a.Key, a.Value.Name, a.Value.Status, a.Value.Capacity, a.Value.Open.Count))
            .OrderBy(a => a.Name, StringComparer.Ordinal).ToList();
}
