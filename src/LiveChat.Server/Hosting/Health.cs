using LiveChat.Grains;
using LiveChat.Server.Configuration;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Runtime;
using StackExchange.Redis;

namespace LiveChat.Server.Hosting;

/// <summary>/health/live: the process answers. /health/ready: grains answer (and, in a cluster, Redis answers and this node is an active member).</summary>
public static class Health
{
    public static IServiceCollection AddLiveChatHealth(this IServiceCollection services, LiveChatOptions options)
    {
        var checks = services.AddHealthChecks().AddCheck<GrainsReady>("orleans", tags: ["ready"]);
        if (!options.Embedded) checks.AddCheck<RedisReady>("redis", tags: ["ready"]).AddCheck<MemberOfCluster>("membership", tags: ["ready"]);
        return services;
    }

    public static IEndpointRouteBuilder MapLiveChatHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") });
        return app;
    }

    private sealed class GrainsReady(IGrainFactory grains) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await grains.GetGrain<IPresenceShardGrain>("__health/0").Changes(Guid.Empty, 0).WaitAsync(TimeSpan.FromSeconds(3), cancellationToken);
                return HealthCheckResult.Healthy();
            }
            catch (Exception e) { return HealthCheckResult.Unhealthy("grains do not answer", e); }
        }
    }

    /// <summary>Unready while joining, once declared dead by the others, and while shutting down: the cluster would not route to it.</summary>
    private sealed class MemberOfCluster(IClusterMembershipService membership, ILocalSiloDetails silo) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var status = membership.CurrentSnapshot.GetSiloStatus(silo.SiloAddress);
            return Task.FromResult(status == SiloStatus.Active
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy($"this node is {status} in the cluster"));
        }
    }

    private sealed class RedisReady(IConnectionMultiplexer redis) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            if (!redis.IsConnected) return HealthCheckResult.Unhealthy("redis is not connected");
            try
            {
                await redis.GetDatabase().PingAsync().WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
                return HealthCheckResult.Healthy();
            }
            catch (Exception e) { return HealthCheckResult.Unhealthy("redis does not answer", e); }
        }
    }
}
