using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;

namespace LiveChat.LoadTests.Transport;

/// <summary>
/// Spreads client connections over several loopback source addresses (127.0.0.x), so one target port
/// isn't limited to one address's ~28k ephemeral ports. One SocketsHttpHandler per source address.
/// </summary>
internal sealed class LoopbackConnector : IDisposable
{
    private readonly IPAddress[] sources;
    private readonly HttpMessageInvoker[] invokers;
    private int next = -1;

    public LoopbackConnector(Uri target, int sourceAddresses, int workerIndex)
    {
        if (!IPAddress.TryParse(target.Host, out var host) && target.Host != "localhost")
            throw new ArgumentException($"--url must be a loopback address; got {target.Host}");
        if (host is not null && !IPAddress.IsLoopback(host))
            throw new ArgumentException($"--url must be a loopback address; got {target.Host}");

        // IPv6 loopback has a single address: bind nothing special then.
        var v4 = host is null || host.AddressFamily == AddressFamily.InterNetwork;
        sources = v4
            ? Enumerable.Range(0, Math.Max(1, sourceAddresses))
                .Select(i => new IPAddress(new byte[] { 127, 0, (byte)(1 + workerIndex % 200), (byte)(10 + i) })).ToArray()
            : [IPAddress.IPv6Loopback];
        invokers = sources.Select(s => new HttpMessageInvoker(CreateHandler(s), disposeHandler: true)).ToArray();
    }

    public IReadOnlyList<IPAddress> Sources => sources;

    /// <summary>The next source address's handler; a fresh one per call, for an HttpClient that will dispose it.</summary>
    public HttpMessageHandler CreateHandler() => CreateHandler(NextSource());

    /// <summary>Opens a WebSocket from the next source address (SignalR's WebSocketFactory hook).</summary>
    public async ValueTask<WebSocket> ConnectWebSocketAsync(Uri uri, IDictionary<string, string>? headers, Action<ClientWebSocket>? onCreated, CancellationToken ct)
    {
        var ws = new ClientWebSocket();
        ws.Options.KeepAliveInterval = TimeSpan.Zero; // SignalR pings on its own
        if (headers is not null)
        {
            foreach (var (k, v) in headers) ws.Options.SetRequestHeader(k, v);
        }
        onCreated?.Invoke(ws);
        var index = (int)((uint)Interlocked.Increment(ref next) % (uint)invokers.Length);
        try
        {
            await ws.ConnectAsync(uri, invokers[index], ct);
        }
        catch
        {
            ws.Dispose();
            throw;
        }
        return ws;
    }

    private IPAddress NextSource() => sources[(int)((uint)Interlocked.Increment(ref next) % (uint)sources.Length)];

    private static SocketsHttpHandler CreateHandler(IPAddress source) => new()
    {
        UseProxy = false,
        UseCookies = false,
        AllowAutoRedirect = false,
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        ConnectTimeout = TimeSpan.FromSeconds(30),
        ConnectCallback = async (context, ct) =>
        {
            var socket = new Socket(source.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                if (OperatingSystem.IsLinux() && source.AddressFamily == AddressFamily.InterNetwork)
                {
                    // IP_BIND_ADDRESS_NO_PORT: pick the port at connect(), so ports are shared per 4-tuple.
                    socket.SetRawSocketOption(0 /* SOL_IP */, 24, BitConverter.GetBytes(1));
                }
                // Port 0: the kernel picks an ephemeral port for this source address.
                socket.Bind(new IPEndPoint(source, 0));
                await socket.ConnectAsync(context.DnsEndPoint, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };

    public void Dispose()
    {
        foreach (var invoker in invokers) invoker.Dispose();
    }
}
