using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.TestingHost;

namespace LiveChat.Server.Tests.Infrastructure;

/// <summary>
/// The real LiveChat server on a loopback port (real Kestrel, real Orleans silo, real SignalR), in embedded
/// mode unless a Redis connection string is given. Each instance has its own Orleans ports.
/// </summary>
public sealed class TestServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private TestServer(WebApplication app, string url) { this.app = app; Url = url; }

    public string Url { get; }
    public IServiceProvider Services => app.Services;

    /// <param name="clock">
    /// A fake clock (<c>FakeTimeProvider</c>) for the whole server: grains, their timers (rule timers: "1 s on the page" is an
    /// <c>Advance</c>, not a wait), sign-in, sessions. Orleans' own background loops stay on real time.
    /// </param>
    public static async Task<TestServer> Start(IDictionary<string, string?>? settings = null, Action<WebApplicationBuilder>? configure = null, TimeProvider? clock = null)
    {
        // Kestrel binds port 0, so the kernel picks its port as it binds; only Orleans' two ports are chosen beforehand, and an
        // outgoing connection can take one of those in between: such a start is retried on fresh ports.
        for (var attempt = 1; ; attempt++)
        {
            var app = Build(settings, configure, clock);
            try
            {
                await app.StartAsync();
                return new TestServer(app, app.Urls.Single().TrimEnd('/')); // the address Kestrel bound
            }
            catch (Exception e) when (attempt < 3 && Ports.IsAddressInUse(e))
            {
                try { await app.StopAsync(); } catch (Exception) { }
                await app.DisposeAsync();
            }
        }
    }

    private static WebApplication Build(IDictionary<string, string?>? settings, Action<WebApplicationBuilder>? configure, TimeProvider? clock)
    {
        var config = new Dictionary<string, string?>
        {
            ["LiveChat:Orleans:SiloPort"] = FreePort().ToString(),
            ["LiveChat:Orleans:GatewayPort"] = FreePort().ToString(),
            ["LiveChat:Orleans:ClusterId"] = "test-" + Guid.NewGuid().ToString("n")[..8],
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>()) config[k] = v;
        return LiveChatApplication.Create([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(config);
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.WebHost.UseContentRoot(AppContext.BaseDirectory);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            if (clock is not null) UseClock(builder, clock);
            configure?.Invoke(builder);
        });
    }

    /// <summary>
    /// The server registers <see cref="TimeProvider.System"/> after <c>configure</c> runs, so the fake clock replaces it when
    /// the service provider is built: the one moment every registration is known.
    /// </summary>
    private static void UseClock(WebApplicationBuilder builder, TimeProvider clock)
    {
        builder.Services.UseTimeProviderForBackgroundAreas(TimeProvider.System);
        builder.Host.UseServiceProviderFactory(new ClockFactory(clock));
    }

    private sealed class ClockFactory(TimeProvider clock) : IServiceProviderFactory<IServiceCollection>
    {
        public IServiceCollection CreateBuilder(IServiceCollection services)
        {
            foreach (var d in services.Where(d => d.ServiceType == typeof(TimeProvider) && !d.IsKeyedService).ToList()) services.Remove(d);
            services.AddSingleton(clock);
            return services;
        }

        public IServiceProvider CreateServiceProvider(IServiceCollection containerBuilder) => containerBuilder.BuildServiceProvider();
    }

    public HttpClient Http(CookieContainer? cookies = null) =>
        new(new HttpClientHandler { CookieContainer = cookies ?? new CookieContainer(), UseCookies = true }) { BaseAddress = new Uri(Url) };

    public async Task<TestAgent> Agent(string agentId = "demo", string password = "demo")
    {
        var cookies = new CookieContainer();
        using var http = Http(cookies);
        var response = await http.PostAsJsonAsync("/api/auth/login", new { agentId, password });
        response.EnsureSuccessStatusCode();
        return await TestAgent.Connect(Url, cookies);
    }

    public Task<TestVisitor> Visitor(string site = "demo") => TestVisitor.Connect(Url, site);

    /// <summary>The demo agent online, a visitor on a page, and the chat the visitor started, assigned to the agent.</summary>
    public async Task<(TestVisitor Visitor, TestAgent Agent, string ConversationId)> ChatWithAgent(string? firstText = "Hello, I need help", string page = "/products/42")
    {
        var agent = await Agent();
        await agent.Online(capacity: 50);
        var visitor = await Visitor();
        await visitor.Hello(page);
        var started = await visitor.StartChat(firstText);
        await agent.Assigned.Next(a => a.Conversation.ConversationId == started.ConversationId);
        return (visitor, agent, started.ConversationId);
    }

    /// <summary>Replaces the site's rules through the admin API.</summary>
    public async Task PutRules(string json, string site = "demo")
    {
        var cookies = new CookieContainer();
        using var http = Http(cookies);
        (await http.PostAsJsonAsync("/api/auth/login", new { agentId = "demo", password = "demo" })).EnsureSuccessStatusCode();
        var response = await http.PutAsync($"/api/sites/{site}/rules", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException(await response.Content.ReadAsStringAsync());
    }

    public async ValueTask DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try { await app.StopAsync(cts.Token); } catch (OperationCanceledException) { }
        await app.DisposeAsync();
    }

    /// <summary>A free loopback port (the kit's <see cref="Ports.Free"/>).</summary>
    public static int FreePort() => Ports.Free();
}
