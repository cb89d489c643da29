using System.Threading.RateLimiting;

namespace LiveChat.Server.Auth;

/// <summary>ASP.NET Core's rate limiter, partitioned by client IP, for the REST doors.</summary>
public static class RateLimits
{
    public const string Login = "login";
    public const string Api = "api";

    public static IServiceCollection AddLiveChatRateLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(Login, http => RateLimitPartition.GetFixedWindowLimiter(Ip(http),
                _ => new FixedWindowRateLimiterOptions { PermitLimit = 60, Window = TimeSpan.FromMinutes(1) }));
            o.AddPolicy(Api, http => RateLimitPartition.GetTokenBucketLimiter(Ip(http),
                _ => new TokenBucketRateLimiterOptions { TokenLimit = 100, TokensPerPeriod = 50, ReplenishmentPeriod = TimeSpan.FromSeconds(1), AutoReplenishment = true }));
        });
        return services;
    }

    private static string Ip(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
