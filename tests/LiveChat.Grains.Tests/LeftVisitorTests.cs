using LiveChat.Contracts;
using LiveChat.Grains.Tests.Infrastructure;

namespace LiveChat.Grains.Tests;

/// <summary>
/// Chats whose visitor left the site, on the fake clock: nobody is handed a chat nobody waits in, a queued one
/// becomes a missed chat in Requests, an answered one frees its seat and then closes, and a visitor who comes back resumes.
/// </summary>
public sealed class LeftVisitorTests(GrainCluster cluster) : IClassFixture<GrainCluster>
{
    private const string Shop = "https://shop.example";
    private readonly string site = GrainCluster.NewId("site");
    private ISiteGrain Site => cluster.Site(site);
    private GrainTimings T => cluster.Timings;

    private async Task<(IVisitorGrain Visitor, string VisitorId, StartChatResult Chat)> VisitorChats(string text)
    {
        var visitorId = GrainCluster.NewId("v");
        var visitor = cluster.Visitor(site, visitorId);
        await visitor.Hello("conn-" + visitorId, new PageInfo(Shop + "/shop"));
        return (visitor, visitorId, await visitor.StartChat(text));
    }

    /// <summary>Closes the visitor's only tab and lets the leave grace run out, until the site has heard it.</summary>
    private async Task Leaves(IVisitorGrain visitor, string visitorId, string conversationId)
    {
        await visitor.Disconnected("conn-" + visitorId);
        cluster.Advance(T.VisitorLeaveGrace + TimeSpan.FromSeconds(1));
        // The visitor grain tells the site (one-way) before it tells the agents; then one call queued behind it.
        await cluster.Agents.Pushes.Next<VisitorLeftView>(site, l => l.VisitorId == visitorId);
        await Site.GetQueue();
    }

    /// <summary>The requests the agents were told of (missed chats go to the site's requests grain, which pushes them).</summary>
    private Task<IReadOnlyList<CallbackView>> Requests(string visitorId) =>
        Task.FromResult<IReadOnlyList<CallbackView>>(cluster.Agents.Pushes.To<CallbackView>(site).Where(c => c.VisitorId == visitorId)
            .GroupBy(c => c.Reference).Select(g => g.Last()).ToList());

    private async Task<int> Busy(string agentId) => (await Site.GetAgents()).Single(a => a.AgentId == agentId).OpenChats;

    [Fact]
    public async Task SigningInWithOneSeatGetsTheVisitorStillThereNotTheOneWhoLeft()
    {
        var gone = await VisitorChats("anyone there?");
        var staying = await VisitorChats("I need help with my order");
        await Leaves(gone.Visitor, gone.VisitorId, gone.Chat.ConversationId);

        await cluster.Online(site, "solo", capacity: 1);

        Assert.Equal((ConversationStatus.Active, "solo"), ((await cluster.View(staying.Chat.ConversationId)).Status, (await cluster.View(staying.Chat.ConversationId)).AgentId));
        Assert.Equal(ConversationStatus.Queued, (await cluster.View(gone.Chat.ConversationId)).Status);
        var waiting = Assert.Single(await Site.GetQueue());
        Assert.Equal(gone.Chat.ConversationId, waiting.ConversationId);
        Assert.NotNull(waiting.VisitorLeftAt);
        await Assert.ThrowsAsync<RefusedException>(() => Site.Accept("solo", gone.Chat.ConversationId));
    }

    [Fact]
    public async Task VisitorsBehindOneWhoLeftMoveUpInLine()
    {
        await Site.UpdateAgent(new AgentInfo("busy", "Busy", AgentStatus.Online, 0, 0)); // online, no seat: positions are estimated
        var first = await VisitorChats("first");
        var second = await VisitorChats("second");
        Assert.Equal(2, second.Chat.QueuePosition);

        await Leaves(first.Visitor, first.VisitorId, first.Chat.ConversationId);

        var key = Keys.Of(site, second.VisitorId);
        await cluster.Visitors.Pushes.Next<QueueView>(key, q => q.Position == 1);
        Assert.Equal(1, (await second.Visitor.StartChat(null)).QueuePosition);
    }

    [Fact]
    public async Task AQueuedChatWhoseVisitorStaysAwayBecomesAMissedChatInRequests()
    {
        var gone = await VisitorChats("Do you deliver to Belgium?");
        await gone.Visitor.SendMessage("m-2", "And on Saturdays?");
        await Leaves(gone.Visitor, gone.VisitorId, gone.Chat.ConversationId);

        cluster.Advance(T.QueuedChatAbandonAfter);

        var requests = await GrainCluster.Eventually(() => Requests(gone.VisitorId), r => r.Count > 0, "a missed chat in Requests");
        var missed = Assert.Single(requests);
        Assert.Equal((RequestKinds.MissedChat, false), (missed.Kind, missed.Done));
        Assert.Equal("Do you deliver to Belgium?\nAnd on Saturdays?", missed.Text);
        Assert.Empty(await Site.GetQueue());
    }

    [Fact]
    public async Task MissedChatsAreCountedPerSituationWithTheVisitorsContact()
    {
        var visitorId = GrainCluster.NewId("v");
        var visitor = cluster.Visitor(site, visitorId);
        await visitor.Hello("conn-" + visitorId, new PageInfo(Shop + "/checkout"));
        await visitor.RequestCallback("+31 6 1234 5678", "Ann", null);
        var entry = await cluster.NewConversation(site, "r-checkout", "Stuck at checkout");
        entry = entry with { VisitorId = visitorId };
        await Site.Enqueue(entry);

        await Site.VisitorLeft(entry.ConversationId);
        await Site.GetQueue();
        cluster.Advance(T.QueuedChatAbandonAfter);

        var missed = (await GrainCluster.Eventually(() => Requests(visitorId), r => r.Any(c => c.Kind == RequestKinds.MissedChat), "missed")).First(c => c.Kind == RequestKinds.MissedChat);
        Assert.Equal(entry.ConversationId, missed.ConversationId);
        Assert.Equal(("+31 6 1234 5678", "Ann"), (missed.Phone, missed.Name)); // how to reach them, from their earlier request
        // Stat events are summed per node before they reach the stats grain: wait for the sum.
        await GrainCluster.Eventually(() => Site.GetStats(GrainCluster.Start, cluster.Clock.GetUtcNow()),
            s => s.SingleOrDefault(x => x.Situation == "Stuck at checkout")?.Missed == 1, "one missed chat for the situation");
    }

    [Fact]
    public async Task AVisitorWhoComesBackAfterAMissedChatIsQueuedAgain()
    {
        var gone = await VisitorChats("is this still in stock?");
        await Leaves(gone.Visitor, gone.VisitorId, gone.Chat.ConversationId);
        cluster.Advance(T.QueuedChatAbandonAfter);
        await GrainCluster.Eventually(() => Requests(gone.VisitorId), r => r.Count > 0, "missed");

        var hello = await gone.Visitor.Hello("conn-again", new PageInfo(Shop + "/shop"));

        Assert.Equal(gone.Chat.ConversationId, hello.Conversation?.ConversationId);
        var queued = await GrainCluster.Eventually(() => Site.GetQueue(), q => q.Any(e => e.ConversationId == gone.Chat.ConversationId), "queued again");
        Assert.Null(queued.Single().VisitorLeftAt);
        await GrainCluster.Eventually(() => Requests(gone.VisitorId), r => r.Single(c => c.Kind == RequestKinds.MissedChat).Done, "the missed chat done once it resumed");
        await cluster.Online(site, "back", capacity: 1);
        Assert.Equal("back", (await cluster.View(gone.Chat.ConversationId)).AgentId);
    }

    [Fact]
    public async Task AnAnsweredChatWhoseVisitorLeftFreesItsSeatThenClosesItself()
    {
        await cluster.Online(site, "one", capacity: 1);
        var gone = await VisitorChats("quick question");
        Assert.Equal("one", (await cluster.View(gone.Chat.ConversationId)).AgentId);

        await Leaves(gone.Visitor, gone.VisitorId, gone.Chat.ConversationId);
        Assert.Equal(1, await Busy("one"));
        var next = await VisitorChats("me next");
        Assert.Equal(1, next.Chat.QueuePosition);

        cluster.Advance(T.LeftChatFreesSeatAfter);
        await GrainCluster.Eventually(() => cluster.View(next.Chat.ConversationId), v => v.AgentId == "one", "the freed seat serves the next visitor");

        cluster.Advance(T.LeftChatCloseAfter - T.LeftChatFreesSeatAfter);
        var closed = await GrainCluster.Eventually(() => cluster.View(gone.Chat.ConversationId), v => v.Status == ConversationStatus.Closed, "closed");
        Assert.Contains(cluster.Visitors.Pushes.To<ChatEndedView>(Keys.Of(site, gone.VisitorId)), e => e.Reason == "visitor left");
        await GrainCluster.Eventually(() => Busy("one"), b => b == 1, "only the present visitor's chat takes the seat");
        Assert.Equal(ConversationStatus.Active, (await cluster.View(next.Chat.ConversationId)).Status);
        Assert.Contains(closed.Messages, m => m.Text == "The chat has ended.");
    }

    [Fact]
    public async Task AVisitorBackBeforeTheCloseTakesTheirSeatAgainAndTheChatStaysOpen()
    {
        await cluster.Online(site, "keeper", capacity: 2);
        var gone = await VisitorChats("brb");
        await Leaves(gone.Visitor, gone.VisitorId, gone.Chat.ConversationId);
        cluster.Advance(T.LeftChatFreesSeatAfter);
        await GrainCluster.Eventually(() => Busy("keeper"), b => b == 0, "seat freed");

        await gone.Visitor.Hello("conn-back", new PageInfo(Shop + "/shop"));
        await GrainCluster.Eventually(() => Busy("keeper"), b => b == 1, "seat taken again");

        cluster.Advance(T.LeftChatCloseAfter);
        await Task.Delay(200);
        Assert.Equal(ConversationStatus.Active, (await cluster.View(gone.Chat.ConversationId)).Status);
    }

    [Fact]
    public async Task AnAgentWhoGoesOfflineDoesNotHandTheNextAgentAChatWhoseVisitorLeft()
    {
        await cluster.Online(site, "first", capacity: 1);
        var gone = await VisitorChats("back in a bit");
        await Leaves(gone.Visitor, gone.VisitorId, gone.Chat.ConversationId);
        await cluster.Offline(site, "first", capacity: 1); // back to the front of the queue, still marked away

        await cluster.Online(site, "second", capacity: 1);

        var entry = Assert.Single(await Site.GetQueue());
        Assert.Equal(gone.Chat.ConversationId, entry.ConversationId);
        Assert.NotNull(entry.VisitorLeftAt);
        Assert.Equal(0, await Busy("second"));
    }

    [Fact]
    public async Task TheAcceptedInvitationIsTheConversationsFirstMessage()
    {
        await Site.SetRules("""[{"id":"r","situation":"Comparing loans","when":{"pageMatches":"/loans/*","timeOnPageSeconds":1},"then":{"text":"Comparing rates? I can help."},"onlyIfAgentAvailable":false}]""");
        var visitorId = GrainCluster.NewId("v");
        var visitor = cluster.Visitor(site, visitorId);
        await visitor.Hello("c1", new PageInfo(Shop + "/loans/rates"));
        cluster.Advance(TimeSpan.FromSeconds(1));
        var invitation = await cluster.Visitors.Pushes.Next<InvitationView>(Keys.Of(site, visitorId));
        await visitor.AcceptInvitation(invitation.InvitationId);

        var chat = await visitor.StartChat("yes, 10 years fixed");

        var messages = (await cluster.View(chat.ConversationId)).Messages;
        Assert.Equal((Senders.Invitation, "Comparing rates? I can help."), (messages[0].From, messages[0].Text));
        Assert.Equal((Senders.Visitor, "yes, 10 years fixed"), (messages[1].From, messages[1].Text));
    }
}
