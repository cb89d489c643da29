using System.Net;
using System.Net.Http.Json;
using LiveChat.Contracts;
using LiveChat.Server.Auth;
using LiveChat.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LiveChat.Server.Tests;

/// <summary>Floods, fuzz, caps and cross-site identities: the public doors hold and nobody reaches another's data.</summary>
public sealed class SecurityTests
{
    private static Dictionary<string, string?> TwoSites(params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["LiveChat:Sites:alpha:AllowedOrigins:0"] = "https://alpha.example",
            ["LiveChat:Sites:beta:AllowedOrigins:0"] = "https://beta.example",
            ["LiveChat:Agents:0:Id"] = "ada",
            ["LiveChat:Agents:0:Name"] = "Ada",
            ["LiveChat:Agents:0:Sites:0"] = "alpha",
            ["LiveChat:Agents:0:PasswordHash"] = AgentAccounts.Hash("pw-ada"),
        };
        foreach (var (k, v) in extra) settings[k] = v;
        return settings;
    }

    [Fact]
    public async Task AnotherSitesTokenGetsAFreshIdentity()
    {
        await using var server = await TestServer.Start(TwoSites());
        await using var onAlpha = await server.Visitor("alpha");
        var alpha = await onAlpha.Hello("/");

        await using var onBeta = await server.Visitor("beta");
        var beta = await onBeta.Hello("/", alpha.VisitorId, alpha.Token);

        Assert.NotEqual(alpha.VisitorId, beta.VisitorId);
    }

    [Fact]
    public async Task AFreshTokenIsHandedBackAsItIsAndAForgedOneGetsANewIdentityAndToken()
    {
        await using var server = await TestServer.Start(TwoSites());
        await using var tab = await server.Visitor("alpha");
        var first = await tab.Hello("/");

        // A page load with a token far from expiry: same visitor, same token (no new encryption per page).
        var again = await tab.Hello("/next", first.VisitorId, first.Token);
        Assert.Equal((first.VisitorId, first.Token), (again.VisitorId, again.Token));

        var forged = await tab.Hello("/", first.VisitorId, first.Token[..^4] + "AAAA");
        Assert.NotEqual(first.VisitorId, forged.VisitorId);
        Assert.NotEqual(first.Token, forged.Token);

        // The signed parts moved: a later expiry, or another visitor's id under this token's signature.
        var parts = first.Token.Split('.');
        var later = await tab.Hello("/", first.VisitorId, string.Join('.', parts[0], parts[1], (long.Parse(parts[2]) + 86_400).ToString(), parts[3]));
        Assert.NotEqual(first.VisitorId, later.VisitorId);
        var other = await tab.Hello("/", forged.VisitorId, string.Join('.', parts[0], forged.VisitorId, parts[2], parts[3]));
        Assert.NotEqual(forged.VisitorId, other.VisitorId);
    }

    /// <summary>Tokens issued before signed tokens (Data Protection's, encrypted) still resume their visitor, who gets a signed one back.</summary>
    [Fact]
    public async Task ATokenFromBeforeSignedTokensStillResumesItsVisitor()
    {
        await using var server = await TestServer.Start();
        await using var tab = await server.Visitor();
        var first = await tab.Hello("/");
        var earlier = server.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("LiveChat.VisitorToken.v1")
            .ToTimeLimitedDataProtector().Protect($"demo\n{first.VisitorId}", TimeSpan.FromDays(365));

        await using var back = await server.Visitor();
        var resumed = await back.Hello("/again", first.VisitorId, earlier);
        Assert.Equal(first.VisitorId, resumed.VisitorId);
        Assert.StartsWith("v2.", resumed.Token);
        await using var next = await server.Visitor();
        Assert.Equal(first.VisitorId, (await next.Hello("/next", first.VisitorId, resumed.Token)).VisitorId);
    }

    [Fact]
    public async Task AnAgentSeesOnlyTheirOwnSites()
    {
        await using var server = await TestServer.Start(TwoSites());
        await using var visitor = await server.Visitor("beta");
        await visitor.Hello("/");
        var chat = await visitor.StartChat("private to beta");
        await using var ada = await server.Agent("ada", "pw-ada");

        var refused = await Assert.ThrowsAsync<HubException>(() => ada.GetConversation(chat.ConversationId));
        Assert.Contains("no such conversation", refused.Message);
        Assert.Empty(await ada.Connection.InvokeAsync<IReadOnlyList<QueueEntry>>("GetQueue"));
        var invite = await Assert.ThrowsAsync<HubException>(() => ada.Connection.InvokeAsync<bool>("Invite", new InviteRequest(visitor.Identity!.VisitorId, "hi", "beta")));
        Assert.Contains("siteId", invite.Message);
    }

    [Fact]
    public async Task AForeignOriginCannotConnectToTheVisitorHub()
    {
        await using var server = await TestServer.Start(TwoSites());
        var allowed = new HubConnectionBuilder().WithUrl($"{server.Url}/hubs/visitor?site=alpha", o => o.Headers["Origin"] = "https://alpha.example").Build();
        var foreign = new HubConnectionBuilder().WithUrl($"{server.Url}/hubs/visitor?site=alpha", o => o.Headers["Origin"] = "https://evil.example").Build();
        await using var _ = allowed;
        await using var __ = foreign;

        await allowed.StartAsync();
        await allowed.InvokeAsync<HelloResult>("Hello", new HelloRequest(null, null, new PageInfo("https://alpha.example/")));
        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await foreign.StartAsync();
            await foreign.InvokeAsync<HelloResult>("Hello", new HelloRequest(null, null, new PageInfo("https://evil.example/")));
        });
    }

    [Fact]
    public async Task HubConnectionsPerIpAreCapped()
    {
        await using var server = await TestServer.Start(new Dictionary<string, string?>
        {
            ["LiveChat:Limits:ConnectionsPerIp"] = "3",
            ["LiveChat:Limits:ExemptLoopback"] = "false",
        });
        var open = new List<TestVisitor>();
        try
        {
            for (var i = 0; i < 3; i++) open.Add(await server.Visitor());

            await Assert.ThrowsAnyAsync<Exception>(async () =>
            {
                await using var fourth = await server.Visitor();
                await fourth.Hello("/");
            });

            await open[0].DisposeAsync();
            open.RemoveAt(0);
            await Task.Delay(200); // the server notices the close
            open.Add(await server.Visitor());
            Assert.NotNull(await open[^1].Hello("/"));
        }
        finally
        {
            foreach (var v in open) await v.DisposeAsync();
        }
    }

    [Fact]
    public async Task AFullNodeTurnsNewConnectionsAwayAndKeepsServingItsVisitors()
    {
        await using var server = await TestServer.Start(new Dictionary<string, string?> { ["LiveChat:Limits:MaxConnections"] = "6" });
        await using var first = await server.Visitor();
        await first.Hello("/first");
        await first.StartChat("I was here first");
        var others = new List<TestVisitor>();
        var refused = 0;
        try
        {
            for (var i = 0; i < 10; i++)
            {
                try { var v = await server.Visitor(); others.Add(v); await v.Hello("/later"); }
                catch (Exception) { refused++; }
            }
        }
        finally { foreach (var v in others) await v.DisposeAsync(); }

        Assert.True(refused > 0, "the node accepted more connections than its ceiling");
        Assert.NotNull(await first.Send("still served"));
    }

    [Fact]
    public async Task AFloodFromOneConnectionIsThrottledWithoutHurtingOthers()
    {
        await using var server = await TestServer.Start();
        await using var agent = await server.Agent();
        await agent.Online(10);
        await using var calm = await server.Visitor();
        await calm.Hello("/calm");
        var chat = await calm.StartChat("hello");
        await using var flooder = await server.Visitor();
        await flooder.Hello("/flood");

        var flood = Enumerable.Range(0, 300).Select(i => Outcome(flooder.Track("spam", new { i }))).ToList();
        var calmAcks = new List<MessageAck>();
        for (var i = 0; i < 10; i++) calmAcks.Add(await calm.Send($"calm {i}"));
        var outcomes = await Task.WhenAll(flood);

        Assert.Contains(outcomes, o => o?.Contains("too many requests") == true);
        Assert.Equal(10, calmAcks.Select(a => a.Sequence).Distinct().Count());
        Assert.Equal(HubConnectionState.Connected, flooder.Connection.State);
        await agent.Send(chat.ConversationId, "still serving");
        await calm.Messages.Next(m => m.Text == "still serving");
    }

    [Fact]
    public async Task AnAgentServingSeveralChatsMayCallFasterThanAVisitor()
    {
        await using var server = await TestServer.Start();
        var (visitor, agent, conversationId) = await server.ChatWithAgent();
        await using var _ = visitor;
        await using var __ = agent;

        // 80 calls at once: twice a visitor connection's burst, well within an agent's.
        var acks = await Task.WhenAll(Enumerable.Range(0, 80).Select(i => agent.Send(conversationId, $"reply {i}")));

        Assert.Equal(80, acks.Select(a => a.Sequence).Distinct().Count());
    }

    [Fact]
    public async Task ThousandsOfRandomInvocationsLeaveEveryEarlierConversationIntact()
    {
        await using var server = await TestServer.Start(new Dictionary<string, string?>
        {
            ["LiveChat:Limits:HubCallsPerSecond"] = "100000",
            ["LiveChat:Limits:HubCallBurst"] = "100000",
        });
        await using var agent = await server.Agent();
        await agent.Online(20);
        var before = new List<(HelloResult Identity, IReadOnlyList<ChatMessage> Messages)>();
        for (var i = 0; i < 3; i++)
        {
            await using var v = await server.Visitor();
            await v.Hello("/before");
            var chat = await v.StartChat($"conversation {i}");
            await v.Send($"detail {i}");
            await agent.Send(chat.ConversationId, $"answer {i}");
            await v.Messages.Next(m => m.Text == $"answer {i}");
            before.Add((v.Identity!, await v.GetMessages()));
        }

        var random = new Random(4711);
        string[] methods = ["Hello", "PageView", "Visibility", "Track", "AcceptInvitation", "DismissInvitation", "StartChat", "SendMessage",
            "Typing", "GetMessages", "RequestCallback", "LeaveMessage", "EndChat", "RequestTranscript", "GetCallbackSlots", "GetRequestStatus", "GetMyRequests", "NoSuchMethod"];
        var fuzzers = new List<TestVisitor>();
        for (var c = 0; c < 4; c++) fuzzers.Add(await server.Visitor());
        var unexpected = new List<string>();
        for (var i = 0; i < 2000; i++)
        {
            var fuzzer = fuzzers[i % fuzzers.Count];
            var method = methods[random.Next(methods.Length)];
            try { await fuzzer.Connection.InvokeCoreAsync(method, typeof(object), [RandomValue(random, before, depth: 0)]); }
            catch (HubException) { } // a clear refusal is the expected answer to junk
            catch (Exception e) { unexpected.Add($"{method}: {e.GetType().Name}: {e.Message}"); }
        }
        foreach (var f in fuzzers)
        {
            Assert.Equal(HubConnectionState.Connected, f.Connection.State);
            await f.DisposeAsync();
        }
        Assert.Empty(unexpected);

        foreach (var (identity, messages) in before)
        {
            await using var resumed = await server.Visitor();
            var hello = await resumed.Hello("/after", identity.VisitorId, identity.Token);
            Assert.Equal(messages.Select(m => (m.Sequence, m.From, m.Text)), hello.Conversation!.Messages.Select(m => (m.Sequence, m.From, m.Text)));
        }
    }

    /// <summary>Junk of every JSON shape, sometimes carrying real ids and tokens of other visitors.</summary>
    private static object? RandomValue(Random r, List<(HelloResult Identity, IReadOnlyList<ChatMessage> Messages)> victims, int depth)
    {
        var victim = victims[r.Next(victims.Count)];
        return r.Next(depth > 1 ? 8 : 11) switch
        {
            0 => null,
            1 => r.Next(),
            2 => r.NextDouble() * 1e300,
            3 => new string('x', r.Next(0, 5000)),
            4 => "\u0000\uFFFF\uD800 <script>alert(1)</script> 𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
            5 => victim.Identity.VisitorId,
            6 => victim.Messages[0].ConversationId,
            7 => r.Next(2) == 0,
            // Another visitor's id with a forged token or someone else's token: whoever holds a visitor's own token *is* that visitor.
            8 => new { visitorId = victim.Identity.VisitorId, token = r.Next(2) == 0 ? victims[(victims.IndexOf(victim) + 1) % victims.Count].Identity.Token : "forged", page = new { url = "http://127.0.0.1/x" } },
            9 => new { clientMessageId = victim.Messages[^1].ClientMessageId, text = RandomValue(r, victims, depth + 1), afterSequence = -5, invitationId = "inv-1" },
            _ => new[] { RandomValue(r, victims, depth + 1), RandomValue(r, victims, depth + 1) },
        };
    }

    private static async Task<string?> Outcome(Task call)
    {
        try { await call; return null; }
        catch (HubException e) { return e.Message; }
    }

    [Fact]
    public async Task ClusterModeRefusesToStartWithTheDemoPassword()
    {
        var start = TestServer.Start(new Dictionary<string, string?>
        {
            ["LiveChat:Redis"] = "127.0.0.1:1,connectTimeout=200",
            ["LiveChat:Sites:shop:AllowedOrigins:0"] = "loopback",
            ["LiveChat:Agents:0:Id"] = "boss",
            ["LiveChat:Agents:0:Sites:0"] = "shop",
            ["LiveChat:Agents:0:PasswordHash"] = AgentAccounts.Hash("demo"),
        });

        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => start);

        Assert.Contains("demo password", refused.Message);
    }

    /// <summary>
    /// The widget's connections skip the agent sign-in, even from a browser that holds an agent's cookie: no cookie
    /// check per connect and no authentication handler held for a socket's whole life. The console's requests still check it.
    /// </summary>
    [Fact]
    public async Task WidgetConnectionsDoNotCheckTheSignInCookie()
    {
        var checks = 0;
        await using var server = await TestServer.Start(configure: b => b.Services.PostConfigure<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme, o =>
        {
            var check = o.Events.OnValidatePrincipal;
            o.Events.OnValidatePrincipal = c => { Interlocked.Increment(ref checks); return check(c); };
        }));
        var cookies = new CookieContainer();
        using var http = server.Http(cookies);
        (await http.PostAsJsonAsync("/api/auth/login", new { agentId = "demo", password = "demo" })).EnsureSuccessStatusCode();

        await using var widget = new HubConnectionBuilder().WithUrl($"{server.Url}/hubs/visitor?site=demo", o => o.Cookies = cookies).Build();
        await widget.StartAsync(); // negotiate, then the WebSocket, both with the agent's cookie
        var hello = await widget.InvokeAsync<HelloResult>("Hello", new HelloRequest(null, null, new PageInfo("http://127.0.0.1/", "Home")));
        Assert.NotNull(hello.VisitorId);
        Assert.Equal(0, Volatile.Read(ref checks));

        (await http.GetAsync("/api/auth/me")).EnsureSuccessStatusCode();
        Assert.Equal(1, Volatile.Read(ref checks));
    }
}
