using LiveChat.Contracts;
using LiveChat.Grains.Tests.Infrastructure;

namespace LiveChat.Grains.Tests;

public sealed class ConversationGrainTests(GrainCluster cluster) : IClassFixture<GrainCluster>
{
    private readonly string site = GrainCluster.NewId("site");

    private async Task<IConversationGrain> Started(string? agentId = null)
    {
        var entry = await cluster.NewConversation(site);
        var conversation = cluster.Conversation(entry.ConversationId);
        if (agentId is not null) await conversation.Assign(agentId, Scenes.Name(agentId), null);
        return conversation;
    }

    [Fact]
    public async Task StartedConversationIsQueuedWithNoMessages()
    {
        var entry = await cluster.NewConversation(site, "r", "Comparing rates");

        var view = await cluster.View(entry.ConversationId);

        Assert.Equal(ConversationStatus.Queued, view.Status);
        Assert.Equal((site, entry.VisitorId, "r", "Comparing rates"), (view.SiteId, view.VisitorId, view.RuleId, view.Situation));
        Assert.Null(view.AgentId);
        Assert.Empty(view.Messages);
    }

    [Fact]
    public async Task StartingTwiceKeepsTheFirstStart()
    {
        var entry = await cluster.NewConversation(site, "first", null);

        var again = await cluster.Conversation(entry.ConversationId).Start(site, "someone-else", "second", null);

        Assert.Equal((entry.VisitorId, "first"), (again.VisitorId, again.RuleId));
    }

    [Fact]
    public async Task MessagesAreNumberedOneToNWithoutGapsEvenWhenSentConcurrently()
    {
        var conversation = await Started("a");

        var acks = await Task.WhenAll(Enumerable.Range(1, 40).Select(i =>
            conversation.Append(i % 2 == 0 ? Senders.Visitor : Senders.Agent, i % 2 == 0 ? "v" : "a", null, $"cm-{i}", $"text {i}")));

        Assert.Equal(Enumerable.Range(2, 40).Select(i => (long)i), acks.Select(a => a.Sequence).Order());
        var messages = await conversation.GetMessages(0);
        Assert.Equal(Enumerable.Range(1, 41).Select(i => (long)i), messages.Select(m => m.Sequence));
        Assert.Equal(Senders.System, messages[0].From); // "Agent a joined the chat."
        Assert.Equal(messages.Count, messages.Select(m => m.MessageId).Distinct().Count());
    }

    [Fact]
    public async Task RetryWithTheSameClientMessageIdReturnsTheFirstAckAndStoresOneMessage()
    {
        var conversation = await Started();

        var first = await conversation.Append(Senders.Visitor, "v", null, "cm-1", "hello");
        var retry = await conversation.Append(Senders.Visitor, "v", null, "cm-1", "hello");

        Assert.Equal(first, retry);
        Assert.Single(await conversation.GetMessages(0));
    }

    [Fact]
    public async Task SameClientMessageIdFromAnotherSenderIsANewMessage()
    {
        var conversation = await Started("a");

        var fromVisitor = await conversation.Append(Senders.Visitor, "v", null, "cm-1", "hello");
        var fromAgent = await conversation.Append(Senders.Agent, "a", "Agent a", "cm-1", "hi there");

        Assert.NotEqual(fromVisitor.MessageId, fromAgent.MessageId);
        Assert.Equal(fromVisitor.Sequence + 1, fromAgent.Sequence);
    }

    [Fact]
    public async Task RetryOfAnAcknowledgedMessageStillGetsItsAckAfterTheChatClosed()
    {
        var conversation = await Started();
        var first = await conversation.Append(Senders.Visitor, "v", null, "cm-1", "hello");
        await conversation.Close(Senders.Visitor, "ended by visitor");

        Assert.Equal(first, await conversation.Append(Senders.Visitor, "v", null, "cm-1", "hello"));
    }

    [Fact]
    public async Task AgentWhoIsNotAssignedIsRefused()
    {
        var queued = await Started();
        var assigned = await Started("a");

        await Assert.ThrowsAsync<RefusedException>(() => queued.Append(Senders.Agent, "a", "Agent a", "cm-1", "hi"));
        var ex = await Assert.ThrowsAsync<RefusedException>(() => assigned.Append(Senders.Agent, "b", "Agent b", "cm-1", "hi"));
        Assert.Contains("not assigned to you", ex.Message);
        Assert.Equal(2, (await assigned.Append(Senders.Agent, "a", "Agent a", "cm-1", "hi")).Sequence);
    }

    [Fact]
    public async Task ClosedConversationRefusesNewMessages()
    {
        var conversation = await Started("a");
        await conversation.Close(Senders.Agent, "resolved");

        await Assert.ThrowsAsync<RefusedException>(() => conversation.Append(Senders.Visitor, "v", null, "cm-new", "are you there?"));
        await Assert.ThrowsAsync<RefusedException>(() => conversation.Append(Senders.Agent, "a", "Agent a", "cm-new", "yes"));
        var view = await conversation.GetView();
        Assert.Equal(ConversationStatus.Closed, view!.Status);
        Assert.Equal(cluster.Clock.GetUtcNow(), view.EndedAt);
    }

    [Fact]
    public async Task ClosingTellsTheVisitorAndTheAgentAndAddsASystemMessage()
    {
        var entry = await cluster.NewConversation(site);
        var conversation = cluster.Conversation(entry.ConversationId);
        var agentId = GrainCluster.NewId("a");
        await conversation.Assign(agentId, "Ann", null);

        await conversation.Close(Senders.Visitor, "ended by visitor");

        var ended = await cluster.Visitors.Pushes.Next<ChatEndedView>(Keys.Of(site, entry.VisitorId));
        Assert.Equal((entry.ConversationId, "ended by visitor"), (ended.ConversationId, ended.Reason));
        var closed = await cluster.Agents.Pushes.Next<ConversationClosedView>(agentId);
        Assert.Equal(entry.ConversationId, closed.ConversationId);
        var last = (await conversation.GetMessages(0))[^1];
        Assert.Equal((Senders.System, "The chat has ended."), (last.From, last.Text));
    }

    [Fact]
    public async Task AppendToAConversationThatWasNeverStartedIsRefused()
    {
        var ex = await Assert.ThrowsAsync<RefusedException>(() =>
            cluster.Conversation(GrainCluster.NewId("c")).Append(Senders.Visitor, "v", null, "cm-1", "hello"));
        Assert.Contains("no such conversation", ex.Message);
    }

    [Theory]
    [InlineData(0, new long[] { 1, 2, 3, 4, 5 })]
    [InlineData(3, new long[] { 4, 5 })]
    [InlineData(5, new long[0])]
    [InlineData(99, new long[0])]
    public async Task GetMessagesReturnsOnlyThoseAfterTheGivenSequence(long after, long[] expected)
    {
        var conversation = await Started();
        for (var i = 1; i <= 5; i++) await conversation.Append(Senders.Visitor, "v", null, $"cm-{i}", $"text {i}");

        var messages = await conversation.GetMessages(after);

        Assert.Equal(expected, messages.Select(m => m.Sequence));
        Assert.All(messages, m => Assert.Equal($"text {m.Sequence}", m.Text));
    }

    [Fact]
    public async Task AssigningAddsAJoinedMessageAndTellsVisitorAndAgent()
    {
        var entry = await cluster.NewConversation(site);
        var agentId = GrainCluster.NewId("a");

        await cluster.Conversation(entry.ConversationId).Assign(agentId, "Ann", null);

        var view = await cluster.View(entry.ConversationId);
        Assert.Equal((ConversationStatus.Active, agentId, "Ann"), (view.Status, view.AgentId, view.AgentName));
        Assert.Equal("Ann joined the chat.", Assert.Single(view.Messages).Text);
        Assert.Equal("Ann", (await cluster.Visitors.Pushes.Next<AgentJoinedView>(Keys.Of(site, entry.VisitorId))).Name);
        Assert.Equal(entry.ConversationId, (await cluster.Agents.Pushes.Next<ConversationAssignedView>(agentId)).Conversation.ConversationId);
    }

    [Fact]
    public async Task EveryMessageIsPushedToTheVisitorAndToTheAssignedAgent()
    {
        var entry = await cluster.NewConversation(site);
        var conversation = cluster.Conversation(entry.ConversationId);
        var agentId = GrainCluster.NewId("a");
        await conversation.Assign(agentId, "Ann", null);

        var ack = await conversation.Append(Senders.Visitor, entry.VisitorId, null, "cm-1", "hello");

        var toVisitor = await cluster.Visitors.Pushes.Next<ChatMessage>(Keys.Of(site, entry.VisitorId), m => m.Sequence == ack.Sequence);
        var toAgent = await cluster.Agents.Pushes.Next<ChatMessage>(agentId, m => m.Sequence == ack.Sequence);
        Assert.Equal((ack.MessageId, "hello", "cm-1"), (toVisitor.MessageId, toVisitor.Text, toVisitor.ClientMessageId));
        Assert.Equal(toVisitor, toAgent);
    }

    [Fact]
    public async Task RequeueReturnsTheChatToQueuedWithASystemMessage()
    {
        var entry = await cluster.NewConversation(site);
        var conversation = cluster.Conversation(entry.ConversationId);
        await conversation.Append(Senders.Visitor, entry.VisitorId, null, "cm-1", "my card was declined");
        await conversation.Assign("a", "Ann", null);

        var requeued = await conversation.Requeue(SystemText.Disconnected("Ann"));

        Assert.NotNull(requeued);
        Assert.Equal((entry.ConversationId, entry.VisitorId, "my card was declined"), (requeued.ConversationId, requeued.VisitorId, requeued.FirstMessage));
        var view = await cluster.View(entry.ConversationId);
        Assert.Equal(ConversationStatus.Queued, view.Status);
        Assert.Null(view.AgentId);
        Assert.Equal((Senders.System, SystemText.AgentDisconnected, "Ann", 3L), (view.Messages[^1].From, view.Messages[^1].Code, view.Messages[^1].Params?["agent"], view.Messages[^1].Sequence));
        Assert.StartsWith("Ann was disconnected.", view.Messages[^1].Text);
        await Assert.ThrowsAsync<RefusedException>(() => conversation.Append(Senders.Agent, "a", "Ann", "cm-2", "still here"));
    }

    [Fact]
    public async Task RequeueOfAClosedChatDoesNothing()
    {
        var conversation = await Started("a");
        await conversation.Close(Senders.Agent, "resolved");
        var before = (await conversation.GetMessages(0)).Count;

        Assert.Null(await conversation.Requeue(SystemText.Disconnected("Ann")));
        Assert.Equal(before, (await conversation.GetMessages(0)).Count);
    }

    [Fact]
    public async Task TypingReachesTheOtherSideOnly()
    {
        var entry = await cluster.NewConversation(site);
        var conversation = cluster.Conversation(entry.ConversationId);
        var agentId = GrainCluster.NewId("a");
        await conversation.Assign(agentId, "Ann", null);

        await conversation.Typing(Senders.Visitor, entry.VisitorId, true);
        await conversation.Typing(Senders.Agent, "someone-else", true);
        await conversation.Typing(Senders.Agent, agentId, false);

        var toAgent = await cluster.Agents.Pushes.Next<TypingView>(agentId);
        Assert.Equal((Senders.Visitor, true), (toAgent.From, toAgent.IsTyping));
        var toVisitor = Assert.Single(cluster.Visitors.Pushes.To<TypingView>(Keys.Of(site, entry.VisitorId)));
        Assert.Equal((Senders.Agent, false), (toVisitor.From, toVisitor.IsTyping));
    }
}
