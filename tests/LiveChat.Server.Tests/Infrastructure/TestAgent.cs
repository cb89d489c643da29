using System.Net;
using LiveChat.Contracts;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveChat.Server.Tests.Infrastructure;

/// <summary>An agent's console connection: a real SignalR connection to /hubs/agent with the sign-in cookie.</summary>
public sealed class TestAgent : IAsyncDisposable
{
    private TestAgent(HubConnection connection) => Connection = connection;

    public HubConnection Connection { get; }
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
        connection.On<ConversationAssignedView>("ConversationAssigned", a.Assigned.Add);
        connection.On<QueueChangedView>("QueueChanged", a.QueueChanges.Add);
        connection.On<ChatMessage>("Message", a.Messages.Add);
        connection.On<TypingView>("Typing", a.Typing.Add);
        connection.On<ConversationClosedView>("ConversationClosed", a.Closed.Add);
        connection.On<VisitorsChanged>("VisitorsChanged", a.VisitorChanges.Add);
        connection.On<CallbackView>("CallbackRequested", a.Callbacks.Add);
        await connection.StartAsync();
        return a;
    }

    public Task Online(int capacity = 3) => Connection.InvokeAsync("SetStatus", new SetStatusRequest(AgentStatus.Online, capacity));
    public Task Away() => Connection.InvokeAsync("SetStatus", new SetStatusRequest(AgentStatus.Away, null));
    public Task<MessageAck> Send(string conversationId, string text, string? clientMessageId = null) =>
        Connection.InvokeAsync<MessageAck>("SendMessage", new AgentSendMessageRequest(conversationId, clientMessageId ?? Guid.NewGuid().ToString("n"), text));
    public Task<ConversationView> Accept(string conversationId) => Connection.InvokeAsync<ConversationView>("Accept", new ConversationRequest(conversationId));
    public Task<ConversationDetail> GetConversation(string conversationId) => Connection.InvokeAsync<ConversationDetail>("GetConversation", new ConversationRequest(conversationId));
    public Task<VisitorsPage> Watch(string? filter = null, string? sort = null, int? limit = null) =>
        Connection.InvokeAsync<VisitorsPage>("WatchVisitors", new WatchVisitorsRequest(filter, sort, limit));
    public Task Close(string conversationId) => Connection.InvokeAsync("Close", new ConversationRequest(conversationId));

    public async ValueTask DisposeAsync() => await Connection.DisposeAsync();
}
