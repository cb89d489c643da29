using Microsoft.AspNetCore.DataProtection;

namespace LiveChat.Server.Visitors;

/// <summary>
/// Signed visitor tokens (Data Protection) binding a visitor id to one site. A forged, expired or other-site
/// token simply fails to open, and its holder gets a fresh identity, never someone else's.
/// </summary>
public sealed class VisitorTokens(IDataProtectionProvider provider)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(365);
    private readonly ITimeLimitedDataProtector protector = provider.CreateProtector("LiveChat.VisitorToken.v1").ToTimeLimitedDataProtector();

    public string Issue(string siteId, string visitorId) => protector.Protect($"{siteId}\n{visitorId}", Lifetime);

    public string? Open(string siteId, string? visitorId, string? token) => Open(siteId, visitorId, token, out _);

    /// <summary>
    /// The token to hand back after a Hello: the one presented while it opened and has more than half its lifetime left
    /// (a page load costs no new encryption), else a new one.
    /// </summary>
    public string Renew(string siteId, string visitorId, string? presented, DateTimeOffset presentedExpires) =>
        presented is not null && presentedExpires - DateTimeOffset.UtcNow > Lifetime / 2 ? presented : Issue(siteId, visitorId);

    public string? Open(string siteId, string? visitorId, string? token, out DateTimeOffset expires)
    {
        expires = default;
        if (string.IsNullOrEmpty(token) || token.Length > 1000) return null;
        try
        {
            var parts = protector.Unprotect(token, out expires).Split('\n');
            if (parts.Length != 2 || parts[0] != siteId) return null;
            return visitorId is null || visitorId == parts[1] ? parts[1] : null;
        }
        catch (System.Security.Cryptography.CryptographicException) { return null; }
        catch (FormatException) { return null; }
    }
}
