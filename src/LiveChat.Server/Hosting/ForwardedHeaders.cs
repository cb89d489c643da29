using System.Net;
using LiveChat.Server.Configuration;
using Microsoft.AspNetCore.HttpOverrides;
using IPNetwork = System.Net.IPNetwork;
using Microsoft.Extensions.Options;
using OpenTelemetry.Instrumentation.AspNetCore;

namespace LiveChat.Server.Hosting;

/// <summary>
/// ASP.NET Core's forwarded-headers middleware, trusting only the proxies in <c>LiveChat:ForwardedHeaders</c> (and
/// loopback). It runs first, so the per-IP connection cap, rate limits, logs and traces see the visitor's address
/// rather than the load balancer's, and cookies, HSTS and redirects see the scheme the browser used.
/// </summary>
public static class ForwardedHeaders
{
    private const string Key = "LiveChat:ForwardedHeaders";

    public static IServiceCollection AddLiveChatForwardedHeaders(this IServiceCollection services)
    {
        services.AddOptions<ForwardedHeadersOptions>()
            .Configure<IOptions<LiveChatOptions>>((o, live) => Apply(o, live.Value.ForwardedHeaders));
        // The server span starts before any middleware runs, with the proxy as its peer; record the address the middleware settled on.
        services.Configure<AspNetCoreTraceInstrumentationOptions>(o =>
        {
            var earlier = o.EnrichWithHttpResponse;
            o.EnrichWithHttpResponse = (activity, response) =>
            {
                earlier?.Invoke(activity, response);
                if (response.HttpContext.Connection.RemoteIpAddress is { } client) activity.SetTag("client.address", client.ToString());
            };
        });
        return services;
    }

    public static IApplicationBuilder UseLiveChatForwardedHeaders(this IApplicationBuilder app) => app.UseForwardedHeaders();

    internal static void Apply(ForwardedHeadersOptions o, ForwardedHeadersTrustOptions trust)
    {
        o.ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto;
        o.ForwardLimit = trust.ForwardLimit;
        o.KnownProxies.Clear();
        o.KnownIPNetworks.Clear();
        if (trust.TrustLoopback)
        {
            o.KnownProxies.Add(IPAddress.IPv6Loopback);
            AddNetwork(o, new IPNetwork(IPAddress.Parse("127.0.0.0"), 8));
        }
        foreach (var text in trust.KnownProxies)
            if (IPAddress.TryParse(text, out var proxy))
            {
                o.KnownProxies.Add(proxy);
                // A node listening on [::] sees an IPv4 proxy as ::ffff:a.b.c.d.
                if (proxy.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork) o.KnownProxies.Add(proxy.MapToIPv6());
            }
        foreach (var text in trust.KnownNetworks)
            if (IsNetwork(text)) AddNetwork(o, IPNetwork.Parse(text));
        // With both lists empty the middleware would believe every peer: trusting nobody means reading no headers.
        if (o.KnownProxies.Count == 0 && o.KnownIPNetworks.Count == 0) o.ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.None;
    }

    private static void AddNetwork(ForwardedHeadersOptions o, IPNetwork network)
    {
        o.KnownIPNetworks.Add(network);
        if (network.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
            o.KnownIPNetworks.Add(new IPNetwork(network.BaseAddress.MapToIPv6(), network.PrefixLength + 96));
    }

    /// <summary>A CIDR network whose host bits are zero: "10.0.0.1/8" is refused rather than silently trusting 10.0.0.0/8.</summary>
    private static bool IsNetwork(string text) =>
        IPNetwork.TryParse(text, out var network) && IPAddress.TryParse(text.Split('/')[0], out var address) && network.BaseAddress.Equals(address);

    /// <summary>Errors naming the bad key, for the start-up validation.</summary>
    internal static IEnumerable<string> Validate(ForwardedHeadersTrustOptions trust)
    {
        for (var i = 0; i < trust.KnownProxies.Count; i++)
            if (!IPAddress.TryParse(trust.KnownProxies[i], out _))
                yield return $"{Key}:KnownProxies:{i}: '{trust.KnownProxies[i]}' is not an IP address (e.g. 10.0.0.5)";
        for (var i = 0; i < trust.KnownNetworks.Count; i++)
            if (!IsNetwork(trust.KnownNetworks[i]))
                yield return $"{Key}:KnownNetworks:{i}: '{trust.KnownNetworks[i]}' is not a network in CIDR notation (address/prefix with the host bits zero, e.g. 10.0.0.0/8)";
        if (trust.ForwardLimit is < 1 or > 20)
            yield return $"{Key}:ForwardLimit must be 1-20 (one per trusted proxy in front of the node)";
    }
}
