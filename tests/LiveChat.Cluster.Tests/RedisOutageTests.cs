using System.Diagnostics;
using System.Net;
using LiveChat.Cluster.Tests.Infrastructure;
using LiveChat.Contracts;
using Microsoft.AspNetCore.SignalR;

namespace LiveChat.Cluster.Tests;

/// <summary>Redis goes away and comes back (with its append-only file, as recommended): nodes say so, refuse clearly, and heal alone.</summary>
public sealed class RedisOutageTests
{
    [Fact]
    public async Task NodesAreUnreadyWhileRedisIsDownAndRecoverByThemselves()
    {
        await using var cluster = await LiveCluster.Start(nodeCount: 2, redisAppendOnly: true);
        var (a, b) = (cluster[0], cluster[1]);
        await using var agent = await cluster.Agent(b, b);
        await agent.Online(capacity: 5);
        await using var visitor = await cluster.Visitor(a);
        await visitor.Hello();
        var chat = await visitor.StartChat("Hello?");
        await agent.Assigned.Next(x => x.Conversation.ConversationId == chat.ConversationId);
        var before = await visitor.Send("before the outage");

        await cluster.Redis.Stop();

        await Ports.Until(async () => await a.Ready() == HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(30), "node A /health/ready → 503");
        Assert.Equal(HttpStatusCode.OK, await HttpGet($"{a.Url}/health/live"));
        var refused = await Assert.ThrowsAsync<HubException>(() => visitor.Send("during the outage"));
        Assert.Contains("retry", refused.Message);

        await cluster.Redis.Start();
        var clock = Stopwatch.StartNew();
        await Ports.Until(async () => await a.Ready() == HttpStatusCode.OK && await b.Ready() == HttpStatusCode.OK,
            TimeSpan.FromSeconds(60), "both nodes ready again after Redis returned");

        MessageAck? after = null;
        var clientMessageId = Guid.NewGuid().ToString("n");
        await Ports.Until(async () =>
        {
            try { after = await visitor.Send("after the outage", clientMessageId); return true; }
            catch (HubException) { return false; }
        }, TimeSpan.FromSeconds(30), "a send acknowledged after Redis returned", pollMs: 250);
        TestContext.Current.TestOutputHelper?.WriteLine($"RECOVERY: Redis back -> nodes ready and first acknowledged send: {clock.Elapsed.TotalSeconds:0.0} s");

        Assert.Equal(before.Sequence + 1, after!.Sequence); // the refused message left no gap and no ghost
        // A push published while the backplane's own Redis connection is still resubscribing is lost (pub/sub);
        // the message is not: clients resync by sequence. Then live pushes flow again, by themselves.
        Assert.Contains((await visitor.GetMessages(before.Sequence)), m => m.MessageId == after.MessageId);
        var delivered = false;
        for (var attempt = 0; attempt < 15 && !delivered; attempt++)
        {
            await agent.Send(chat.ConversationId, $"Back with you ({attempt}).");
            try { await visitor.Messages.Next(m => m.From == Senders.Agent && m.Text == $"Back with you ({attempt}).", 2); delivered = true; }
            catch (TimeoutException) { }
        }
        Assert.True(delivered, "agent → visitor pushes across nodes resumed after Redis returned");
    }

    private static async Task<HttpStatusCode> HttpGet(string url)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        using var response = await http.GetAsync(url);
        return response.StatusCode;
    }
}
