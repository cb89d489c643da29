using System.Collections.Concurrent;
using System.Security.Claims;
using LiveChat.Grains;
using Microsoft.AspNetCore.SignalR;

namespace LiveChat.Server.Auth;

/// <summary>
/// Re-checks a signed-in agent on every request and hub connection: the account must still exist with the
/// security stamp the cookie carries (password, roles and sites unchanged) and the session must not have been
/// logged out. Revocations live in <see cref="IAgentSessionsGrain"/> (every node sees them); a node caches "not
/// revoked" for <see cref="CacheFor"/>. Open agent hub connections of a session that fails the check are closed:
/// at once on the node that saw the logout or the account change, within <see cref="SweepEvery"/> elsewhere.
/// </summary>
public sealed class AgentSessions : BackgroundService
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan SweepEvery = TimeSpan.FromSeconds(5);
    /// <summary>A revoked id is kept as long as a copy of its cookie could still be unexpired (the sliding lifetime).</summary>
    public static readonly TimeSpan CookieLifetime = TimeSpan.FromHours(12);

    private readonly AgentAccounts accounts;
    private readonly IGrainFactory grains;
    private readonly TimeProvider clock;
    private readonly ILogger<AgentSessions> log;
    private readonly ConcurrentDictionary<string, (bool Revoked, DateTimeOffset CheckedAt)> cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, HubCallerContext> connections = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim sweepNow = new(0);

    public AgentSessions(AgentAccounts accounts, IGrainFactory grains, TimeProvider clock, ILogger<AgentSessions> log)
    {
        this.accounts = accounts;
        this.grains = grains;
        this.clock = clock;
        this.log = log;
        accounts.Changed += () => sweepNow.Release();
    }

    /// <summary>True while the account behind this principal is unchanged and the session was not logged out.</summary>
    public async ValueTask<bool> IsValid(ClaimsPrincipal? user)
    {
        if (user?.Identity?.IsAuthenticated != true) return false;
        var agentId = user.AgentId();
        var stamp = user.FindFirstValue(AgentAccounts.StampClaim);
        if (stamp is null || accounts.CurrentStamp(agentId) != stamp) return false;
        if (user.SessionId() is not { } sid) return false;
        var now = clock.GetUtcNow();
        if (cache.TryGetValue(sid, out var known) && (known.Revoked || now - known.CheckedAt < CacheFor)) return !known.Revoked;
        var revoked = await grains.GetGrain<IAgentSessionsGrain>(agentId).IsRevoked(sid);
        if (cache.Count > 50_000) cache.Clear();
        cache[sid] = (revoked, now);
        return !revoked;
    }

    /// <summary>Logout: the session ends on every node, and its hub connections on this one close now.</summary>
    public async Task Revoke(ClaimsPrincipal user)
    {
        if (user.SessionId() is not { } sid) return;
        cache[sid] = (true, clock.GetUtcNow());
        await grains.GetGrain<IAgentSessionsGrain>(user.AgentId()).Revoke(sid, clock.GetUtcNow() + CookieLifetime);
        foreach (var (_, connection) in connections)
            if (connection.User?.SessionId() == sid) connection.Abort();
    }

    public void Track(HubCallerContext connection) => connections[connection.ConnectionId] = connection;
    public void Untrack(HubCallerContext connection) => connections.TryRemove(connection.ConnectionId, out _);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try { await sweepNow.WaitAsync(SweepEvery, stoppingToken); }
            catch (OperationCanceledException) { return; }
            foreach (var (_, connection) in connections)
            {
                try
                {
                    if (await IsValid(connection.User)) continue;
                    log.LogInformation("Closing agent connection {ConnectionId}: session ended or account changed", connection.ConnectionId);
                    connection.Abort();
                    Untrack(connection);
                }
                catch (Exception e) when (e is not OperationCanceledException) { log.LogWarning(e, "Could not re-check an agent session"); }
            }
        }
    }
}
