namespace LiveChat.Grains;

/// <summary>The sign-in sessions of one agent that were ended (logout), so a copy of their cookie stops working on every node. Key: agent id.</summary>
public interface IAgentSessionsGrain : IGrainWithStringKey
{
    Task Revoke(string sessionId, DateTimeOffset until);
    [ReadOnly] Task<bool> IsRevoked(string sessionId);
}

[GenerateSerializer]
public sealed class AgentSessionsState
{
    /// <summary>Revoked session id → when its cookie would have expired anyway (then the entry goes).</summary>
    [Id(0)] public Dictionary<string, DateTimeOffset> Revoked { get; set; } = [];
}

/// <summary>Keeps revoked session ids until the cookies they belonged to could no longer be valid.</summary>
internal sealed class AgentSessionsGrain(
    [PersistentState("agent-sessions", Storage.Name)] IPersistentState<AgentSessionsState> state, TimeProvider clock)
    : Grain, IAgentSessionsGrain
{
    public async Task Revoke(string sessionId, DateTimeOffset until)
    {
        var now = clock.GetUtcNow();
        foreach (var (id, expires) in state.State.Revoked.ToList())
            if (expires < now) state.State.Revoked.Remove(id);
        state.State.Revoked[sessionId] = until;
        await state.WriteStateAsync();
    }

    public Task<bool> IsRevoked(string sessionId) =>
        Task.FromResult(state.State.Revoked.TryGetValue(sessionId, out var until) && until > clock.GetUtcNow());
}
