using LiveChat.Contracts;
using Microsoft.Extensions.Options;

namespace LiveChat.Grains;

/// <summary>What an agent chose, kept across reloads and node failures.</summary>
[GenerateSerializer]
public sealed class AgentState
{
    [Id(0)] public string Name { get; set; } = "";
    [Id(1)] public string Status { get; set; } = AgentStatus.Online;
    [Id(2)] public int Capacity { get; set; } = 3;
    [Id(3)] public bool SeenOnline { get; set; }
    /// <summary>The console's language (<see cref="ConsoleLanguages"/>), chosen by the agent.</summary>
    [Id(4)] public string Language { get; set; } = ConsoleLanguages.English;
}

/// <summary>
/// Tracks an agent's console connections. When the last one goes, the agent is offline only after a grace
/// period, so a reload or a network blip does not send their chats back to the queue. Status and capacity are
/// persisted; connections are not, so an activation after a node died starts with none and, unless a console
/// reconnects within the grace period, hands the agent's chats back to the queue.
/// </summary>
internal sealed class AgentGrain(
    [PersistentState("agent", Storage.Name)] IPersistentState<AgentState> state,
    IGrainFactory grains, IOptions<GrainTimings> timings) : Grain, IAgentGrain
{
    private readonly HashSet<string> connections = [];
    private IGrainTimer? graceTimer;

    private string SiteId => Keys.Split(this.GetPrimaryKeyString()).SiteId;
    private string AgentId => Keys.Split(this.GetPrimaryKeyString()).Id;
    private ISiteGrain Site => grains.GetGrain<ISiteGrain>(SiteId);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.SeenOnline) StartGrace();
        return Task.CompletedTask;
    }

    public async Task Connected(string connectionId, string agentName)
    {
        connections.Add(connectionId);
        graceTimer?.Dispose();
        graceTimer = null;
        if (state.State.Name != agentName || !state.State.SeenOnline)
        {
            state.State.Name = agentName;
            state.State.SeenOnline = true;
            await state.WriteStateAsync();
        }
        await Site.UpdateAgent(Info());
    }

    public Task Disconnected(string connectionId)
    {
        if (connections.Remove(connectionId) && connections.Count == 0) StartGrace();
        return Task.CompletedTask;
    }

    public async Task<AgentInfo> SetStatus(string status, int? capacity)
    {
        state.State.Status = status;
        if (capacity is { } c) state.State.Capacity = c;
        await state.WriteStateAsync();
        var info = Info();
        await Site.UpdateAgent(info);
        return info;
    }

    public async Task<string> SetLanguage(string language)
    {
        if (state.State.Language != language)
        {
            state.State.Language = language;
            await state.WriteStateAsync();
        }
        return language;
    }

    public Task<string> GetLanguage() => Task.FromResult(state.State.Language);

    public Task Wake() => Task.CompletedTask;

    private void StartGrace()
    {
        graceTimer?.Dispose();
        graceTimer = this.RegisterGrainTimer(GoOffline, new GrainTimerCreationOptions(timings.Value.AgentDisconnectGrace, Timeout.InfiniteTimeSpan) { KeepAlive = true });
    }

    private async Task GoOffline(CancellationToken _)
    {
        graceTimer?.Dispose();
        graceTimer = null;
        if (connections.Count > 0) return;
        state.State.SeenOnline = false;
        await state.WriteStateAsync(CancellationToken.None); // going offline is written even when the timer is being stopped
        await Site.UpdateAgent(Info());
        DeactivateOnIdle();
    }

    private AgentInfo Info() => new(AgentId, state.State.Name, connections.Count == 0 ? AgentStatus.Offline : state.State.Status, state.State.Capacity, 0);
}
