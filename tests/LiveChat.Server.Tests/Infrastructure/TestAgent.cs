using System.Net;
using LiveChat.Contracts;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveChat.Server.Tests.Infrastructure;

/// <summary>An agent's console connection: a real SignalR connection to /hubs/agent with the sign-in cookie.</summary>
public sealed class TestAgent : IAsyncDisposable
{
    private TestAgent(HubConnection connection) => Connection = connection;

    public HubConnection Connection { get; }
    /// <summary>Every agent hub method, typed (for calls without a shortcut here).</summary>
    public AgentHubCalls Calls => new(Connection);
    public Inbox<ConversationAssignedView> Assigned { get; } = new();
    public Inbox<QueueChangedView> QueueChanges { get; } = new();
    public Inbox<ChatMessage> Messages { get; } = new();
    public Inbox<TypingView> Typing { get; } = new();
    public Inbox<ConversationClosedView> Closed { get; } = new();
    public Inbox<VisitorsChanged> VisitorChanges { get; } = new();
    public Inbox<CallbackView> Callbacks { get; } = new();

    public static async Task<TestAgent> Connect(string baseUrl, CookieContainer cookies)
    {
        var connection = new HubConnectionBuilder().WithUrl($"{baseUrl}/hubs/agent", o => o.Cookies = cookies).Build();
        var a = new TestAgent(connection);
        var on = new AgentHubPushes(connection);
        on.ConversationAssigned(a.Assigned.Add);
        on.QueueChanged(a.QueueChanges.Add);
        on.Message(a.Messages.Add);
        on.Typing(a.Typing.Add);
        on.ConversationClosed(a.Closed.Add);
        on.VisitorsChanged(a.VisitorChanges.Add);
        on.CallbackRequested(a.Callbacks.Add);
        await connection.StartAsync();
        return a;
    }

    public Task Online(int capacity = 3) => Calls.SetStatus(new SetStatusRequest(AgentStatus.Online, capacity));
    public Task Away() => Calls.SetStatus(new SetStatusRequest(AgentStatus.Away, null));
    public Task<MessageAck> Send(string conversationId, string text, string? clientMessageId = null) =>
        Calls.SendMessage(new AgentSendMessageRequest(conversationId, clientMessageId ?? Guid.NewGuid().ToString("n"), text));
    public Task<ConversationView> Accept(string conversationId) => Calls.Accept(new ConversationRequest(conversationId));
    public Task<ConversationDetail> GetConversation(string conversationId) => Calls.GetConversation(new ConversationRequest(conversationId));
    public Task<VisitorsPage> Watch(string? filter = null, string? sort = null, int? limit = null) =>
        Calls.WatchVisitors(new WatchVisitorsRequest(filter, sort, limit));
    public Task Close(string conversationId) => Calls.Close(new ConversationRequest(conversationId));

    public async ValueTask DisposeAsync() => await Connection.DisposeAsync();
}
