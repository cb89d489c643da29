using System.Net;
using System.Net.Http.Json;
using LiveChat.Contracts;
using LiveChat.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveChat.Server.Tests;

/// <summary>
/// Grains never wait on a browser, and a slow console loses nothing that matters (issue 15). The consoles here use
/// stateful reconnect like the real one; the .NET client runs handlers one at a time, so a handler that waits is a
/// console that stops reading.
/// </summary>
public sealed class AgentBackpressureTests : IAsyncLifetime
{
    private TestServer server = null!;

    public async ValueTask InitializeAsync() => server = await TestServer.Start();
    public async ValueTask DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task AStalledAgentConnectionDoesNotHoldUpStartChatOrTheOtherAgents()
    {
        using var stalled = await StalledConsole();
        await using var other = await server.Agent();
        await other.Away(); // nobody takes the chats: they queue, and the queue grows in every QueueChanged
        var visitors = new List<TestVisitor>();
        try
        {
            // Each queued chat's first message rides in every QueueChanged: 40 of them are ~1.7 MB for the stalled
            // console, past its 1 MB reconnect buffer, so the server's writes to it wait for acks that never come.
            var text = new string('x', 1900);
            for (var i = 0; i < 40; i++)
            {
                var visitor = await server.Visitor();
                visitors.Add(visitor);
                await visitor.Hello($"/stall/{i}");
                var started = await visitor.StartChat(text).WaitAsync(TimeSpan.FromSeconds(30));
                Assert.NotNull(started.QueuePosition);
            }

            // The site's other agent sees the whole queue; the stalled console was never cut off: reading again, it
            // gets everything that waited for it, up to the latest queue.
            await other.QueueChanges.Next(q => q.Waiting.Count == 40, 30);
            await ReadUntil(stalled, m => m.GetProperty("type").GetInt32() == 1 && m.GetProperty("target").GetString() == "QueueChanged"
                && m.GetProperty("arguments")[0].GetProperty("waiting").GetArrayLength() == 40);
        }
        finally
        {
            foreach (var v in visitors) await v.DisposeAsync();
        }
    }

    [Fact]
    public async Task ASlowConsoleIsNotDisconnectedAndGetsEveryChatMessageInOrder()
    {
        var messages = new List<ChatMessage>();
        var diffs = 0;
        var dropped = false;
        await using var slow = await Console(c =>
        {
            c.On<VisitorsChanged>("VisitorsChanged", async _ => { Interlocked.Increment(ref diffs); await Task.Delay(1500); });
            c.On<ChatMessage>("Message", m => { lock (messages) messages.Add(m); });
        });
        slow.Closed += _ => { dropped = true; return Task.CompletedTask; };
        slow.Reconnecting += _ => { dropped = true; return Task.CompletedTask; };
        await slow.InvokeAsync("SetStatus", new SetStatusRequest(AgentStatus.Online, 5));
        await slow.InvokeAsync<VisitorsPage>("WatchVisitors", new WatchVisitorsRequest());

        await using var chatting = await server.Visitor();
        await chatting.Hello("/help");
        var started = await chatting.StartChat();
        await slow.InvokeAsync<ConversationView>("Accept", new ConversationRequest(started.ConversationId)).ContinueWith(_ => { });

        var browsing = new List<TestVisitor>();
        for (var i = 0; i < 40; i++)
        {
            var v = await server.Visitor();
            await v.Hello($"/browse/{i}");
            browsing.Add(v);
        }
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(8));
        var traffic = Task.WhenAll(browsing.Select(async (v, i) =>
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                await v.PageView($"/browse/{i}/{n}");
                await Task.Delay(100);
            }
        }));
        const int sent = 40;
        for (var i = 1; i <= sent; i++)
        {
            await chatting.Send($"message {i}");
            await Task.Delay(80); // inside the visitor hub's rate limit
        }
        await traffic;

        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (Count() < sent && DateTime.UtcNow < deadline) await Task.Delay(200);
        List<ChatMessage> got;
        lock (messages) got = messages.Where(m => m.ConversationId == started.ConversationId && m.From == Senders.Visitor).ToList();
        Assert.Equal(Enumerable.Range(1, sent).Select(i => $"message {i}"), got.Select(m => m.Text));
        Assert.Equal(got.Select(m => m.Sequence).Order(), got.Select(m => m.Sequence));
        Assert.False(dropped);
        Assert.Equal(HubConnectionState.Connected, slow.State);
        Assert.True(diffs > 0);
        foreach (var v in browsing) await v.DisposeAsync();

        int Count() { lock (messages) return messages.Count(m => m.ConversationId == started.ConversationId && m.From == Senders.Visitor); }
    }

    /// <summary>
    /// A console that negotiates stateful reconnect (protocol version 2), shakes hands and then never reads nor acknowledges: once 1 MB is
    /// unacknowledged, every server write to it waits, as for a frozen browser tab.
    /// </summary>
    private async Task<System.Net.WebSockets.ClientWebSocket> StalledConsole()
    {
        var cookies = new CookieContainer();
        using var http = server.Http(cookies);
        (await http.PostAsJsonAsync("/api/auth/login", new { agentId = "demo", password = "demo" })).EnsureSuccessStatusCode();
        var negotiated = await (await http.PostAsync("/hubs/agent/negotiate?negotiateVersion=1&useStatefulReconnect=true", null))
            .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.True(negotiated.GetProperty("useStatefulReconnect").GetBoolean());
        var socket = new System.Net.WebSockets.ClientWebSocket();
        socket.Options.Cookies = cookies;
        var ws = new Uri(server.Url.Replace("http://", "ws://") + "/hubs/agent?id=" + negotiated.GetProperty("connectionToken").GetString());
        await socket.ConnectAsync(ws, CancellationToken.None);
        await socket.SendAsync("{\"protocol\":\"json\",\"version\":2}\u001e"u8.ToArray(), System.Net.WebSockets.WebSocketMessageType.Text, true, CancellationToken.None);
        await Task.Delay(500); // the server has added it to the site's group
        return socket;
    }

    /// <summary>Reads (and acknowledges, as a stateful-reconnect client does) until a message matches; fails if the server closed.</summary>
    private static async Task ReadUntil(System.Net.WebSockets.ClientWebSocket socket, Func<System.Text.Json.JsonElement, bool> match)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var pending = new List<byte>();
        var buffer = new byte[64 * 1024];
        long invocations = 0;
        while (true)
        {
            var read = await socket.ReceiveAsync(buffer, timeout.Token);
            Assert.NotEqual(System.Net.WebSockets.WebSocketMessageType.Close, read.MessageType);
            pending.AddRange(buffer.AsSpan(0, read.Count));
            int end;
            while ((end = pending.IndexOf(0x1e)) >= 0)
            {
                var json = pending.GetRange(0, end).ToArray();
                pending.RemoveRange(0, end + 1);
                using var message = System.Text.Json.JsonDocument.Parse(json);
                if (!message.RootElement.TryGetProperty("type", out _)) continue; // the handshake answer
                if (message.RootElement.GetProperty("type").GetInt32() == 1) invocations++;
                if (match(message.RootElement)) return;
            }
            var ack = System.Text.Encoding.UTF8.GetBytes($"{{\"type\":8,\"sequenceId\":{invocations}}}\u001e");
            await socket.SendAsync(ack, System.Net.WebSockets.WebSocketMessageType.Text, true, timeout.Token);
        }
    }

    /// <summary>A signed-in console connection with stateful reconnect, its handlers set by the test.</summary>
    private async Task<HubConnection> Console(Action<HubConnection> handlers)
    {
        var cookies = new CookieContainer();
        using (var http = server.Http(cookies))
            (await http.PostAsJsonAsync("/api/auth/login", new { agentId = "demo", password = "demo" })).EnsureSuccessStatusCode();
        var connection = new HubConnectionBuilder().WithUrl($"{server.Url}/hubs/agent", o => o.Cookies = cookies).WithStatefulReconnect().Build();
        handlers(connection);
        await connection.StartAsync();
        return connection;
    }
}
