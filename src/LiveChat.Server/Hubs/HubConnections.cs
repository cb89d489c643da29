using System.Collections.Concurrent;
using System.Net;

namespace LiveChat.Server.Hubs;

/// <summary>
/// What the server keeps about each open hub connection, one object per connection in one table, from the guard's
/// connect to its disconnect. Not SignalR's <c>Context.Items</c>: that is a ConcurrentDictionary made for each socket
/// on first use (~600 B per open widget, seen in a GC event trace, issue 16).
/// </summary>
internal sealed class HubConnections
{
    private readonly ConcurrentDictionary<string, OpenConnection> open = new(StringComparer.Ordinal);

    public void Add(string connectionId, OpenConnection connection) => open[connectionId] = connection;

    /// <summary>The connection's record, or null once it has closed (or for a connection the guard never let in).</summary>
    public OpenConnection? Find(string connectionId) => open.GetValueOrDefault(connectionId);

    public bool Remove(string connectionId, out OpenConnection? connection) => open.TryRemove(connectionId, out connection);
}

/// <summary>One connection: its address's slot under the connection cap, its call bucket and, on the widget's hub, whose it is.</summary>
internal sealed class OpenConnection(IPAddress? address, HubGuardFilter.CallBucket calls)
{
    /// <summary>The address holding a slot under the connection cap until the connection closes.</summary>
    public IPAddress? Address { get; } = address;
    public HubGuardFilter.CallBucket Calls { get; } = calls;
    /// <summary>The widget's site (visitor hub), from the connect URL.</summary>
    public string? Site { get; set; }
    /// <summary>The visitor's grain key (visitor hub) after <c>Hello</c>.</summary>
    public string? VisitorKey { get; set; }
}
