using LiveChat.Contracts;
using LiveChat.Grains;
using LiveChat.Server.Auth;
using LiveChat.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveChat.Server.Tests;

/// <summary>Routing, capacity, the queue and the ways out when nobody can answer, through the real hubs with several agents.</summary>
public sealed class RoutingTests
{
    private static readonly string[] AgentIds = ["anna", "ben", "cleo"];

    private static Task<TestServer> Start() => TestServer.Start(Settings());

    private static Dictionary<string, string?> Settings()
    {
        var settings = new Dictionary<string, string?>
        {
            ["LiveChat:Sites:shop:AllowedOrigins:0"] = "loopback",
            ["LiveChat:Sites:shop:PhoneNumber"] = "+1 555 0123",
            ["LiveChat:Sites:shop:MaxQueueWaitSeconds"] = "600",
            ["LiveChat:Timings:AgentDisconnectGrace"] = "00:00:01",
        };
        var agents = new AgentSettings();
        foreach (var id in AgentIds) agents.Add(id, "pw-" + id, name: char.ToUpperInvariant(id[0]) + id[1..], sites: ["shop"]);
        agents.AddTo(settings);
        return settings;
    }

    private static async Task<TestAgent> Online(TestServer server, string id, int capacity)
    {
        var agent = await server.Agent(id, "pw-" + id);
        await agent.Online(capacity);
        return agent;
    }

    private static async Task<(TestVisitor Visitor, StartChatResult Chat)> Chatting(TestServer server, string text)
    {
        var visitor = await server.Visitor("shop");
        await visitor.Hello("/help");
        return (visitor, await visitor.StartChat(text));
    }

    [Fact]
    public async Task NewChatGoesToTheLeastLoadedAgentWithRoom()
    {
        await using var server = await Start();
        await using var anna = await Online(server, "anna", 2);
        await using var ben = await Online(server, "ben", 2);

        var (v1, c1) = await Chatting(server, "one");
        var (v2, c2) = await Chatting(server, "two");
        var (v3, c3) = await Chatting(server, "three");
        await using var _ = v1; await using var __ = v2; await using var ___ = v3;

        await anna.Assigned.Next(a => a.Conversation.ConversationId == c1.ConversationId);
        await ben.Assigned.Next(a => a.Conversation.ConversationId == c2.ConversationId);
        await anna.Assigned.Next(a => a.Conversation.ConversationId == c3.ConversationId);
        Assert.All([c1, c2, c3], c => Assert.Null(c.QueuePosition));
    }

    [Fact]
    public async Task CapacityIsRespectedAndTheQueueMovesUpAsOthersAreServed()
    {
        await using var server = await Start();
        await using var anna = await Online(server, "anna", 1);
        var (v1, c1) = await Chatting(server, "first");
        var (v2, c2) = await Chatting(server, "second");
        var (v3, c3) = await Chatting(server, "third");
        await using var _ = v1; await using var __ = v2; await using var ___ = v3;

        Assert.Null(c1.QueuePosition);
        Assert.Equal(1, c2.QueuePosition);
        Assert.Equal(2, c3.QueuePosition);
        Assert.NotNull(c3.EstimatedWaitSeconds);
        var refused = await Assert.ThrowsAsync<HubException>(() => anna.Accept(c2.ConversationId));
        Assert.Contains("capacity", refused.Message);

        await anna.Close(c1.ConversationId);

        await anna.Assigned.Next(a => a.Conversation.ConversationId == c2.ConversationId);
        Assert.Equal(1, (await v3.Queue.Next(q => q.Position == 1)).Position);
    }

    [Fact]
    public async Task AnAgentCanPickFromTheQueue()
    {
        await using var server = await Start();
        await using var ben = await server.Agent("ben", "pw-ben");
        await ben.Connection.InvokeAsync("SetStatus", new SetStatusRequest(AgentStatus.Away, 2));
        await using var anna = await Online(server, "anna", 1);
        var (v1, _) = await Chatting(server, "busy");
        var (v2, waiting) = await Chatting(server, "waiting");
        await using var x = v1; await using var y = v2;

        Assert.Equal(waiting.ConversationId, (await ben.Connection.InvokeAsync<IReadOnlyList<QueueEntry>>("GetQueue")).Single().ConversationId);
        var accepted = await ben.Accept(waiting.ConversationId);

        Assert.Equal("ben", accepted.AgentId);
        Assert.Equal("Ben", (await v2.Joined.Next()).Name);
    }

    [Fact]
    public async Task AnAgentWhoDisconnectsHandsTheirChatsBackAtTheFrontOfTheQueue()
    {
        await using var server = await Start();
        var anna = await Online(server, "anna", 1);
        var (v1, c1) = await Chatting(server, "I was being served");
        var (v2, c2) = await Chatting(server, "I was waiting");
        await using var x = v1; await using var y = v2;
        await anna.Assigned.Next(a => a.Conversation.ConversationId == c1.ConversationId);
        await anna.Send(c1.ConversationId, "Let me check");

        await anna.DisposeAsync();

        var notice = await v1.Messages.Next(m => m.From == Senders.System && m.Text.Contains("disconnected"));
        Assert.Contains("keep your place", notice.Text);
        Assert.Equal(1, (await v1.Queue.Next()).Position);
        await using var ben = await Online(server, "ben", 1);
        var assigned = await ben.Assigned.Next();
        Assert.Equal(c1.ConversationId, assigned.Conversation.ConversationId);
        Assert.Contains(assigned.Conversation.Messages, m => m.Text == "Let me check");
        Assert.Equal(c2.ConversationId, (await v2.Queue.Next(q => q.Position == 1)).ConversationId);
    }

    [Fact]
    public async Task TransferKeepsTheConversationAndShowsTheNoteToTheNextAgent()
    {
        await using var server = await Start();
        await using var anna = await Online(server, "anna", 2);
        var (visitor, chat) = await Chatting(server, "I want to change my loan");
        await using var _ = visitor;
        await anna.Assigned.Next(a => a.Conversation.ConversationId == chat.ConversationId);
        await anna.Send(chat.ConversationId, "One moment");
        await using var ben = await Online(server, "ben", 2);

        await anna.Connection.InvokeAsync("Transfer", new TransferRequest(chat.ConversationId, "ben", "Wants a fixed rate; already verified"));

        var assigned = await ben.Assigned.Next(a => a.Conversation.ConversationId == chat.ConversationId);
        Assert.Equal("Wants a fixed rate; already verified", assigned.TransferNote);
        Assert.Contains(assigned.Conversation.Messages, m => m.Text == "I want to change my loan");
        Assert.Contains(assigned.Conversation.Messages, m => m.Text == "One moment");
        Assert.Equal("transferred", (await anna.Closed.Next(c => c.ConversationId == chat.ConversationId)).Reason);
        Assert.Equal("Ben", (await visitor.Joined.Next(j => j.Name == "Ben")).Name);
        await Assert.ThrowsAsync<HubException>(() => anna.Send(chat.ConversationId, "not mine any more"));
    }

    [Fact]
    public async Task ConcurrentSendsFromBothSidesGetGapFreeUniqueSequences()
    {
        await using var server = await Start();
        await using var anna = await Online(server, "anna", 1);
        var (visitor, chat) = await Chatting(server, "start");
        await using var _ = visitor;
        await anna.Assigned.Next(a => a.Conversation.ConversationId == chat.ConversationId);

        // Within the per-connection rate limit: a burst of 30 calls from the visitor, 15 from the agent.
        var sends = Enumerable.Range(0, 15).SelectMany(i => new[]
        {
            visitor.Send($"v{i}", $"v-{i}"),
            anna.Send(chat.ConversationId, $"a{i}", $"a-{i}"),
            visitor.Send($"v{i}", $"v-{i}"), // a retry racing its original
        });
        var acks = await Task.WhenAll(sends);

        var messages = await visitor.GetMessages();
        Assert.Equal(Enumerable.Range(1, messages.Count).Select(i => (long)i), messages.Select(m => m.Sequence));
        Assert.Equal(30, messages.Count(m => m.ClientMessageId is not null && m.From != Senders.System && m.Text != "start"));
        Assert.Equal(30, acks.Select(a => a.Sequence).Distinct().Count());
    }

    [Fact]
    public async Task WithNobodyOnlineTheVisitorIsOfferedAMessageACallbackAndThePhone()
    {
        await using var server = await Start();
        await using var visitor = await server.Visitor("shop");
        var hello = await visitor.Hello("/contact");
        Assert.False(hello.Site.AgentsAvailable);
        Assert.Equal("+1 555 0123", hello.Site.PhoneNumber);

        var chat = await visitor.StartChat("Is anyone there?");

        Assert.Equal(Alternatives.All, chat.Alternatives);
        Assert.Equal(1, chat.QueuePosition); // the chat is kept, never dropped
    }

    [Fact]
    public async Task LeftMessagesAndCallbacksGetUniqueReferencesAgentsCanFindAndClose()
    {
        await using var server = await Start();
        await using var anna = await server.Agent("anna", "pw-anna");
        var references = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            await using var visitor = await server.Visitor("shop");
            await visitor.Hello("/contact");
            references.Add((await visitor.Connection.InvokeAsync<ReferenceResult>("LeaveMessage", new LeaveMessageRequest($"v{i}@example.com", $"message {i}"))).Reference);
            references.Add((await visitor.Connection.InvokeAsync<ReferenceResult>("RequestCallback", new RequestCallbackRequest("+46 70 000 00 0" + i, null, null))).Reference);
        }

        Assert.Equal(10, references.Distinct().Count());
        var listed = await anna.Connection.InvokeAsync<IReadOnlyList<CallbackView>>("GetCallbacks");
        Assert.Equal(references.Order(), listed.Select(c => c.Reference).Order());
        Assert.True(await anna.Connection.InvokeAsync<bool>("MarkCallbackDone", new CallbackDoneRequest("shop", references[0])));
        Assert.True((await anna.Callbacks.Next(c => c.Reference == references[0] && c.Done)).Done);
    }

    [Fact]
    public async Task VisitorCanEndTheChatAndAskForATranscript()
    {
        await using var server = await Start();
        await using var anna = await Online(server, "anna", 1);
        var (visitor, chat) = await Chatting(server, "thanks, bye");
        await using var _ = visitor;

        await visitor.Connection.InvokeAsync("EndChat", new EndChatRequest());
        await visitor.Ended.Next();
        var unsent = await Assert.ThrowsAsync<HubException>(() => visitor.Connection.InvokeAsync("RequestTranscript", new TranscriptRequest("me@example.com")));
        Assert.Contains("e-mail is not configured", unsent.Message); // no SMTP here: no promise of a mail (EmailTests sends it)

        var refused = await Assert.ThrowsAsync<HubException>(() => visitor.Connection.InvokeAsync("RequestTranscript", new TranscriptRequest("not-an-email")));
        Assert.Contains("email", refused.Message);
        Assert.Null((await visitor.Hello("/again", visitor.Identity!.VisitorId, visitor.Identity.Token)).Conversation);
    }
}
