using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LiveChat.Cluster.Tests.Infrastructure;
using LiveChat.Contracts;
using Microsoft.AspNetCore.SignalR;
using StackExchange.Redis;

namespace LiveChat.Cluster.Tests;

/// <summary>
/// Per-situation figures add up across a node kill (issue 16): each node sums its visitors' events and flushes them
/// every few seconds, so a SIGKILL loses what its aggregator held; the visitor grains resend from their state when
/// they come back on the survivor, and the stats grain counts each event once.
/// </summary>
public sealed class StatsClusterTests
{
    private const string Rule = """[{"id":"load","situation":"Checkout help","when":{"pageMatches":"/checkout","timeOnPageSeconds":1},"then":{"text":"Need help?"},"onlyIfAgentAvailable":false,"maxPerVisit":1}]""";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static readonly System.Diagnostics.Stopwatch Clock = System.Diagnostics.Stopwatch.StartNew();
    private static void Step(string what)
    {
        TestContext.Current.TestOutputHelper?.WriteLine($"[{Clock.Elapsed.TotalSeconds,6:0.0} s] {what}");
        if (Environment.GetEnvironmentVariable("LIVECHAT_TEST_STEPS") is { Length: > 0 } file) File.AppendAllText(file, $"[{Clock.Elapsed.TotalSeconds,6:0.0} s] {what}\n");
    }

    [Fact(Timeout = 300_000)]
    public async Task AThousandInvitationsAreCountedExactlyOnceEachAcrossANodeKill()
    {
        // A long flush, so the killed node certainly dies holding events it never sent.
        await using var cluster = await LiveCluster.Start(nodeCount: 2, environment: new Dictionary<string, string> { ["LiveChat__Timings__StatsFlush"] = "00:00:05" });
        var (survivor, doomed) = (cluster[0], cluster[1]);
        Step("two nodes ready");
        var ct = TestContext.Current.CancellationToken;
        using var admin = await SignIn(survivor);
        (await admin.PutAsync($"{survivor.Url}/api/sites/{LiveCluster.Site}/rules", new StringContent(Rule, System.Text.Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        await Task.Delay(TimeSpan.FromSeconds(3), ct); // both nodes' cached rules are at most SiteRefresh (2 s) old
        await Settle(cluster, survivor);
        await Settle(cluster, doomed);
        Step("both nodes answer Hello");

        // Two waves of 500 (half on each node): the first wave's figures are flushed before the kill, the second's are
        // still in the doomed node's aggregator. Its visitor grains resend both waves: the first must not count twice.
        var first = await Wave(cluster, survivor, doomed, 500);
        Step("first wave invited");
        await Task.Delay(TimeSpan.FromSeconds(8), ct);
        var second = await Wave(cluster, survivor, doomed, 500);
        Step("second wave invited; killing node B");
        doomed.Kill();
        var orphans = first.Concat(second).Where(v => v.Node == doomed).ToList();
        await Task.WhenAll(first.Concat(second).Select(v => v.Visitor.DisposeAsync().AsTask()));
        Step("connections closed");

        // What the widget does: connect again (to the survivor) and Hello with its id and token, until the grain is back.
        using var gate = new SemaphoreSlim(100);
        var resumed = 0;
        var resuming = Task.WhenAll(orphans.Select(async v =>
        {
            await gate.WaitAsync();
            try
            {
                var again = await Resume(cluster, survivor, v.Hello);
                Interlocked.Increment(ref resumed);
                _ = again.DisposeAsync().AsTask();
            }
            finally { gate.Release(); }
        }));

        while (!resuming.IsCompleted) { Step($"{resumed} of {orphans.Count} resumed"); await Task.WhenAny(resuming, Task.Delay(5000, ct)); }
        await resuming;
        Step($"{orphans.Count} visitors of node B resumed on node A");
        var shown = 0;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline && (shown = await Shown(admin, survivor)) < 1000) await Task.Delay(500, ct);
        Step($"shown: {shown}");
        await Task.Delay(TimeSpan.FromSeconds(12), ct); // more than two flushes: anything counted twice would show now
        Assert.Equal(1000, await Shown(admin, survivor));
        Assert.Equal(1000, shown);

        await ReportRedisBytesPerVisitor(cluster);
    }

    private sealed record Arrival(ClusterVisitor Visitor, ServerNode Node, HelloResult Hello);

    /// <summary>
    /// Visitors on a page no rule matches, until 10 in a row are answered: a cluster that has just formed can hold a
    /// call past the client's limit while it settles, and a wave's Hello given up on could still count an invitation.
    /// </summary>
    private static async Task Settle(LiveCluster cluster, ServerNode node)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        for (var answered = 0; answered < 10;)
        {
            await using var visitor = await cluster.Visitor(node);
            try { await visitor.Hello(path: "/settling"); answered++; }
            catch (Exception e) when (DateTime.UtcNow < deadline && e is HubException or OperationCanceledException)
            {
                Step($"settling {node}: {e.GetType().Name} {e.Message}");
                answered = 0;
            }
        }
    }

    private static async Task<List<Arrival>> Wave(LiveCluster cluster, ServerNode a, ServerNode b, int count)
    {
        using var gate = new SemaphoreSlim(50);
        var arrivals = await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                var node = i % 2 == 0 ? a : b;
                // What the widget does with "please retry" while a new cluster settles: a new connection, Hello again.
                for (var attempt = 1; ; attempt++)
                {
                    var visitor = await cluster.Visitor(node);
                    try { return new Arrival(visitor, node, await visitor.Hello()); }
                    catch (HubException e) when (attempt < 5 && e.Message.Contains("please retry"))
                    {
                        Step($"hello on {node}: {e.Message}; again");
                        await visitor.DisposeAsync();
                        await Task.Delay(250);
                    }
                }
            }
            finally { gate.Release(); }
        }));
        foreach (var arrival in arrivals) await arrival.Visitor.Invitations.Next(_ => true, seconds: 30);
        return [.. arrivals];
    }

    private static async Task<ClusterVisitor> Resume(LiveCluster cluster, ServerNode node, HelloResult identity)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            ClusterVisitor? visitor = null;
            try
            {
                visitor = await cluster.Visitor(node);
                var hello = await visitor.Hello(identity.VisitorId, identity.Token);
                Assert.Equal(identity.VisitorId, hello.VisitorId);
                return visitor;
            }
            catch (Exception e) when (DateTime.UtcNow < deadline && e is HubException or IOException or HttpRequestException or TimeoutException or OperationCanceledException or InvalidOperationException)
            {
                Step($"resume of {identity.VisitorId}: {e.GetType().Name} {e.Message}");
                if (visitor is not null) await visitor.DisposeAsync();
                await Task.Delay(250);
            }
        }
    }

    private static async Task<HttpClient> SignIn(ServerNode node)
    {
        var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { Timeout = TimeSpan.FromSeconds(20) };
        (await http.PostAsJsonAsync($"{node.Url}/api/auth/login", new { agentId = LiveCluster.AgentId, password = LiveCluster.Password })).EnsureSuccessStatusCode();
        return http;
    }

    private static async Task<int> Shown(HttpClient admin, ServerNode node)
    {
        var from = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(-1).ToString("O"));
        using var doc = JsonDocument.Parse(await admin.GetStringAsync($"{node.Url}/api/sites/{LiveCluster.Site}/stats?from={from}"));
        return doc.RootElement.GetProperty("situations").EnumerateArray()
            .Where(s => s.GetProperty("situation").GetString() == "Checkout help").Sum(s => s.GetProperty("shown").GetInt32());
    }

    /// <summary>Visitor state as Redis stores it, per visitor (issue 16 asks for the figure): written to the test output.</summary>
    private static async Task ReportRedisBytesPerVisitor(LiveCluster cluster)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(cluster.Redis.ConnectionString);
        var server = redis.GetServer(redis.GetEndPoints()[0]);
        var db = redis.GetDatabase();
        long count = 0, bytes = 0, memory = 0;
        await foreach (var key in server.KeysAsync(pattern: "*visitor*", pageSize: 500))
        {
            var type = await db.KeyTypeAsync(key);
            var size = type == RedisType.Hash ? (await db.HashGetAllAsync(key)).Sum(e => (long)((byte[])e.Value!).Length) : (long)(await db.StringLengthAsync(key));
            var used = (long)(await db.ExecuteAsync("MEMORY", "USAGE", key.ToString()));
            count++; bytes += size; memory += used;
        }
        Step($"REDIS: {count} visitor states, {bytes / Math.Max(1, count)} bytes of state each, {memory / Math.Max(1, count)} bytes of Redis memory each (MEMORY USAGE)");
        Assert.InRange(count, 1000, 1100);
        Assert.InRange(bytes / count, 1, 4096); // small and bounded: journey and outbox are capped
    }
}
