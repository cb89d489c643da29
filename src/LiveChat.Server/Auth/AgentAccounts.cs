using System.Collections.Concurrent;
using System.Security.Claims;
using LiveChat.Server.Configuration;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace LiveChat.Server.Auth;

/// <summary>
/// The configured agents, their hashed passwords (ASP.NET Core Identity's hasher) and lock-out after repeated
/// failures. An unknown id costs the same hash check as a wrong password, so the answer leaks nothing.
/// </summary>
public sealed class AgentAccounts(IOptions<LiveChatOptions> options, TimeProvider clock)
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan LockOut = TimeSpan.FromMinutes(5);
    public const string SiteClaim = "livechat:site";

    private static readonly PasswordHasher<AgentOptions> Hasher = new();
    private static readonly string DummyHash = Hash(Guid.NewGuid().ToString());
    private readonly ConcurrentDictionary<string, (int Failures, DateTimeOffset? LockedUntil)> attempts = new(StringComparer.Ordinal);

    public static string Hash(string password) => Hasher.HashPassword(new AgentOptions(), password);

    public static bool IsDemoPassword(AgentOptions agent) =>
        agent.PasswordHash.Length > 0 && Hasher.VerifyHashedPassword(agent, agent.PasswordHash, DemoSeed.Password) != PasswordVerificationResult.Failed;

    public AgentOptions? Find(string agentId) => options.Value.Agents.FirstOrDefault(a => a.Id == agentId);

    public SignInResult SignIn(string? agentId, string? password)
    {
        var id = agentId ?? "";
        var now = clock.GetUtcNow();
        if (attempts.TryGetValue(id, out var a) && a.LockedUntil > now) return SignInResult.Locked(a.LockedUntil.Value - now);
        var agent = Find(id);
        var verified = Hasher.VerifyHashedPassword(agent ?? new AgentOptions(), agent?.PasswordHash ?? DummyHash, password ?? "");
        if (agent is not null && verified != PasswordVerificationResult.Failed)
        {
            attempts.TryRemove(id, out _);
            return SignInResult.Ok(Principal(agent));
        }
        var failures = attempts.AddOrUpdate(id, (1, null), (_, old) => (old.Failures + 1, null));
        if (failures.Failures >= MaxFailures) attempts[id] = (0, now + LockOut);
        return SignInResult.Refused;
    }

    public static ClaimsPrincipal Principal(AgentOptions agent)
    {
        var claims = new List<Claim> { new(ClaimTypes.NameIdentifier, agent.Id), new(ClaimTypes.Name, agent.Name.Length > 0 ? agent.Name : agent.Id) };
        claims.AddRange(agent.Roles.Select(r => new Claim(ClaimTypes.Role, r)));
        claims.AddRange(agent.Sites.Select(s => new Claim(SiteClaim, s)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, "cookie"));
    }
}

public sealed record SignInResult(ClaimsPrincipal? Principal, TimeSpan? RetryAfter)
{
    public static readonly SignInResult Refused = new(null, null);
    public static SignInResult Ok(ClaimsPrincipal p) => new(p, null);
    public static SignInResult Locked(TimeSpan retryAfter) => new(null, retryAfter);
}

/// <summary>Reads an agent's identity back from their cookie's claims.</summary>
public static class AgentClaims
{
    public static string AgentId(this ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "";
    public static string AgentName(this ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.Name) ?? user.AgentId();
    public static IReadOnlyList<string> Sites(this ClaimsPrincipal user) => user.FindAll(AgentAccounts.SiteClaim).Select(c => c.Value).ToList();
    public static bool CanServe(this ClaimsPrincipal user, string siteId) => user.HasClaim(AgentAccounts.SiteClaim, siteId);
    public static bool IsAdmin(this ClaimsPrincipal user) => user.IsInRole("admin");
}
