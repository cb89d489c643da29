using System.Net;
using System.Threading.RateLimiting;

namespace LiveChat.Server.Auth;

/// <summary>
/// The REST doors' rate limits, per client address (after forwarded headers): sign-in 60 a minute, the API a bucket of
/// 100 calls refilled by 50 a second. An endpoint opts in with <see cref="RateLimitsExtensions.LimitPerAddress{TBuilder}"/>; a refused call is an
/// empty 429 (a problem under <c>/api</c>, see <c>ApiProblems</c>) with <c>Retry-After</c> when the limiter knows it.
/// </summary>
/// <remarks>
/// Each policy is an <see cref="AddressLimiter"/> (System.Threading.RateLimiting's limiters, one per address), not
/// ASP.NET Core's rate-limiting middleware, whose partitioned limiter runs a 100 ms heartbeat from start-up to shutdown
/// (issue 16). Its timer ticks at a quarter of the policy's period or less, and only while an address is limited.
/// </remarks>
public sealed class RateLimits : IDisposable
{
    public const string Login = "login";
    public const string Api = "api";

    private readonly Dictionary<string, AddressLimiter> policies;

    public RateLimits(TimeProvider clock) => policies = new()
    {
        [Login] = new(clock, TimeSpan.FromSeconds(10), () => new FixedWindowRateLimiter(new FixedWindowRateLimiterOptions
        {
            PermitLimit = 60, Window = TimeSpan.FromMinutes(1), QueueLimit = 0, AutoReplenishment = false,
        })),
        [Api] = new(clock, TimeSpan.FromMilliseconds(250), () => new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = 100, TokensPerPeriod = 50, ReplenishmentPeriod = TimeSpan.FromSeconds(1), QueueLimit = 0, AutoReplenishment = false,
        })),
    };

    /// <summary>How many addresses hold a limiter of this policy that is not full again yet (for tests).</summary>
    internal int Tracked(string policy) => policies[policy].Count;

    /// <summary>Whether the policy's replenishing timer runs (it stops once every address is full again).</summary>
    internal bool Ticking(string policy) => policies[policy].Ticking;

    /// <summary>A permit for one call from this address, or a refused lease.</summary>
    public RateLimitLease Acquire(string policy, IPAddress? address) => policies[policy].Acquire(address ?? IPAddress.None);

    public void Dispose()
    {
        foreach (var policy in policies.Values) policy.Dispose();
    }

    /// <summary>The endpoint metadata <see cref="RateLimitsExtensions.LimitPerAddress{TBuilder}"/> adds.</summary>
    public sealed record Policy(string Name);
}

public static class RateLimitsExtensions
{
    public static IServiceCollection AddLiveChatRateLimits(this IServiceCollection services) => services.AddSingleton<RateLimits>();

    /// <summary>Limits the endpoint (or group) by the client's address under the named policy (<see cref="RateLimits.Login"/>, <see cref="RateLimits.Api"/>).</summary>
    public static TBuilder LimitPerAddress<TBuilder>(this TBuilder builder, string policy) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RateLimits.Policy(policy));

    /// <summary>Refuses a call to a limited endpoint with 429 once its address has used its share. After routing and authorization.</summary>
    public static IApplicationBuilder UseLiveChatRateLimits(this IApplicationBuilder app)
    {
        var limits = app.ApplicationServices.GetRequiredService<RateLimits>();
        return app.Use((http, next) =>
        {
            if (http.GetEndpoint()?.Metadata.GetMetadata<RateLimits.Policy>() is not { } policy) return next(http);
            using var lease = limits.Acquire(policy.Name, http.Connection.RemoteIpAddress);
            if (lease.IsAcquired) return next(http);
            http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            if (lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Task.CompletedTask;
        });
    }
}
