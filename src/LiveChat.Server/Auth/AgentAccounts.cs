using System.Collections.Concurrent;
using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using LiveChat.Server.Configuration;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace LiveChat.Server.Auth;

/// <summary>
/// The configured agents (read live, so a configuration reload changes them), their hashed passwords (ASP.NET
/// Core Identity's hasher), each account's security stamp, and sign-in throttling. An unknown id costs the same
/// hash check as a wrong password, so the answer leaks nothing.
/// </summary>
public sealed class AgentAccounts
{
    /// <summary>Failed sign-ins from one address before that address waits (see <see cref="SignInThrottle"/>).</summary>
    public const int MaxFailures = SignInThrottle.FreeFailures;
    public const string SiteClaim = "livechat:site";
    public const string StampClaim = "livechat:stamp";
    public const string SessionClaim = "livechat:sid";

    private static readonly PasswordHasher<AgentOptions> Hasher = new();
    private static readonly string DummyHash = Hash(Guid.NewGuid().ToString());
    private readonly IOptionsMonitor<LiveChatOptions> options;
    private readonly SignInThrottle throttle;
    private volatile Dictionary<string, string>? stamps;

    public AgentAccounts(IOptionsMonitor<LiveChatOptions> options, TimeProvider clock)
    {
        this.options = options;
        throttle = new SignInThrottle(clock);
        options.OnChange(_ =>
        {
            stamps = null;
            Changed?.Invoke();
        });
    }

    /// <summary>Raised after the accounts were reloaded: open sessions are re-checked at once.</summary>
    public event Action? Changed;

    public static string Hash(string password) => Hasher.HashPassword(new AgentOptions(), password);

    public static bool IsDemoPassword(AgentOptions agent) =>
        agent.PasswordHash.Length > 0 && Hasher.VerifyHashedPassword(agent, agent.PasswordHash, DemoSeed.Password) != PasswordVerificationResult.Failed;

    public AgentOptions? Find(string agentId) => options.CurrentValue.Agents.FirstOrDefault(a => a.Id == agentId);

    /// <summary>
    /// The account's security stamp: it changes when the password, the roles or the sites change, and a cookie
    /// carrying an older stamp is refused. Null when the account is gone. Computed once per configuration version.
    /// </summary>
    public string? CurrentStamp(string agentId)
    {
        var all = stamps ??= options.CurrentValue.Agents.GroupBy(a => a.Id).ToDictionary(g => g.Key, g => Stamp(g.First()), StringComparer.Ordinal);
        return all.GetValueOrDefault(agentId);
    }

    /// <summary>Sign-in throttled per (agent id, client address): a stranger guessing passwords slows only themselves.</summary>
    public SignInResult SignIn(string? agentId, string? password, IPAddress? client)
    {
        var id = agentId ?? "";
        if (throttle.Wait(id, client) is { } wait) return SignInResult.Locked(wait);
        var agent = Find(id);
        var verified = Hasher.VerifyHashedPassword(agent ?? new AgentOptions(), agent?.PasswordHash ?? DummyHash, password ?? "");
        if (agent is not null && verified != PasswordVerificationResult.Failed)
        {
            throttle.Succeeded(id, client);
            return SignInResult.Ok(Principal(agent, Stamp(agent)));
        }
        throttle.Failed(id, client);
        return SignInResult.Refused;
    }

    public static ClaimsPrincipal Principal(AgentOptions agent, string stamp)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, agent.Id), new(ClaimTypes.Name, agent.Name.Length > 0 ? agent.Name : agent.Id),
            new(StampClaim, stamp), new(SessionClaim, Convert.ToHexString(RandomNumberGenerator.GetBytes(16))),
        };
        claims.AddRange(agent.Roles.Select(r => new Claim(ClaimTypes.Role, r)));
        claims.AddRange(agent.Sites.Select(s => new Claim(SiteClaim, s)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, "cookie"));
    }

    private static string Stamp(AgentOptions agent)
    {
        var text = string.Join('\n', [agent.Id, agent.PasswordHash, string.Join(',', agent.Roles.Order(StringComparer.Ordinal)),
            string.Join(',', agent.Sites.Order(StringComparer.Ordinal))]);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)), 0, 16);
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
    public static string? SessionId(this ClaimsPrincipal user) => user.FindFirstValue(AgentAccounts.SessionClaim);
    public static IReadOnlyList<string> Sites(this ClaimsPrincipal user) => user.FindAll(AgentAccounts.SiteClaim).Select(c => c.Value).ToList();
    public static bool CanServe(this ClaimsPrincipal user, string siteId) => user.HasClaim(AgentAccounts.SiteClaim, siteId);
    public static bool IsAdmin(this ClaimsPrincipal user) => user.IsInRole("admin");
}
