using LiveChat.Cluster.Tests.Infrastructure;
using LiveChat.Contracts;

namespace LiveChat.Cluster.Tests;

/// <summary>Two nodes behave as one server: pushes cross nodes over the backplane; tokens and cookies are valid on every node.</summary>
public sealed class CrossNodeChatTests(TwoNodes fixture) : IClassFixture<TwoNodes>
{
    private LiveCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task VisitorOnOneNodeChatsWithAgentOnAnother()
    {
        // Signed in on A, console connected to B: the auth cookie is valid on every node (shared Data Protection keys).
        await using var agent = await Cluster.Agent(signInOn: Cluster[0], hubOn: Cluster[1]);
        await agent.Online(capacity: 20);
        await using var visitor = await Cluster.Visitor(Cluster[0]);
        await visitor.Hello();

        var started = await visitor.StartChat("Is the blue one in stock?");
        var assigned = await agent.Assigned.Next(a => a.Conversation.ConversationId == started.ConversationId);
        Assert.Contains(assigned.Conversation.Messages, m => m.Text == "Is the blue one in stock?");
        Assert.Equal(LiveCluster.AgentName, (await visitor.Joined.Next(j => j.ConversationId == started.ConversationId)).Name);

        await agent.Send(started.ConversationId, "Yes, three left.");
        var toVisitor = await visitor.Messages.Next(m => m.From == Senders.Agent && m.Text == "Yes, three left.");
        Assert.Equal(started.ConversationId, toVisitor.ConversationId);

        var ack = await visitor.Send("Great, thanks!");
        var toAgent = await agent.Messages.Next(m => m.From == Senders.Visitor && m.Text == "Great, thanks!");
        Assert.Equal(ack.MessageId, toAgent.MessageId);
        Assert.Equal(ack.Sequence, toAgent.Sequence);
    }

    [Fact]
    public async Task VisitorTokenFromOneNodeResumesTheConversationOnAnother()
    {
        await using var agent = await Cluster.Agent(signInOn: Cluster[1], hubOn: Cluster[1]);
        await agent.Online(capacity: 20);

        HelloResult first;
        StartChatResult started;
        MessageAck ack;
        await using (var onA = await Cluster.Visitor(Cluster[0]))
        {
            first = await onA.Hello();
            started = await onA.StartChat("My order has not arrived");
            ack = await onA.Send("Order 1234");
        }

        await using var onB = await Cluster.Visitor(Cluster[1]);
        var resumed = await onB.Hello(first.VisitorId, first.Token);

        Assert.Equal(first.VisitorId, resumed.VisitorId);
        Assert.NotNull(resumed.Conversation);
        Assert.Equal(started.ConversationId, resumed.Conversation.ConversationId);
        Assert.Contains(resumed.Conversation.Messages, m => m.MessageId == ack.MessageId && m.Text == "Order 1234");
        var more = await onB.Send("Still waiting");
        Assert.Equal(ack.Sequence + 1, more.Sequence);
    }

    [Fact]
    public async Task ForgedTokenGetsAFreshIdentityOnAnyNode()
    {
        await using var onA = await Cluster.Visitor(Cluster[0]);
        var real = await onA.Hello();
        await using var onB = await Cluster.Visitor(Cluster[1]);

        var forged = await onB.Hello(real.VisitorId, real.Token[..^4] + "AAAA");

        Assert.NotEqual(real.VisitorId, forged.VisitorId);
    }
}
