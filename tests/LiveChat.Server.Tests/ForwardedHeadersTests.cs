using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using LiveChat.Contracts;
using LiveChat.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Trace;

namespace LiveChat.Server.Tests;

/// <summary>
/// Behind a load balancer, through real Kestrel: X-Forwarded-For and X-Forwarded-Proto are believed from a trusted
/// peer (loopback by default, as the test client is) and ignored from any other.
/// </summary>
public sealed class ForwardedHeadersTests
{
    private static readonly Dictionary<string, string?> Capped = new()
    {
        ["LiveChat:Limits:ExemptLoopback"] = "false", // the proxy's own address would be exempt; forwarded ones must not be
    };

    /// <summary>A visitor whose requests say, as a proxy would, that they come from <paramref name="forwardedFor"/>.</summary>
    private static async Task<(HubConnection Connection, Task<Exception?> Closed)> Visitor(TestServer server, string forwardedFor)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl($"{server.Url}/hubs/visitor?site=demo", o => o.Headers["X-Forwarded-For"] = forwardedFor)
            .Build();
        var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.Closed += e => { closed.TrySetResult(e); return Task.CompletedTask; };
        await connection.StartAsync();
        return (connection, closed.Task);
    }

    private static Task<HelloResult> Hello(HubConnection connection) =>
        connection.InvokeAsync<HelloResult>("Hello", new HelloRequest(null, null, new PageInfo("http://127.0.0.1/", "Home", null)));

    /// <summary>The server closes a refused connection with its reason; the visitor's first call fails.</summary>
    private static async Task<string> Refusal(HubConnection connection, Task<Exception?> closed)
    {
        await Assert.ThrowsAnyAsync<Exception>(() => Hello(connection));
        var reason = await closed.WaitAsync(TimeSpan.FromSeconds(10));
        return reason?.Message ?? "(closed without an error)";
    }

    [Fact]
    public async Task DistinctForwardedAddressesAreAllAdmittedWhileOneAddressIsStillCapped()
    {
        var logs = new LogCapture();
        await using var server = await TestServer.Start(Capped, b => b.Logging.AddProvider(logs));
        var open = new ConcurrentBag<HubConnection>();
        try
        {
            // 150 visitors behind one proxy peer: before forwarded headers, the 101st of them was refused.
            await Parallel.ForEachAsync(Enumerable.Range(0, 150), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
            {
                var (connection, _) = await Visitor(server, $"198.51.{100 + i / 200}.{1 + i % 200}");
                open.Add(connection);
                Assert.NotNull((await Hello(connection)).VisitorId);
            });

            // One address still gets its 100 and no more, also while lying in a header the proxy passes on ("a, b": the proxy appended b).
            for (var i = 0; i < 100; i++)
            {
                var (connection, _) = await Visitor(server, $"10.{i}.0.1, 192.0.2.7");
                open.Add(connection);
            }
            var (refused, closed) = await Visitor(server, "10.200.0.1, 192.0.2.7");
            open.Add(refused);
            Assert.Contains("too many connections from your address", await Refusal(refused, closed));
            Assert.Contains(logs.Lines, l => l.Contains("Refused a hub connection from 192.0.2.7"));
        }
        finally
        {
            foreach (var c in open) await c.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("10.9.9.9")]
    [InlineData(null)] // trusting nobody: ASP.NET Core alone would then believe every peer
    public async Task ForwardedHeadersFromAnUntrustedPeerAreIgnored(string? knownProxy)
    {
        // The test client is on loopback: trust a proxy elsewhere (or none) and not loopback, so this peer is a stranger.
        var settings = new Dictionary<string, string?>(Capped)
        {
            ["LiveChat:Limits:ConnectionsPerIp"] = "3",
            ["LiveChat:ForwardedHeaders:TrustLoopback"] = "false",
        };
        if (knownProxy is not null) settings["LiveChat:ForwardedHeaders:KnownProxies:0"] = knownProxy;
        await using var server = await TestServer.Start(settings);
        var open = new List<HubConnection>();
        try
        {
            // Every visitor claims another address; all of them are counted as the peer they really are.
            for (var i = 0; i < 3; i++)
            {
                var (connection, _) = await Visitor(server, $"203.0.113.{i + 1}");
                open.Add(connection);
                await Hello(connection);
            }
            var (fourth, closed) = await Visitor(server, "203.0.113.4");
            open.Add(fourth);
            Assert.Contains("too many connections from your address", await Refusal(fourth, closed));
        }
        finally
        {
            foreach (var c in open) await c.DisposeAsync();
        }

        using var http = server.Http();
        var login = await SignIn(http, "https");
        Assert.DoesNotContain(AgentCookie(login), c => c.Contains("secure", StringComparison.OrdinalIgnoreCase));
        Assert.False(login.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task ForwardedHttpsMakesCookiesSecureAndTurnsOnHsts()
    {
        await using var server = await TestServer.Start();
        using var http = server.Http();

        var plain = await SignIn(http, proto: null);
        Assert.DoesNotContain(AgentCookie(plain), c => c.Contains("secure", StringComparison.OrdinalIgnoreCase));

        var tls = await SignIn(http, "https");
        Assert.Contains(AgentCookie(tls), c => c.Contains("; secure", StringComparison.OrdinalIgnoreCase));
        Assert.True(tls.Headers.Contains("Strict-Transport-Security"), "HSTS is sent for a request the browser made over HTTPS");

        // The sign-in form's antiforgery cookie follows the scheme too.
        using var form = new HttpRequestMessage(HttpMethod.Get, "/agent/login");
        form.Headers.Host = "chat.example";
        form.Headers.Add("X-Forwarded-Proto", "https");
        var page = await http.SendAsync(form);
        page.EnsureSuccessStatusCode();
        Assert.Contains(page.Headers.GetValues("Set-Cookie"), c => c.StartsWith("livechat.af", StringComparison.Ordinal) && c.Contains("; secure", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task TheSignInRateLimitCountsEachForwardedAddressOnItsOwn()
    {
        await using var server = await TestServer.Start();
        using var http = server.Http();
        var attempt = 0;
        async Task<HttpStatusCode> Attempt(string from)
        {
            // A new agent id each time, so the per-account lock-out (also a 429) never answers instead of the rate limit.
            var agentId = $"nobody-{attempt++}";
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login") { Content = JsonContent.Create(new { agentId, password = "wrong" }) };
            request.Headers.Add("X-Forwarded-For", from);
            return (await http.SendAsync(request)).StatusCode;
        }

        for (var i = 0; i < 60; i++) Assert.NotEqual(HttpStatusCode.TooManyRequests, await Attempt("198.51.100.10")); // 60 a minute per address
        Assert.Equal(HttpStatusCode.TooManyRequests, await Attempt("198.51.100.10"));
        Assert.NotEqual(HttpStatusCode.TooManyRequests, await Attempt("198.51.100.11")); // another visitor behind the same proxy
    }

    [Fact]
    public async Task TracesCarryTheForwardedClientAddress()
    {
        var spans = new List<Activity>();
        await using var server = await TestServer.Start(new Dictionary<string, string?> { ["LiveChat:Tracing"] = "true" }, configure: b => b.Services.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(spans)));
        using var http = server.Http();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/agent/login");
        request.Headers.Add("X-Forwarded-For", "198.51.100.77");
        (await http.SendAsync(request)).EnsureSuccessStatusCode();

        Activity? span = null;
        for (var i = 0; i < 50 && span is null; i++)
        {
            lock (spans) span = spans.FirstOrDefault(s => s.Kind == ActivityKind.Server && (s.GetTagItem("url.path") as string) == "/agent/login");
            if (span is null) await Task.Delay(100);
        }
        Assert.NotNull(span);
        Assert.Equal("198.51.100.77", span.GetTagItem("client.address"));
    }

    [Theory]
    [InlineData("LiveChat:ForwardedHeaders:KnownProxies:0", "10.0.0.300")]
    [InlineData("LiveChat:ForwardedHeaders:KnownNetworks:0", "10.0.0.0")]
    [InlineData("LiveChat:ForwardedHeaders:KnownNetworks:0", "10.0.0.1/8")]
    [InlineData("LiveChat:ForwardedHeaders:ForwardLimit", "0")]
    public async Task ABadProxySettingStopsStartUpNamingTheKey(string key, string value)
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var server = await TestServer.Start(new Dictionary<string, string?> { [key] = value });
        });
        Assert.Contains(key, failure.Message);
    }

    private static async Task<HttpResponseMessage> SignIn(HttpClient http, string? proto)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login") { Content = JsonContent.Create(new { agentId = "demo", password = "demo" }) };
        request.Headers.Host = "chat.example"; // HSTS is never sent to localhost
        if (proto is not null) request.Headers.Add("X-Forwarded-Proto", proto);
        var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response;
    }

    private static IEnumerable<string> AgentCookie(HttpResponseMessage response)
    {
        var cookies = response.Headers.GetValues("Set-Cookie").Where(c => c.StartsWith("livechat.agent", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(cookies);
        return cookies;
    }

    /// <summary>Every log line the server writes, formatted.</summary>
    private sealed class LogCapture : ILoggerProvider, ILogger
    {
        private readonly ConcurrentQueue<string> lines = new();
        public IReadOnlyCollection<string> Lines => lines;
        public ILogger CreateLogger(string categoryName) => this;
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue(formatter(state, exception));
        public void Dispose() { }
    }
}
