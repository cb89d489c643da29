using System.Diagnostics;
using LiveChat.Cluster.Tests.Infrastructure;
using LiveChat.Contracts;
using Microsoft.AspNetCore.SignalR;

namespace LiveChat.Cluster.Tests;

/// <summary>A node dies (SIGKILL) mid-conversation: nothing acknowledged is lost and its visitors carry on on a survivor.</summary>
public sealed class NodeFailureTests
{
    /// <summary>Generous: failure detection is tuned to a few seconds; minutes would mean the tuning is not applied.</summary>
    private static readonly TimeSpan RecoveryLimit = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task VisitorsOfAKilledNodeResumeOnTheSurvivorWithEveryAcknowledgedMessage()
    {
        var total = Stopwatch.StartNew();
        void Step(string what) => TestContext.Current.TestOutputHelper?.WriteLine($"[{total.Elapsed.TotalSeconds,5:0.0} s] {what}");
        await using var cluster = await LiveCluster.Start(nodeCount: 2);
        Step("two nodes ready");
        var (doomed, survivor) = (cluster[0], cluster[1]);
        await using var agent = await cluster.Agent(survivor, survivor);
        await agent.Online(capacity: 1);

        // Visitor 1 chats with the agent; visitor 2 waits in the queue (the agent's one seat is taken). Both on the doomed node,
        // so their visitor and conversation grains — and the site grain, seeded by node A — live there.
        var visitor = await cluster.Visitor(doomed);
        var identity = await visitor.Hello();
        var chat = await visitor.StartChat("I was charged twice");
        await agent.Assigned.Next(a => a.Conversation.ConversationId == chat.ConversationId);
        var acked = new List<MessageAck>
        {
            await visitor.Send("Order 5521"),
            await agent.Send(chat.ConversationId, "Let me check that for you."),
            await visitor.Send("Both on the 3rd"),
        };
        var waiting = await cluster.Visitor(doomed);
        await waiting.Hello();
        var queued = await waiting.StartChat("Anyone there?");
        Assert.Equal(1, queued.QueuePosition);

        Step("chatting; one visitor queued");
        var clock = Stopwatch.StartNew();
        doomed.Kill();
        await visitor.DisposeAsync();
        await waiting.DisposeAsync();

        // What the widget does: connect again (the load balancer sends it to a live node), Hello with its token,
        // resend the unacknowledged message under the same client message id until it is acknowledged.
        var (resumed, hello, ack) = await Reconnect(cluster, survivor, identity, "Are you still there?", clock);
        var recovered = clock.Elapsed;
        await using var _ = resumed;
        TestContext.Current.TestOutputHelper?.WriteLine($"RECOVERY: SIGKILL -> first acknowledged send on the survivor: {recovered.TotalSeconds:0.0} s");
        Step("resumed on the survivor");
        Assert.True(recovered < RecoveryLimit, $"recovery took {recovered.TotalSeconds:0.0} s");

        Assert.Equal(identity.VisitorId, hello.VisitorId);
        Assert.Equal(chat.ConversationId, hello.Conversation?.ConversationId);
        var all = await resumed.GetMessages(afterSequence: 0);
        foreach (var a in acked) Assert.Contains(all, m => m.MessageId == a.MessageId && m.Sequence == a.Sequence);
        Assert.Equal(all.Select(m => m.Sequence), Enumerable.Range(1, all.Count).Select(i => (long)i)); // gap-free
        var newer = await resumed.GetMessages(afterSequence: acked.Max(a => a.Sequence));
        Assert.Contains(newer, m => m.MessageId == ack.MessageId && m.Text == "Are you still there?");

        Step("history checked");
        // New messages flow both ways; the assignment and the queue survived the node.
        await agent.Messages.Next(m => m.MessageId == ack.MessageId);
        await agent.Send(chat.ConversationId, "Yes, refund on its way.");
        await resumed.Messages.Next(m => m.Text == "Yes, refund on its way.");
        Step("new messages flow both ways");
        var detail = await agent.GetConversation(chat.ConversationId);
        Assert.Equal(LiveCluster.AgentId, detail.Conversation.AgentId);
        Assert.Contains(await agent.GetQueue(), q => q.ConversationId == queued.ConversationId);
        Step("assignment and queue intact");
    }

    private static async Task<(ClusterVisitor, HelloResult, MessageAck)> Reconnect(
        LiveCluster cluster, ServerNode node, HelloResult identity, string text, Stopwatch clock)
    {
        var clientMessageId = Guid.NewGuid().ToString("n");
        Exception? last = null;
        while (clock.Elapsed < RecoveryLimit)
        {
            ClusterVisitor? visitor = null;
            try
            {
                visitor = await cluster.Visitor(node);
                var hello = await visitor.Hello(identity.VisitorId, identity.Token);
                var ack = await visitor.Send(text, clientMessageId);
                return (visitor, hello, ack);
            }
            catch (Exception e) when (e is HubException or IOException or HttpRequestException or TimeoutException or OperationCanceledException or InvalidOperationException)
            {
                last = e;
                if (visitor is not null) await visitor.DisposeAsync();
                await Task.Delay(250);
            }
        }
        throw new TimeoutException($"no acknowledged send within {RecoveryLimit.TotalSeconds} s; last error: {last?.Message}", last);
    }
}
