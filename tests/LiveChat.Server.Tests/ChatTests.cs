using Microsoft.AspNetCore.SignalR.Client;
using LiveChat.Contracts;
using LiveChat.Server.Tests.Infrastructure;

namespace LiveChat.Server.Tests;

/// <summary>A visitor and an agent chatting through the real hubs.</summary>
public sealed class ChatTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private TestServer Server => fixture.Server;

    private Task<(TestVisitor Visitor, TestAgent Agent, string ConversationId)> Chat(string firstText = "Hello, I need help") =>
        Server.ChatWithAgent(firstText);

    [Fact]
    public async Task ChatFlowsBothWays()
    {
        var (visitor, agent, id) = await Chat();
        await using var _ = visitor;
        await using var __ = agent;

        var joined = await visitor.Joined.Next();
        Assert.Equal("Demo Agent", joined.Name);

        await agent.Send(id, "Hi! How can I help?");
        var toVisitor = await visitor.Messages.Next(m => m.From == Senders.Agent);
        Assert.Equal("Hi! How can I help?", toVisitor.Text);
        Assert.Equal("Demo Agent", toVisitor.SenderName);

        await visitor.Send("Where is my order?");
        var toAgent = await agent.Messages.Next(m => m.From == Senders.Visitor && m.Text == "Where is my order?");
        Assert.Equal(id, toAgent.ConversationId);
    }

    [Fact]
    public async Task AssignedConversationCarriesTheFirstMessage()
    {
        var agent = await Server.Agent();
        await using var _ = agent;
        await agent.Online(capacity: 50);
        await using var visitor = await Server.Visitor();
        await visitor.Hello("/help");

        var started = await visitor.StartChat("My parcel is late");
        var assigned = await agent.Assigned.Next(a => a.Conversation.ConversationId == started.ConversationId);

        Assert.Contains(assigned.Conversation.Messages, m => m.From == Senders.Visitor && m.Text == "My parcel is late");
    }

    [Fact]
    public async Task RetryWithSameClientMessageIdIsNotDuplicated()
    {
        var (visitor, agent, _) = await Chat();
        await using var __ = visitor;
        await using var ___ = agent;

        var first = await visitor.Send("only once", "client-1");
        var retry = await visitor.Send("only once", "client-1");

        Assert.Equal(first, retry);
        var messages = await visitor.GetMessages();
        Assert.Single(messages, m => m.ClientMessageId == "client-1");
    }

    [Fact]
    public async Task SequencesAreGapFreeAndResyncReturnsOnlyNewer()
    {
        var (visitor, agent, id) = await Chat();
        await using var __ = visitor;
        await using var ___ = agent;
        var before = (await visitor.GetMessages()).Max(m => m.Sequence);

        await visitor.Send("one");
        await agent.Send(id, "two");
        await visitor.Send("three");

        var all = await visitor.GetMessages();
        Assert.Equal(Enumerable.Range(1, all.Count).Select(i => (long)i), all.Select(m => m.Sequence));
        var newer = await visitor.GetMessages(before);
        Assert.Equal(["one", "two", "three"], newer.Select(m => m.Text));
    }

    [Fact]
    public async Task ReloadResumesTheConversationWithTheToken()
    {
        var (visitor, agent, id) = await Chat("before the reload");
        await using var ___ = agent;
        var identity = visitor.Identity!;
        await visitor.DisposeAsync();

        await using var reloaded = await Server.Visitor();
        var hello = await reloaded.Hello("/products/42", identity.VisitorId, identity.Token);

        Assert.Equal(identity.VisitorId, hello.VisitorId);
        Assert.Equal(id, hello.Conversation?.ConversationId);
        Assert.Contains(hello.Conversation!.Messages, m => m.Text == "before the reload");
        await agent.Send(id, "still here");
        Assert.Equal("still here", (await reloaded.Messages.Next(m => m.From == Senders.Agent && m.Text == "still here")).Text);
    }

    [Fact]
    public async Task TwoTabsShareOneConversation()
    {
        var (tab1, agent, id) = await Chat();
        await using var _ = tab1;
        await using var __ = agent;
        await using var tab2 = await Server.Visitor();
        var hello = await tab2.Hello("/other", tab1.Identity!.VisitorId, tab1.Identity.Token);
        Assert.Equal(id, hello.Conversation?.ConversationId);

        await agent.Send(id, "to both tabs");

        await tab1.Messages.Next(m => m.Text == "to both tabs");
        await tab2.Messages.Next(m => m.Text == "to both tabs");
    }

    [Fact]
    public async Task ForgedTokenGetsAFreshIdentity()
    {
        var (victim, agent, _) = await Chat("my secret order number");
        await using var __ = victim;
        await using var ___ = agent;

        await using var attacker = await Server.Visitor();
        var hello = await attacker.Hello("/", victim.Identity!.VisitorId, "forged-token");

        Assert.NotEqual(victim.Identity.VisitorId, hello.VisitorId);
        Assert.Null(hello.Conversation);
        Assert.Empty(await attacker.GetMessages());
    }

    [Fact]
    public async Task AnotherVisitorsTokenDoesNotOpenThisIdentity()
    {
        await using var a = await Server.Visitor();
        await using var b = await Server.Visitor();
        var helloA = await a.Hello("/");
        var helloB = await b.Hello("/");

        await using var mixed = await Server.Visitor();
        var hello = await mixed.Hello("/", helloA.VisitorId, helloB.Token);

        Assert.NotEqual(helloA.VisitorId, hello.VisitorId);
    }

    [Fact]
    public async Task EndingTheChatTellsBothSides()
    {
        var (visitor, agent, id) = await Chat();
        await using var _ = visitor;
        await using var __ = agent;

        await visitor.Connection.InvokeAsync("EndChat", new EndChatRequest());

        Assert.Equal(id, (await visitor.Ended.Next()).ConversationId);
        Assert.Equal(id, (await agent.Closed.Next(c => c.ConversationId == id)).ConversationId);
        await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => agent.Send(id, "too late"));
    }

    [Fact]
    public async Task AgentSeesTheJourneyOfTheVisitor()
    {
        var agent = await Server.Agent();
        await using var _ = agent;
        await agent.Online(capacity: 50);
        await using var visitor = await Server.Visitor();
        await visitor.Hello("/shop/shoes");
        await visitor.PageView("/shop/shoes/red-42");
        await visitor.Track("cart_add", new { sku = "RED42", price = 89.5, quantity = 2 });
        var started = await visitor.StartChat("Do these run small?");

        var detail = await agent.GetConversation(started.ConversationId);

        Assert.Contains(detail.Journey, j => j.Kind == "page" && j.Detail.Contains("/shop/shoes/red-42"));
        Assert.Contains(detail.Journey, j => j.Kind == "event" && j.Detail.StartsWith("cart_add"));
        Assert.Equal(179m, detail.Visitor!.CartValue);
        Assert.Equal(new CartLine("RED42", 89.5m, 2), Assert.Single(detail.Cart));
    }

    [Fact]
    public async Task CallbackRequestIsConfirmedWithAReference()
    {
        var agent = await Server.Agent();
        await using var _ = agent;
        await using var visitor = await Server.Visitor();
        await visitor.Hello("/contact");

        var result = await visitor.Connection.InvokeAsync<ReferenceResult>("RequestCallback", new RequestCallbackRequest("+46 70 123 45 67", "Ada", "About my loan"));

        Assert.Matches("^LC-[2-9A-HJ-NP-Z]{5}$", result.Reference);
        var pushed = await agent.Callbacks.Next(c => c.Reference == result.Reference);
        Assert.Equal("+46 70 123 45 67", pushed.Phone);
    }
}
