using System.Net;
using LiveChat.Server.Configuration;
using Microsoft.Extensions.Options;

namespace LiveChat.Server.Visitors;

/// <summary>
/// Which browser origins may talk to a site's visitor hub. Browsers always send Origin on WebSocket and CORS
/// requests; a request without one is not from a page (a server or load test) and is not a cross-site risk.
/// </summary>
public sealed class OriginPolicy(IOptions<LiveChatOptions> options)
{
    public const string Loopback = "loopback";

    public bool Allows(string siteId, string? origin)
    {
        if (string.IsNullOrEmpty(origin)) return true;
        if (!options.Value.Sites.TryGetValue(siteId, out var site)) return false;
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri)) return false;
        foreach (var allowed in site.AllowedOrigins)
        {
            if (allowed == "*") return true;
            if (allowed == Loopback && IsLoopback(uri.Host)) return true;
            if (string.Equals(allowed.TrimEnd('/'), origin.TrimEnd('/'), StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }

    /// <summary>For CORS, before the site is known: some site allows this origin (the hub then checks the connection's own site).</summary>
    public bool AllowsAny(string origin) => options.Value.Sites.Keys.Any(site => Allows(site, origin));

    private static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip);
}
