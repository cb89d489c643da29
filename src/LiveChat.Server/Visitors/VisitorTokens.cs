using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;

namespace LiveChat.Server.Visitors;

/// <summary>
/// Visitor tokens binding a visitor id to one site for a year: <c>v2.{visitorId}.{expires, Unix seconds}.{MAC}</c>, the
/// MAC an HMAC-SHA256 (first 16 bytes, base64url) over the site, the id and the expiry with the deployment's
/// <see cref="VisitorTokenKey"/>. Signed, not encrypted: the id and the site are no secret to the widget that holds them.
/// A forged, expired or other-site token simply fails to open, and its holder gets a fresh identity, never someone else's.
/// Tokens from before (Data Protection, encrypted) still open and are replaced by a signed one on that Hello: Data
/// Protection derives a key and encrypts for every token, about 4 % of a node's CPU for a Hello (issue 16, perf).
/// </summary>
public sealed class VisitorTokens(IDataProtectionProvider provider, VisitorTokenKey key)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(365);
    private const string Version = "v2.";
    private const int MacBytes = 16;
    private readonly ITimeLimitedDataProtector earlier = provider.CreateProtector("LiveChat.VisitorToken.v1").ToTimeLimitedDataProtector();

    /// <summary>Await before the first <see cref="Open(string, string?, string?, out DateTimeOffset)"/> or <see cref="Issue"/>: the key may still be in Redis.</summary>
    public ValueTask ReadyAsync() => key.LoadAsync();

    public string Issue(string siteId, string visitorId)
    {
        var expires = DateTimeOffset.UtcNow.Add(Lifetime).ToUnixTimeSeconds();
        return $"{Version}{visitorId}.{expires.ToString(CultureInfo.InvariantCulture)}.{Mac(siteId, visitorId, expires)}";
    }

    public string? Open(string siteId, string? visitorId, string? token) => Open(siteId, visitorId, token, out _);

    /// <summary>
    /// The token to hand back after a Hello: the one presented while it opened and has more than half its lifetime left
    /// (a page load costs no new signature), else a new one.
    /// </summary>
    public string Renew(string siteId, string visitorId, string? presented, DateTimeOffset presentedExpires) =>
        presented is not null && presented.StartsWith(Version, StringComparison.Ordinal) && presentedExpires - DateTimeOffset.UtcNow > Lifetime / 2
            ? presented
            : Issue(siteId, visitorId);

    public string? Open(string siteId, string? visitorId, string? token, out DateTimeOffset expires)
    {
        expires = default;
        if (string.IsNullOrEmpty(token) || token.Length > 1000) return null;
        if (!token.StartsWith(Version, StringComparison.Ordinal)) return OpenEarlier(siteId, visitorId, token, out expires);

        var body = token.AsSpan(Version.Length);
        var macAt = body.LastIndexOf('.');
        if (macAt <= 0) return null;
        var expiresAt = body[..macAt].LastIndexOf('.');
        if (expiresAt <= 0 || !long.TryParse(body[(expiresAt + 1)..macAt], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)) return null;
        var id = body[..expiresAt].ToString();
        if (visitorId is not null && visitorId != id) return null;
        if (seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds()) return null;
        var at = DateTimeOffset.FromUnixTimeSeconds(seconds);
        if (at <= DateTimeOffset.UtcNow) return null;
        Span<byte> presented = stackalloc byte[MacBytes + 3];
        if (Base64Url.DecodeFromChars(body[(macAt + 1)..], presented, out _, out var written) != System.Buffers.OperationStatus.Done || written != MacBytes) return null;
        Span<byte> expected = stackalloc byte[32];
        Sign(siteId, id, seconds, expected);
        if (!CryptographicOperations.FixedTimeEquals(presented[..MacBytes], expected[..MacBytes])) return null;
        expires = at;
        return id;
    }

    private string Mac(string siteId, string visitorId, long expires)
    {
        Span<byte> mac = stackalloc byte[32];
        Sign(siteId, visitorId, expires, mac);
        return Base64Url.EncodeToString(mac[..MacBytes]);
    }

    /// <summary>HMAC-SHA256 over <c>site \n id \n expires</c>; ids and sites are short, so the text fits on the stack.</summary>
    private void Sign(string siteId, string visitorId, long expires, Span<byte> mac)
    {
        var text = $"{siteId}\n{visitorId}\n{expires.ToString(CultureInfo.InvariantCulture)}";
        var length = Encoding.UTF8.GetMaxByteCount(text.Length);
        var data = length <= 512 ? stackalloc byte[length] : new byte[length];
        var used = Encoding.UTF8.GetBytes(text, data);
        HMACSHA256.HashData(key.Secret, data[..used], mac);
    }

    /// <summary>A token issued before signed tokens: Data Protection's, encrypted.</summary>
    private string? OpenEarlier(string siteId, string? visitorId, string token, out DateTimeOffset expires)
    {
        expires = default;
        try
        {
            var parts = earlier.Unprotect(token, out expires).Split('\n');
            if (parts.Length != 2 || parts[0] != siteId) return null;
            return visitorId is null || visitorId == parts[1] ? parts[1] : null;
        }
        catch (CryptographicException) { return null; }
        catch (FormatException) { return null; }
    }
}
