using System.Collections.Concurrent;
using System.Net;
using System.Threading.RateLimiting;

namespace LiveChat.Server.Auth;

/// <summary>
/// The REST doors' rate limits, per client address (after forwarded headers): sign-in 60 a minute, the API a bucket of
/// 100 calls refilled by 50 a second. An endpoint opts in with <see cref="RateLimitsExtensions.LimitPerAddress{TBuilder}"/>; a refused call is an
/// empty 429 (a problem under <c>/api</c>, see <c>ApiProblems</c>) with <c>Retry-After</c> when the limiter knows it.
/// </summary>
/// <remarks>
/// The limiters are System.Threading.RateLimiting's. ASP.NET Core's rate-limiting middleware partitions them the same
/// way, but its partitioned limiter runs a 100 ms heartbeat from start-up to shutdown, which cost an idle node about
/// 7 ms of CPU a second, most of it waking the thread pool (issue 16). Here each policy's limiters are replenished by a
/// timer that runs only while some address holds a limiter that is not full.
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

    /// <summary>
    /// One policy's limiters by address, made with manual replenishment. A limiter's own <c>TryReplenish</c> refills it
    /// only once its period has passed since its last refill, so the timer ticks at a fraction of the period (a refill
    /// comes at most one tick late) and forgets an address once its limiter is full again; a new one starts full.
    /// </summary>
    private sealed class AddressLimiter(TimeProvider clock, TimeSpan tick, Func<ReplenishingRateLimiter> create) : IDisposable
    {
        private readonly ConcurrentDictionary<IPAddress, ReplenishingRateLimiter> limiters = new();
        private readonly Lock gate = new();
        private ITimer? timer;

        public int Count => limiters.Count;
        public bool Ticking => Volatile.Read(ref timer) is not null;

        public RateLimitLease Acquire(IPAddress address)
        {
            var lease = limiters.GetOrAdd(address, _ => create()).AttemptAcquire();
            // After the limiter is in the table: a tick that just stopped the timer for an empty table set it null
            // first, so this sees null and starts it again.
            if (Volatile.Read(ref timer) is null) Start();
            return lease;
        }

        private void Start()
        {
            lock (gate) timer ??= clock.CreateTimer(_ => Tick(), null, tick, tick);
        }

        private void Tick()
        {
            foreach (var (address, limiter) in limiters)
            {
                limiter.TryReplenish();
                if (limiter.IdleDuration is not null && limiters.TryRemove(new KeyValuePair<IPAddress, ReplenishingRateLimiter>(address, limiter)))
                    limiter.Dispose();
            }
            if (!limiters.IsEmpty) return;
            lock (gate)
            {
                if (!limiters.IsEmpty) return;
                timer?.Dispose();
                Volatile.Write(ref timer, null);
                // An Acquire that added its limiter after the check above may have read the timer before it was cleared.
                if (!limiters.IsEmpty) timer = clock.CreateTimer(_ => Tick(), null, tick, tick);
            }
        }

        public void Dispose()
        {
            lock (gate) timer?.Dispose();
            foreach (var limiter in limiters.Values) limiter.Dispose();
        }
    }
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
