using LiveChat.Contracts;
using LiveChat.Grains.Tests.Infrastructure;

namespace LiveChat.Grains.Tests;

public sealed class SiteRoutingTests(GrainCluster cluster) : IClassFixture<GrainCluster>
{
    private readonly string site = GrainCluster.NewId("site");
    private ISiteGrain Site => cluster.Site(site);

    private async Task<IReadOnlyList<string>> Queue() => (await Site.GetQueue()).Select(q => q.ConversationId).ToList();

    private async Task<int> OpenChats(string agentId) => (await Site.GetAgents()).Single(a => a.AgentId == agentId).OpenChats;

    [Fact]
    public async Task ChatGoesToTheLeastLoadedAgentWithRoom()
    {
        await cluster.Online(site, "a", capacity: 3);
        await cluster.Online(site, "b", capacity: 3);
        await cluster.Online(site, "c", capacity: 3);
        await cluster.NewChat(site); // → a
        await cluster.NewChat(site); // → b

        var (entry, routed) = await cluster.NewChat(site);

        Assert.Equal("c", routed.AgentId);
        Assert.Null(routed.QueuePosition);
        var view = await cluster.View(entry.ConversationId);
        Assert.Equal((ConversationStatus.Active, "c", "Agent c"), (view.Status, view.AgentId, view.AgentName));
    }

    [Fact]
    public async Task EquallyLoadedAgentsAreChosenByIdInOrdinalOrder()
    {
        await cluster.Online(site, "b-agent");
        await cluster.Online(site, "a-agent");
        await cluster.Online(site, "B-agent", capacity: 0);

        var routed = new List<string?>();
        for (var i = 0; i < 4; i++) routed.Add((await cluster.NewChat(site)).Routed.AgentId);

        Assert.Equal(["a-agent", "b-agent", "a-agent", "b-agent"], routed);
    }

    [Fact]
    public async Task AgentAtCapacityOrAwayGetsNoChat()
    {
        await cluster.Online(site, "full", capacity: 1);
        await cluster.NewChat(site);
        await Site.UpdateAgent(new AgentInfo("away", "Away", AgentStatus.Away, 3, 0));

        var (entry, routed) = await cluster.NewChat(site);

        Assert.Null(routed.AgentId);
        Assert.Equal(1, routed.QueuePosition);
        Assert.Equal(ConversationStatus.Queued, (await cluster.View(entry.ConversationId)).Status);
        Assert.False(await Site.IsAgentAvailable());
    }

    [Fact]
    public async Task WithNobodyOnlineChatsQueueInArrivalOrderAndAreServedFirstInFirstOut()
    {
        var chats = new List<string>();
        for (var i = 1; i <= 3; i++)
        {
            var (entry, routed) = await cluster.NewChat(site);
            Assert.Equal((null, i), (routed.AgentId, routed.QueuePosition));
            chats.Add(entry.ConversationId);
        }
        Assert.Equal(chats, await Queue());

        await cluster.Online(site, "a", capacity: 2);

        Assert.Equal([chats[2]], await Queue());
        Assert.Equal("a", (await cluster.View(chats[0])).AgentId);
        Assert.Equal("a", (await cluster.View(chats[1])).AgentId);
        Assert.Equal(ConversationStatus.Queued, (await cluster.View(chats[2])).Status);
        var position = await cluster.Visitors.Pushes.Next<QueueView>(Keys.Of(site, (await Site.GetQueue())[0].VisitorId), q => q.Position == 1);
        Assert.Equal(chats[2], position.ConversationId);
    }

    [Fact]
    public async Task AQueueMoveTellsEveryWaitingVisitorTheirPlaceInOneNotifierCall()
    {
        var chats = new List<QueueEntry>();
        for (var i = 0; i < 3; i++) chats.Add((await cluster.NewChat(site)).Entry);

        // One call per change of the queue, with everyone waiting then (the grain awaits no push per visitor).
        var batches = cluster.Visitors.Pushes.To<IReadOnlyList<QueuedVisitor>>(site);
        Assert.Equal([1, 2, 3], batches.Select(b => b.Count));
        Assert.Equal(chats.Select(c => c.VisitorId), batches[^1].Select(q => q.VisitorId));
        Assert.Equal([1, 2, 3], batches[^1].Select(q => q.Queue.Position));

        await Site.Release(null, chats[0].ConversationId, null); // the first visitor gave up: those behind move up
        var moved = await cluster.Visitors.Pushes.Next<IReadOnlyList<QueuedVisitor>>(site, b => b.All(q => q.VisitorId != chats[0].VisitorId));
        Assert.Equal([(chats[1].VisitorId, 1), (chats[2].VisitorId, 2)], moved.Select(q => (q.VisitorId, q.Queue.Position)));
    }

    [Fact]
    public async Task EnqueueingTheSameChatTwiceKeepsOnePlace()
    {
        var (entry, first) = await cluster.NewChat(site);

        var again = await Site.Enqueue(entry);

        Assert.Equal(first.QueuePosition, again.QueuePosition);
        Assert.Equal([entry.ConversationId], await Queue());
    }

    [Fact]
    public async Task WithNobodyOnlineTheWaitIsUnknownAndTheAlternativesAreOffered()
    {
        var (_, routed) = await cluster.NewChat(site);

        Assert.Null(routed.EstimatedWaitSeconds);
        Assert.True(routed.NobodySoon);
    }

    [Fact]
    public async Task WaitEstimateGrowsWithThePositionAndOffersAlternativesPastTheSiteLimit()
    {
        await cluster.Online(site, "a", capacity: 1);
        await cluster.NewChat(site); // a is now full

        var (_, first) = await cluster.NewChat(site);
        var (_, second) = await cluster.NewChat(site);

        // No handling times yet: 180 s per chat, over one seat; the default limit is 300 s.
        Assert.Equal((1, 180, false), (first.QueuePosition, first.EstimatedWaitSeconds, first.NobodySoon));
        Assert.Equal((2, 360, true), (second.QueuePosition, second.EstimatedWaitSeconds, second.NobodySoon));
    }

    [Fact]
    public async Task AcceptTakesAWaitingChat()
    {
        var (entry, _) = await cluster.NewChat(site);
        await Site.UpdateAgent(new AgentInfo("a", "Ann", AgentStatus.Away, 2, 0));

        await Site.Accept("a", entry.ConversationId);
        await Site.Accept("a", entry.ConversationId); // a repeated click changes nothing

        Assert.Empty(await Queue());
        Assert.Equal(1, await OpenChats("a"));
        Assert.Equal(("a", "Ann"), ((await cluster.View(entry.ConversationId)).AgentId, (await cluster.View(entry.ConversationId)).AgentName));
    }

    [Fact]
    public async Task AcceptIsRefusedForAnUnknownAgentAChatNotWaitingOrAnAgentAtCapacity()
    {
        var (waiting, _) = await cluster.NewChat(site);
        var (other, _) = await cluster.NewChat(site);
        await Site.UpdateAgent(new AgentInfo("a", "Ann", AgentStatus.Away, 1, 0));

        var unknown = await Assert.ThrowsAsync<RefusedException>(() => Site.Accept("nobody", waiting.ConversationId));
        Assert.Contains("online first", unknown.Message);
        var notWaiting = await Assert.ThrowsAsync<RefusedException>(() => Site.Accept("a", GrainCluster.NewId("c")));
        Assert.Contains("not waiting", notWaiting.Message);
        await Site.Accept("a", waiting.ConversationId);
        var full = await Assert.ThrowsAsync<RefusedException>(() => Site.Accept("a", other.ConversationId));
        Assert.Contains("capacity of 1", full.Message);
        Assert.Equal([other.ConversationId], await Queue());
    }

    [Fact]
    public async Task ClosingAChatFreesTheSeatAndTheNextInLineIsServed()
    {
        await cluster.Online(site, "a", capacity: 1);
        var (served, _) = await cluster.NewChat(site);
        var (next, routed) = await cluster.NewChat(site);
        Assert.Equal(1, routed.QueuePosition);

        await cluster.Conversation(served.ConversationId).Close(Senders.Agent, "resolved");

        var view = await GrainCluster.Eventually(() => cluster.View(next.ConversationId), v => v.AgentId == "a", "next chat assigned");
        Assert.Equal(ConversationStatus.Active, view.Status);
        Assert.Empty(await Queue());
        Assert.Equal(1, await OpenChats("a"));
    }

    [Fact]
    public async Task ClosingAQueuedChatTakesItOutOfTheQueue()
    {
        var (first, _) = await cluster.NewChat(site);
        var (second, _) = await cluster.NewChat(site);

        await cluster.Conversation(first.ConversationId).Close(Senders.Visitor, "ended by visitor");

        await GrainCluster.Eventually(Queue, q => q.Count == 1, "queue shrinks");
        Assert.Equal([second.ConversationId], await Queue());
    }

    [Fact]
    public async Task AgentGoingOfflineSendsTheirChatsBackToTheFrontOfTheQueueInOrder()
    {
        await cluster.Online(site, "a", capacity: 2);
        var (c1, _) = await cluster.NewChat(site);
        var (c2, _) = await cluster.NewChat(site);
        var (c3, _) = await cluster.NewChat(site);
        Assert.Equal([c3.ConversationId], await Queue());

        await cluster.Offline(site, "a", capacity: 2);

        Assert.Equal([c1.ConversationId, c2.ConversationId, c3.ConversationId], await Queue());
        var view = await cluster.View(c1.ConversationId);
        Assert.Equal(ConversationStatus.Queued, view.Status);
        Assert.Null(view.AgentId);
        Assert.Equal(Senders.System, view.Messages[^1].From);
        Assert.StartsWith("Agent a was disconnected.", view.Messages[^1].Text);
        Assert.Equal(0, await OpenChats("a"));

        await cluster.Online(site, "b", capacity: 1);

        Assert.Equal("b", (await cluster.View(c1.ConversationId)).AgentId);
        Assert.Equal([c2.ConversationId, c3.ConversationId], await Queue());
    }

    [Fact]
    public async Task TransferHandsTheChatToAnotherAgentWithTheNote()
    {
        await cluster.Online(site, "a", capacity: 1);
        var (chat, _) = await cluster.NewChat(site);
        await cluster.Online(site, "b", capacity: 1);

        await Site.Transfer("a", chat.ConversationId, "b", "wants a refund");

        var view = await cluster.View(chat.ConversationId);
        Assert.Equal(("b", "Agent b"), (view.AgentId, view.AgentName));
        Assert.Equal("Agent b took over the chat.", view.Messages[^1].Text);
        Assert.Equal((0, 1), (await OpenChats("a"), await OpenChats("b")));
        var closed = await cluster.Agents.Pushes.Next<ConversationClosedView>("a", c => c.ConversationId == chat.ConversationId);
        Assert.Equal("transferred", closed.Reason);
        var assigned = await cluster.Agents.Pushes.Next<ConversationAssignedView>("b", c => c.Conversation.ConversationId == chat.ConversationId);
        Assert.Equal("wants a refund", assigned.TransferNote);
        await Assert.ThrowsAsync<RefusedException>(() => cluster.Conversation(chat.ConversationId).Append(Senders.Agent, "a", "Agent a", "cm-1", "still me"));
    }

    [Fact]
    public async Task TransferIsRefusedWhenTheChatIsNotYoursOrTheOtherAgentIsOfflineOrFull()
    {
        await cluster.Online(site, "a", capacity: 1);
        var (chat, _) = await cluster.NewChat(site);
        await cluster.Online(site, "full", capacity: 0);
        await cluster.Online(site, "gone");
        await cluster.Offline(site, "gone");

        Assert.Contains("not yours", (await Assert.ThrowsAsync<RefusedException>(() => Site.Transfer("full", chat.ConversationId, "a", null))).Message);
        Assert.Contains("not online", (await Assert.ThrowsAsync<RefusedException>(() => Site.Transfer("a", chat.ConversationId, "gone", null))).Message);
        Assert.Contains("not online", (await Assert.ThrowsAsync<RefusedException>(() => Site.Transfer("a", chat.ConversationId, "nobody", null))).Message);
        Assert.Contains("no free capacity", (await Assert.ThrowsAsync<RefusedException>(() => Site.Transfer("a", chat.ConversationId, "full", null))).Message);
        Assert.Equal("a", (await cluster.View(chat.ConversationId)).AgentId);
    }

    [Fact]
    public async Task TransferFreesTheSendersSeatForTheNextInLine()
    {
        await cluster.Online(site, "a", capacity: 1);
        var (chat, _) = await cluster.NewChat(site);
        var (waiting, _) = await cluster.NewChat(site);
        // b is away: no chat is routed to b, but a colleague may still hand one over.
        await Site.UpdateAgent(new AgentInfo("b", "Agent b", AgentStatus.Away, 2, 0));

        await Site.Transfer("a", chat.ConversationId, "b", null);

        Assert.Equal("a", (await cluster.View(waiting.ConversationId)).AgentId);
        Assert.Empty(await Queue());
    }

    [Fact]
    public async Task QueueChangesArePushedToTheSitesAgents()
    {
        var (entry, _) = await cluster.NewChat(site);

        var changed = await cluster.Agents.Pushes.Next<QueueChangedView>(site, q => q.Waiting.Count == 1);

        Assert.Equal(entry.ConversationId, changed.Waiting[0].ConversationId);
    }
}
