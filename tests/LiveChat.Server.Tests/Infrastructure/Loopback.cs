using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveChat.Server.Tests.Infrastructure;

/// <summary>
/// Clients that leave from a chosen loopback address (127.0.0.x), so per-address caps can be tested on one
/// machine: each address is a different "client" to the server, as different homes or offices would be.
/// </summary>
public static class Loopback
{
    private static int next = 10;

    /// <summary>A loopback address no other test in this process uses.</summary>
    public static IPAddress FreshAddress()
    {
        var n = Interlocked.Increment(ref next);
        return new IPAddress([127, 0, (byte)(n / 250 + 1), (byte)(n % 250 + 2)]);
    }

    public static SocketsHttpHandler Handler(IPAddress source, CookieContainer? cookies = null) => new()
    {
        UseProxy = false,
        UseCookies = cookies is not null,
        CookieContainer = cookies ?? new CookieContainer(),
        AllowAutoRedirect = false,
        ConnectCallback = async (context, ct) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
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

    public static HttpClient Http(string baseUrl, IPAddress source, CookieContainer? cookies = null) =>
        new(Handler(source, cookies)) { BaseAddress = new Uri(baseUrl) };

    /// <summary>A hub connection over a WebSocket from <paramref name="source"/>, with an optional browser Origin and cookies.</summary>
    public static HubConnection Hub(string url, IPAddress source, string? origin = null, CookieContainer? cookies = null) =>
        new HubConnectionBuilder().WithUrl(url, HttpTransportType.WebSockets, o =>
        {
            o.SkipNegotiation = true;
            o.WebSocketFactory = async (context, ct) =>
            {
                var ws = new ClientWebSocket();
                if (origin is not null) ws.Options.SetRequestHeader("Origin", origin);
                try { await ws.ConnectAsync(context.Uri, new HttpMessageInvoker(Handler(source, cookies)), ct); }
                catch { ws.Dispose(); throw; }
                return ws;
            };
        }).Build();

    /// <summary>How long a bystander waits for StartChat: reported by flood tests, never asserted on.</summary>
    public static async Task<TimeSpan> TimeStartChat(TestVisitor bystander, string text)
    {
        var watch = Stopwatch.StartNew();
        await bystander.StartChat(text);
        return watch.Elapsed;
    }

    /// <summary>Writes a measurement to the test output and to <c>artifacts/bystander.txt</c> (ignored by git) for the report.</summary>
    public static void Report(string line)
    {
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        var dir = Path.Combine(RepoRoot(), "artifacts");
        Directory.CreateDirectory(dir);
        lock (typeof(Loopback)) File.AppendAllText(Path.Combine(dir, "bystander.txt"), $"{DateTime.UtcNow:O} {line}{Environment.NewLine}");
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "LiveChat.sln"))) dir = dir.Parent;
        return dir?.FullName ?? AppContext.BaseDirectory;
    }
}
