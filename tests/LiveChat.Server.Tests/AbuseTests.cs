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

    [Fact]
    public async Task FakeChatsFromOneAddressStopAtItsCapAndARealVisitorStaysNearTheFront()
    {
        await using var server = await TestServer.Start(Capped(("LiveChat:Limits:OpenChatsPerIp", "3"), ("LiveChat:Limits:NewVisitorsPerIpPerMinute", "1000")));
        var attacker = Loopback.FreshAddress();
        var connections = new List<TestVisitor>();
        for (var i = 0; i < 5; i++) connections.Add(await TestVisitor.From(attacker, server.Url));
        await using var bystander = await TestVisitor.From(Loopback.FreshAddress(), server.Url);
        await bystander.Hello("/real-customer");
        try
        {
            // Every round: a fresh identity (Hello without a token) on each connection, and a chat from each.
            var refusals = new List<string>();
            var opened = new List<HelloResult>();
            var flood = Task.Run(async () =>
            {
                for (var round = 0; round < 12; round++)
                    await Task.WhenAll(connections.Select(async c =>
                    {
                        var identity = await c.Hello("/fake");
                        try { await c.StartChat("fake"); lock (opened) opened.Add(identity); }
                        catch (HubException e) { lock (refusals) refusals.Add(e.Message); }
                    }));
            });
            await Task.Delay(50);
            var waited = await Loopback.TimeStartChat(bystander, "I am a real customer");
            await flood;
            Loopback.Report($"bystander StartChat during 60 fake chats from one address: {waited.TotalMilliseconds:F0} ms");

            Assert.Equal(60 - 3, refusals.Count);
            Assert.All(refusals, m => Assert.Contains("too many open chats from your address", m));
            var queue = await bystander.StartChat(); // the open chat again, with its place
            Assert.True(queue.QueuePosition <= 4, $"the real visitor is at position {queue.QueuePosition}");

            // An address that ends one of its chats may open another.
            await using var anotherTab = await TestVisitor.From(attacker, server.Url);
            await anotherTab.Hello("/fake");
            await Assert.ThrowsAsync<HubException>(() => anotherTab.StartChat("one more"));
            await connections[0].Hello("/fake", opened[0].VisitorId, opened[0].Token);
            await connections[0].Connection.InvokeAsync("EndChat", new EndChatRequest());
            Assert.NotNull(await anotherTab.StartChat("one more"));
        }
        finally { foreach (var c in connections) await c.DisposeAsync(); }
    }

    [Fact]
    public async Task NewIdentitiesPerAddressAreCappedButReturningVisitorsAndOtherAddressesAreNot()
    {
        await using var server = await TestServer.Start(Capped(("LiveChat:Limits:NewVisitorsPerIpPerMinute", "5")));
        var attacker = Loopback.FreshAddress();
        await using var flooder = await TestVisitor.From(attacker, server.Url);
        var first = await flooder.Hello("/one");
        for (var i = 1; i < 5; i++) await flooder.Hello("/again");

        var refused = await Assert.ThrowsAsync<HubException>(() => flooder.Hello("/again"));
        Assert.Contains("too many new visitors from your address", refused.Message);
        Assert.Equal(first.VisitorId, (await flooder.Hello("/back", first.VisitorId, first.Token)).VisitorId);
        await using var neighbour = await TestVisitor.From(Loopback.FreshAddress(), server.Url);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        await neighbour.Hello("/neighbour");
        await neighbour.StartChat("hi");
        Loopback.Report($"bystander Hello+StartChat after an identity flood: {waited.Elapsed.TotalMilliseconds:F0} ms");
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
