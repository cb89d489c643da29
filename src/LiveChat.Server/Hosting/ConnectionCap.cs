using System.Collections.Concurrent;
using System.Net;
using LiveChat.Server.Configuration;
using Microsoft.Extensions.Options;

namespace LiveChat.Server.Hosting;

/// <summary>
/// Counts the hub connections each client IP holds, whatever the transport (WebSockets, SSE, long polling),
/// so one machine cannot exhaust a node's connections (a node tops out just under 20,000).
/// </summary>
public sealed class ConnectionCap(IOptions<LiveChatOptions> options)
{
    private readonly ConcurrentDictionary<IPAddress, int> open = new();

    /// <summary>Takes a place for this address; false when it already holds its share.</summary>
    public bool TryOpen(IPAddress? ip)
    {
        var limits = options.Value.Limits;
        if (ip is null || limits.ExemptLoopback && IPAddress.IsLoopback(ip)) return true;
        var count = open.AddOrUpdate(ip, 1, (_, n) => n + 1);
        if (count <= limits.ConnectionsPerIp) return true;
        Close(ip);
        return false;
    }

    public void Close(IPAddress? ip)
    {
        if (ip is null || !open.ContainsKey(ip)) return;
        if (open.AddOrUpdate(ip, 0, (_, n) => n - 1) <= 0) open.TryRemove(new KeyValuePair<IPAddress, int>(ip, 0));
    }
}
