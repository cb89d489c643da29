using LiveChat.Grains;
using LiveChat.Server.Configuration;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace LiveChat.Server.Hosting;

/// <summary>/health/live: the process answers. /health/ready: grains answer (and Redis, in cluster mode).</summary>
public static class Health
{
    public static IServiceCollection AddLiveChatHealth(this IServiceCollection services, LiveChatOptions options)
    {
        var checks = services.AddHealthChecks().AddCheck<GrainsReady>("orleans", tags: ["ready"]);
        if (!options.Embedded) checks.AddCheck<RedisReady>("redis", tags: ["ready"]);
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
                await grains.GetGrain<IPresenceGrain>("__health").Snapshot().WaitAsync(TimeSpan.FromSeconds(3), cancellationToken);
                return HealthCheckResult.Healthy();
            }
            catch (Exception e) { return HealthCheckResult.Unhealthy("grains do not answer", e); }
        }
    }

    private sealed class RedisReady(IConnectionMultiplexer redis) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await redis.GetDatabase().PingAsync().WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
                return HealthCheckResult.Healthy();
            }
            catch (Exception e) { return HealthCheckResult.Unhealthy("redis does not answer", e); }
        }
    }
}
