using System.Diagnostics;
using LiveChat.Contracts;
using LiveChat.Grains;
using LiveChat.Server.Configuration;
using LiveChat.Server.Hosting;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace LiveChat.Server.Hubs;

/// <summary>
/// One gate for every hub call: a per-connection rate limit, the request's own validation (an error naming the
/// field), and refusals from grains turned into clear hub errors. Nothing else reaches a client: no stack traces.
/// </summary>
internal sealed class HubGuardFilter(IOptions<LiveChatOptions> options, ConnectionCap cap, HubConnections connections, Auth.AgentSessions sessions, ILogger<HubGuardFilter> log) : IHubFilter
{
    public const string SessionEnded = "your session has ended: sign in again";

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext context, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        var connection = connections.Find(context.Context.ConnectionId) ?? throw HubErrors.Refuse(ReasonCodes.Retry, "this connection has closed: connect again");
        if (!connection.Calls.TryTake())
            throw HubErrors.Refuse(ReasonCodes.RateLimited, "too many requests: slow down and retry");
        if (context.Hub is Agents.AgentHub && !await sessions.IsValid(context.Context.User))
        {
            context.Context.Abort();
            throw HubErrors.Refuse(ReasonCodes.SessionEnded, SessionEnded);
        }

        var parameters = context.HubMethod.GetParameters();
        for (var i = 0; i < context.HubMethodArguments.Count; i++)
        {
            var argument = context.HubMethodArguments[i];
            if (argument is null && !IsOptional(parameters[i])) throw HubErrors.Refuse(ReasonCodes.Invalid, $"{parameters[i].Name} is required");
            if (argument is IValidatable v && v.Validate() is { } error) throw HubErrors.Refuse(ReasonCodes.Invalid, error);
        }
        try
        {
            return await next(context);
        }
        catch (RefusedException e)
        {
            log.LogDebug("Refused {Method}: {Reason}", context.HubMethodName, e.Message); // expected: capacity, closed chat…
            throw HubErrors.Refuse(e.Code, e.Message);
        }
        catch (HubException e) when (!HubErrors.IsCoded(e.Message))
        {
            throw HubErrors.Refuse(ReasonCodes.Refused, e.Message); // every hub error starts with a code
        }
        catch (Exception e) when (e is not HubException and not OperationCanceledException)
        {
            log.LogError(e, "Hub method {Method} failed", context.HubMethodName);
            throw HubErrors.Refuse(ReasonCodes.Retry, "the server could not do that right now; please retry");
        }
    }

    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        var ip = context.Context.GetHttpContext()?.Connection.RemoteIpAddress;
        if (!cap.TryOpen(ip))
        {
            log.LogWarning("Refused a hub connection from {Ip}: connection cap reached", ip);
            throw HubErrors.Refuse(ReasonCodes.LimitReached, "too many connections from your address");
        }
        connections.Add(context.Context.ConnectionId, new OpenConnection(ip, Bucket(context.Hub is Agents.AgentHub)));
        try
        {
            if (context.Hub is Agents.AgentHub) sessions.Track(context.Context);
            await next(context);
        }
        catch
        {
            // SignalR does not call OnDisconnectedAsync for a connection its hub refused: give the slot back here,
            // or every refused attempt (unknown site, foreign origin) would lock the address out a little more.
            Release(context.Context);
            throw;
        }
    }

    public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        try { await next(context, exception); } // the hub still finds whose connection it was
        finally { Release(context.Context); }
    }

    /// <summary>Idempotent: the slot and the rate limiter go back once, whichever path gets here first.</summary>
    private void Release(HubCallerContext connection)
    {
        if (connections.Remove(connection.ConnectionId, out var open)) cap.Close(open!.Address);
        sessions.Untrack(connection);
    }

    private CallBucket Bucket(bool agent) => agent
        ? new CallBucket(options.Value.Limits.AgentHubCallBurst, options.Value.Limits.AgentHubCallsPerSecond)
        : new CallBucket(options.Value.Limits.HubCallBurst, options.Value.Limits.HubCallsPerSecond);

    /// <summary>
    /// A token bucket refilled when used: <c>burst</c> calls at once, then <c>perSecond</c>. Hand-written because
    /// TokenBucketRateLimiter replenishes on a timer of its own: one timer per connection firing every second, which
    /// with 20,000 visitors is 20,000 timer callbacks a second doing nothing (seen in dotnet-trace), and a few hundred bytes each.
    /// </summary>
    internal sealed class CallBucket(int burst, int perSecond)
    {
        private readonly Lock gate = new();
        private double tokens = burst;
        private long at = Stopwatch.GetTimestamp();

        public bool TryTake()
        {
            lock (gate)
            {
                var now = Stopwatch.GetTimestamp();
                tokens = Math.Min(burst, tokens + (now - at) * (double)perSecond / Stopwatch.Frequency);
                at = now;
                if (tokens < 1) return false;
                tokens--;
                return true;
            }
        }
    }

    private static readonly System.Reflection.NullabilityInfoContext Nullability = new();

    private static bool IsOptional(System.Reflection.ParameterInfo p)
    {
        lock (Nullability) return Nullability.Create(p).WriteState == System.Reflection.NullabilityState.Nullable;
    }
}
