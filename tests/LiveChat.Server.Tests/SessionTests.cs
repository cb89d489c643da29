using System.Net;
using System.Net.Http.Json;
using LiveChat.Contracts;
using LiveChat.Server.Auth;
using LiveChat.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Configuration;

namespace LiveChat.Server.Tests;

/// <summary>Agent sessions: throttled sign-in per address, cookies re-checked against the account, logout revokes server-side.</summary>
public sealed class SessionTests
{
    private static Dictionary<string, string?> Accounts() => new()
    {
        ["LiveChat:Sites:alpha:AllowedOrigins:0"] = "https://alpha.example",
        ["LiveChat:Sites:beta:AllowedOrigins:0"] = "https://beta.example",
        ["LiveChat:Agents:0:Id"] = "ada",
        ["LiveChat:Agents:0:Name"] = "Ada",
        ["LiveChat:Agents:0:Sites:0"] = "alpha",
        ["LiveChat:Agents:0:Sites:1"] = "beta",
        ["LiveChat:Agents:0:Roles:0"] = "admin",
        ["LiveChat:Agents:0:PasswordHash"] = AgentAccounts.Hash("pw-ada"),
    };

    private static async Task<(TestServer Server, ReloadableSettings Settings)> Start()
    {
        var settings = new ReloadableSettings(Accounts());
        var server = await TestServer.Start(configure: b => ((IConfigurationBuilder)b.Configuration).Add(settings));
        return (server, settings);
    }

    private static async Task<HttpStatusCode> SignIn(TestServer server, IPAddress from, string password, CookieContainer? cookies = null)
    {
        using var http = Loopback.Http(server.Url, from, cookies ?? new CookieContainer());
        return (await http.PostAsJsonAsync("/api/auth/login", new { agentId = "ada", password })).StatusCode;
    }

    [Fact]
    public async Task WrongPasswordsLockOutOnlyTheAddressTheyCameFrom()
    {
        var (server, _) = await Start();
        await using var _ = server;
        var attacker = Loopback.FreshAddress();
        for (var i = 0; i < SignInThrottle.FreeFailures; i++) Assert.Equal(HttpStatusCode.Unauthorized, await SignIn(server, attacker, "guess"));

        Assert.Equal(HttpStatusCode.TooManyRequests, await SignIn(server, attacker, "guess"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await SignIn(server, attacker, "pw-ada")); // the guesser waits, even with the right one
        Assert.Equal(HttpStatusCode.OK, await SignIn(server, Loopback.FreshAddress(), "pw-ada")); // the real agent elsewhere does not
    }

    [Fact]
    public void EachFailureAfterTheLockOutDoublesTheWaitUpToTheMaximum()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.Parse("2026-01-05T09:00:00Z"));
        var throttle = new SignInThrottle(clock);
        var attacker = IPAddress.Parse("203.0.113.7");
        var waits = new List<TimeSpan?>();
        for (var i = 0; i < SignInThrottle.FreeFailures + 8; i++)
        {
            throttle.Failed("ada", attacker);
            waits.Add(throttle.Wait("ada", attacker));
            clock.Advance(throttle.Wait("ada", attacker) ?? TimeSpan.Zero);
        }

        Assert.All(waits.Take(SignInThrottle.FreeFailures - 1), w => Assert.Null(w));
        Assert.Equal([1, 2, 4, 8, 16, 30, 30, 30, 30], waits.Skip(SignInThrottle.FreeFailures - 1).Select(w => w!.Value.TotalMinutes));
        Assert.Null(throttle.Wait("ada", IPAddress.Parse("198.51.100.1")));
        throttle.Succeeded("ada", attacker);
        Assert.Null(throttle.Wait("ada", attacker));
    }

    [Fact]
    public async Task LoggingOutRevokesACapturedCopyOfTheCookieAndClosesItsHubConnections()
    {
        var (server, _) = await Start();
        await using var _ = server;
        var cookies = new CookieContainer();
        using var http = server.Http(cookies);
        (await http.PostAsJsonAsync("/api/auth/login", new { agentId = "ada", password = "pw-ada" })).EnsureSuccessStatusCode();
        var captured = cookies.GetCookieHeader(new Uri(server.Url));
        await using var console = await TestAgent.Connect(server.Url, cookies);
        var closed = new TaskCompletionSource();
        console.Connection.Closed += _ => { closed.TrySetResult(); return Task.CompletedTask; };

        (await http.PostAsync("/api/auth/logout", null)).EnsureSuccessStatusCode();

        using var thief = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = new Uri(server.Url) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/auth/me") { Headers = { { "Cookie", captured } } };
        Assert.Equal(HttpStatusCode.Unauthorized, (await thief.SendAsync(request)).StatusCode);
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    public static TheoryData<string> AccountChanges => ["role", "site", "password", "removed"];

    [Theory]
    [MemberData(nameof(AccountChanges))]
    public async Task AnOldCookieIsRefusedOnceTheAccountChanged(string change)
    {
        var (server, settings) = await Start();
        await using var _ = server;
        var cookies = new CookieContainer();
        using var http = server.Http(cookies);
        (await http.PostAsJsonAsync("/api/auth/login", new { agentId = "ada", password = "pw-ada" })).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/sites/beta/stats")).StatusCode);
        await using var console = await TestAgent.Connect(server.Url, cookies);
        var closed = new TaskCompletionSource();
        console.Connection.Closed += _ => { closed.TrySetResult(); return Task.CompletedTask; };

        settings.Change(data =>
        {
            switch (change)
            {
                case "role": data["LiveChat:Agents:0:Roles:0"] = "agent"; break;
                case "site": data.Remove("LiveChat:Agents:0:Sites:1"); break;
                case "password": data["LiveChat:Agents:0:PasswordHash"] = AgentAccounts.Hash("new-password"); break;
                default: foreach (var key in data.Keys.Where(k => k.StartsWith("LiveChat:Agents:0:")).ToList()) data.Remove(key); break;
            }
        });

        var put = await http.PutAsync("/api/sites/alpha/rules", new StringContent("[]", System.Text.Encoding.UTF8, "application/json"));
        Assert.True(put.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, $"PUT rules answered {put.StatusCode}");
        var stats = await http.GetAsync("/api/sites/beta/stats");
        Assert.True(stats.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, $"GET stats answered {stats.StatusCode}");
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private static async Task<HttpClient> SignedIn(TestServer server)
    {
        var http = server.Http(new CookieContainer());
        (await http.PostAsJsonAsync("/api/auth/login", new { agentId = "ada", password = "pw-ada" })).EnsureSuccessStatusCode();
        return http;
    }

    private const string Notice = """{ "text": "Payments are down", "severity": "outage" }""";

    [Theory]
    [InlineData("text/plain", "sibling")]
    [InlineData("application/json", "sibling")]
    [InlineData("text/plain", null)]
    [InlineData("application/x-www-form-urlencoded", "self")]
    public async Task ASameSitePageCannotChangeAnythingWithTheAgentsCookie(string contentType, string? origin)
    {
        var (server, _) = await Start();
        await using var _ = server;
        using var http = await SignedIn(server);
        var port = new Uri(server.Url).Port;
        using var forged = new HttpRequestMessage(HttpMethod.Post, "/api/sites/alpha/notices") { Content = new StringContent(Notice, System.Text.Encoding.UTF8) };
        forged.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        if (origin is not null) forged.Headers.Add("Origin", origin == "self" ? server.Url : $"http://127.0.0.1:{port + 1}");

        var response = await http.SendAsync(forged);

        Assert.True(response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.UnsupportedMediaType, $"answered {response.StatusCode}");
        var list = await http.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/sites/alpha/notices");
        Assert.DoesNotContain("Payments are down", list.GetRawText());
    }

    [Fact]
    public async Task TheConsolesOwnOriginMayChangeThingsAndOpenTheAgentHub()
    {
        var (server, _) = await Start();
        await using var _ = server;
        using var http = await SignedIn(server);
        using var create = new HttpRequestMessage(HttpMethod.Post, "/api/sites/alpha/notices") { Content = new StringContent(Notice, System.Text.Encoding.UTF8, "application/json") };
        create.Headers.Add("Origin", server.Url);
        Assert.Equal(HttpStatusCode.Created, (await http.SendAsync(create)).StatusCode);

        var cookies = new CookieContainer();
        using (var login = server.Http(cookies))
            (await login.PostAsJsonAsync("/api/auth/login", new { agentId = "ada", password = "pw-ada" })).EnsureSuccessStatusCode();
        await using var own = new HubConnectionBuilder().WithUrl($"{server.Url}/hubs/agent", o => { o.Cookies = cookies; o.Headers["Origin"] = server.Url; }).Build();
        await own.StartAsync();
        Assert.NotNull(await own.InvokeAsync<IReadOnlyList<QueueEntry>>("GetQueue"));
    }

    [Fact]
    public async Task ASameSitePageCannotOpenTheAgentHubWithTheAgentsCookie()
    {
        var (server, _) = await Start();
        await using var _ = server;
        var cookies = new CookieContainer();
        using (var login = server.Http(cookies))
            (await login.PostAsJsonAsync("/api/auth/login", new { agentId = "ada", password = "pw-ada" })).EnsureSuccessStatusCode();
        var sibling = $"http://127.0.0.1:{new Uri(server.Url).Port + 1}";
        foreach (var transport in new[] { Microsoft.AspNetCore.Http.Connections.HttpTransportType.WebSockets, Microsoft.AspNetCore.Http.Connections.HttpTransportType.LongPolling })
        {
            await using var hijack = new HubConnectionBuilder().WithUrl($"{server.Url}/hubs/agent", transport, o => { o.Cookies = cookies; o.Headers["Origin"] = sibling; }).Build();
            await Assert.ThrowsAnyAsync<Exception>(async () =>
            {
                await hijack.StartAsync();
                await hijack.InvokeAsync<IReadOnlyList<QueueEntry>>("GetQueue");
            });
        }
    }

    [Fact]
    public async Task TheSignInFormStillWorks()
    {
        var (server, _) = await Start();
        await using var _ = server;
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = new Uri(server.Url) };
        var page = await http.GetStringAsync("/agent/login");
        var field = System.Text.RegularExpressions.Regex.Match(page, "type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]+)\"");
        using var form = new HttpRequestMessage(HttpMethod.Post, "/agent/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                [field.Groups[1].Value] = WebUtility.HtmlDecode(field.Groups[2].Value), ["agentId"] = "ada", ["password"] = "pw-ada",
            }),
        };
        form.Headers.Add("Origin", server.Url);

        var response = await http.SendAsync(form);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/auth/me")).StatusCode);
    }
}
