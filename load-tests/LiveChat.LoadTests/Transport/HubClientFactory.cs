using System.Net.WebSockets;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Logging;

namespace LiveChat.LoadTests.Transport;

/// <summary>Builds SignalR connections the way the harness wants them: WebSockets only, no negotiate, spread source addresses.</summary>
internal sealed class HubClientFactory(Uri baseUrl, LoopbackConnector connector, IReadOnlyList<Uri>? nodes = null)
{
    public Uri BaseUrl { get; } = baseUrl;
    /// <summary>Every node of the cluster (just <see cref="BaseUrl"/> for one server); node 0 is <see cref="BaseUrl"/>.</summary>
    public IReadOnlyList<Uri> Nodes { get; } = nodes is { Count: > 0 } ? nodes : [baseUrl];

    public HubClient Create(string pathAndQuery, string? cookie = null, int node = 0)
    {
        var client = new HubClient { Node = node };
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(Nodes[node % Nodes.Count], pathAndQuery), HttpTransportType.WebSockets, options =>
            {
                options.SkipNegotiation = true;
                options.HttpMessageHandlerFactory = _ => connector.CreateHandler();
                if (cookie is not null) options.Headers["Cookie"] = cookie;
                // Our own WebSocket, so it leaves from the chosen 127.0.0.x and the storm can abort it like a lost network.
                options.WebSocketFactory = (context, ct) =>
                    connector.ConnectWebSocketAsync(context.Uri, context.Options.Headers, ws => client.Socket = ws, ct);
            })
            .ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Critical))
            .Build();
        // Generous: 2 cores are shared by server and clients, and a slow ping isn't the failure we look for here.
        connection.ServerTimeout = TimeSpan.FromSeconds(60);
        connection.KeepAliveInterval = TimeSpan.FromSeconds(15);
        connection.HandshakeTimeout = TimeSpan.FromSeconds(30);
        client.Connection = connection;
        return client;
    }
}

/// <summary>A hub connection plus its raw WebSocket, which a simulated network loss aborts.</summary>
internal sealed class HubClient : IAsyncDisposable
{
    public HubConnection Connection { get; set; } = null!;
    public ClientWebSocket? Socket { get; set; }
    /// <summary>Which node (index into <see cref="HubClientFactory.Nodes"/>) it is connected to.</summary>
    public int Node { get; init; }
    /// <summary>Set when we close it on purpose, so the Closed handler doesn't count a drop.</summary>
    public volatile bool Intentional;

    /// <summary>Cuts the connection without a close handshake, as a lost network would.</summary>
    public void Abort() => Socket?.Abort();

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await Connection.StopAsync(cts.Token);
        }
        catch (Exception) { /* already gone */ }
        await Connection.DisposeAsync();
    }
}
