using System.Net;
using System.Net.Http.Json;
using LiveChat.Contracts;
using LiveChat.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveChat.Server.Tests;

/// <summary>
/// Floods from one client address: the address slows or stops only itself, never the others. Each flood also
/// reports how long a bystander visitor (another address) waited for StartChat meanwhile; reported, not asserted.
/// </summary>
public sealed class AbuseTests
{
    /// <summary>Loopback is normally exempt from per-address caps (proxies, load tests); these tests turn that off.</summary>
    private static Dictionary<string, string?> Capped(params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string?> { ["LiveChat:Limits:ExemptLoopback"] = "false" };
        foreach (var (k, v) in extra) settings[k] = v;
        return settings;
    }

    [Fact]
    public async Task RefusedHubConnectionsGiveTheirSlotBackSoTheAddressCanStillConnect()
    {
        await using var server = await TestServer.Start(Capped());
        var attacker = Loopback.FreshAddress();
        await using var bystander = await TestVisitor.From(Loopback.FreshAddress(), server.Url);
        await bystander.Hello("/bystander");

        // 130 to an unknown site and 130 from a foreign page: each is refused in OnConnectedAsync.
        var flood = Task.Run(async () =>
        {
            var attempts = Enumerable.Range(0, 260).Select(i => i % 2 == 0
                ? Loopback.Hub($"{server.Url}/hubs/visitor?site=no-such-site", attacker)
                : Loopback.Hub($"{server.Url}/hubs/visitor?site=demo", attacker, origin: "https://evil.example"));
            foreach (var batch in attempts.Chunk(20)) await Task.WhenAll(batch.Select(Refused));
        });
        var waited = await Loopback.TimeStartChat(bystander, "hello from a bystander");
        await flood;
        Loopback.Report($"bystander StartChat during 260 refused connections: {waited.TotalMilliseconds:F0} ms");

        await using var visitor = await TestVisitor.From(attacker, server.Url);
        Assert.NotNull(await visitor.Hello("/after-the-flood"));
        var cookies = new CookieContainer();
        using (var http = Loopback.Http(server.Url, attacker, cookies))
            (await http.PostAsJsonAsync("/api/auth/login", new { agentId = "demo", password = "demo" })).EnsureSuccessStatusCode();
        await using var agent = Loopback.Hub($"{server.Url}/hubs/agent", attacker, cookies: cookies);
        await agent.StartAsync();
        Assert.NotNull(await agent.InvokeAsync<IReadOnlyList<QueueEntry>>("GetQueue"));
    }

    [Fact]
    public async Task AbortedHubConnectionsGiveTheirSlotBack()
    {
        await using var server = await TestServer.Start(Capped(("LiveChat:Limits:ConnectionsPerIp", "5")));
        var address = Loopback.FreshAddress();
        for (var round = 0; round < 3; round++)
        {
            var open = new List<TestVisitor>();
            for (var i = 0; i < 5; i++) open.Add(await TestVisitor.From(address, server.Url));
            await Task.WhenAll(open.Select(v => v.Hello("/aborted")));
            foreach (var v in open) await v.DisposeAsync();
            await Eventually(async () =>
            {
                await using var probe = await TestVisitor.From(address, server.Url);
                await probe.Hello("/probe");
            });
        }
    }

    private static async Task Refused(HubConnection connection)
    {
        await using var _ = connection;
        var served = false;
        try
        {
            await connection.StartAsync();
            await connection.InvokeAsync<HelloResult>("Hello", new HelloRequest(null, null, new PageInfo("https://evil.example/")));
            served = true;
        }
        catch (Exception) { } // refused: the close arrives before or during the call
        Assert.False(served, "a connection that should have been refused was served");
    }

    /// <summary>Retries briefly: the server notices a closed socket a moment after the client closes it.</summary>
    internal static async Task Eventually(Func<Task> check, double seconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            try { await check(); return; }
            catch (Exception) when (DateTime.UtcNow < deadline) { await Task.Delay(100); }
        }
    }
}
