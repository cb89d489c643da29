using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Http.Connections.Client;

namespace LiveChat.Cluster.Tests.Infrastructure;

/// <summary>
/// Makes a SignalR client connect from a loopback address of its own (any 127.x.y.z works on Linux), so many visitors
/// reach the proxy as many machines would: the negotiate request and the WebSocket both leave from that address.
/// </summary>
public sealed class SourceAddress(IPAddress local)
{
    public IPAddress Local { get; } = local;

    /// <summary>The WebSocket the client opened, if it chose that transport; open while the connection is.</summary>
    public ClientWebSocket? WebSocket { get; private set; }

    /// <summary>Visitor number <paramref name="i"/>'s address: 127.1.0.1, 127.1.0.2, … (not 127.0.0.1, the test's own).</summary>
    public static IPAddress Visitor(int i) => new([127, 1, (byte)(i / 250), (byte)(1 + i % 250)]);

    /// <summary>For <see cref="ClusterVisitor.Connect"/>: the widget's transports (WebSockets, then long polling), from this address.</summary>
    public void Configure(HttpConnectionOptions o) => Configure(o, HttpTransportType.WebSockets | HttpTransportType.LongPolling);

    public void Configure(HttpConnectionOptions o, HttpTransportType transports)
    {
        o.Transports = transports;
        o.HttpMessageHandlerFactory = _ => Handler();
        o.WebSocketFactory = async (context, cancel) =>
        {
            var socket = new ClientWebSocket();
            foreach (var (name, value) in context.Options.Headers) socket.Options.SetRequestHeader(name, value);
            try { await socket.ConnectAsync(context.Uri, new HttpMessageInvoker(Handler()), cancel); }
            catch { socket.Dispose(); throw; }
            WebSocket = socket;
            return socket;
        };
    }

    private SocketsHttpHandler Handler() => new()
    {
        ConnectCallback = async (context, cancel) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(Local, 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancel);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };
}
