using LiveChat.Contracts;

namespace LiveChat.Grains;

/// <summary>
/// Tracks an agent's console connections. When the last one goes, the agent is offline only after a
/// grace period, so a reload or a network blip does not send their chats back to the queue.
/// </summary>
internal sealed class AgentGrain(IGrainFactory grains, Microsoft.Extensions.Options.IOptions<GrainTimings> timings) : Grain, IAgentGrain
{
    private readonly HashSet<string> connections = [];
    private string name = "";
    private string status = AgentStatus.Online;
    private int capacity = 3;
    private IGrainTimer? graceTimer;

    private string SiteId => Keys.Split(this.GetPrimaryKeyString()).SiteId;
    private string AgentId => Keys.Split(this.GetPrimaryKeyString()).Id;
    private ISiteGrain Site => grains.GetGrain<ISiteGrain>(SiteId);

    public async Task Connected(string connectionId, string agentName)
    {
        name = agentName;
        connections.Add(connectionId);
        graceTimer?.Dispose();
        graceTimer = null;
        await Site.UpdateAgent(Info());
    }

    public Task Disconnected(string connectionId)
    {
        if (connections.Remove(connectionId) && connections.Count == 0)
        {
            graceTimer?.Dispose();
            graceTimer = this.RegisterGrainTimer(GoOffline, new GrainTimerCreationOptions(timings.Value.AgentDisconnectGrace, Timeout.InfiniteTimeSpan) { KeepAlive = true });
        }
        return Task.CompletedTask;
    }

    public async Task<AgentInfo> SetStatus(string newStatus, int? newCapacity)
    {
        status = newStatus;
        if (newCapacity is { } c) capacity = c;
        var info = Info();
        await Site.UpdateAgent(info);
        return info;
    }

    private async Task GoOffline(CancellationToken _)
    {
        graceTimer?.Dispose();
        graceTimer = null;
        if (connections.Count > 0) return;
        await Site.UpdateAgent(Info() with { Status = AgentStatus.Offline });
        DeactivateOnIdle();
    }

    private AgentInfo Info() => new(AgentId, name, connections.Count == 0 ? AgentStatus.Offline : status, capacity, 0);
}
