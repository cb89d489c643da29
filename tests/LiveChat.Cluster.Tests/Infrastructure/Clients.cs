using System.Net;
using LiveChat.Contracts;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveChat.Cluster.Tests.Infrastructure;

/// <summary>A visitor as the widget is one: a SignalR connection to one node's /hubs/visitor.</summary>
public sealed class ClusterVisitor : IAsyncDisposable
{
    private static readonly TimeSpan CallLimit = TimeSpan.FromSeconds(20);

    private ClusterVisitor(HubConnection connection) => Connection = connection;

    public HubConnection Connection { get; }
    public Inbox<ChatMessage> Messages { get; } = new();
    public Inbox<QueueView> Queue { get; } = new();
    public Inbox<AgentJoinedView> Joined { get; } = new();

    public static async Task<ClusterVisitor> Connect(string nodeUrl, string site, Action<Microsoft.AspNetCore.Http.Connections.Client.HttpConnectionOptions>? configure = null)
    {
        var connection = new HubConnectionBuilder().WithUrl($"{nodeUrl}/hubs/visitor?site={site}", o => configure?.Invoke(o)).Build();
        var v = new ClusterVisitor(connection);
        connection.On<ChatMessage>("Message", v.Messages.Add);
        connection.On<QueueView>("Queue", v.Queue.Add);
        connection.On<AgentJoinedView>("AgentJoined", v.Joined.Add);
        using var cts = new CancellationTokenSource(CallLimit);
        try { await connection.StartAsync(cts.Token); }
        catch { await connection.DisposeAsync(); throw; }
        return v;
    }

    public Task<HelloResult> Hello(string? visitorId = null, string? token = null) =>
        Call<HelloResult>("Hello", new HelloRequest(visitorId, token, new PageInfo("http://127.0.0.1/checkout", "Checkout", null)));

    public Task<StartChatResult> StartChat(string text) => Call<StartChatResult>("StartChat", new StartChatRequest(text));

    public Task<MessageAck> Send(string text, string? clientMessageId = null) =>
        Call<MessageAck>("SendMessage", new SendMessageRequest(clientMessageId ?? Guid.NewGuid().ToString("n"), text));

    public Task<IReadOnlyList<ChatMessage>> GetMessages(long afterSequence = 0) =>
        Call<IReadOnlyList<ChatMessage>>("GetMessages", new GetMessagesRequest(afterSequence));

    private async Task<T> Call<T>(string method, object argument)
    {
        using var cts = new CancellationTokenSource(CallLimit);
        return await Connection.InvokeAsync<T>(method, argument, cts.Token);
    }

    public async ValueTask DisposeAsync() => await Connection.DisposeAsync();
}

/// <summary>An agent's console: signed in over HTTP on one node, its hub connection possibly on another.</summary>
public sealed class ClusterAgent : IAsyncDisposable
{
    private static readonly TimeSpan CallLimit = TimeSpan.FromSeconds(20);

    private ClusterAgent(HubConnection connection) => Connection = connection;

    public HubConnection Connection { get; }
    public Inbox<ConversationAssignedView> Assigned { get; } = new();
    public Inbox<ChatMessage> Messages { get; } = new();
    public Inbox<VisitorsChanged> VisitorChanges { get; } = new();

    public static async Task<ClusterAgent> Connect(string hubNodeUrl, CookieContainer cookies)
    {
        var connection = new HubConnectionBuilder().WithUrl($"{hubNodeUrl}/hubs/agent", o => o.Cookies = cookies).Build();
        var a = new ClusterAgent(connection);
        connection.On<ConversationAssignedView>("ConversationAssigned", a.Assigned.Add);
        connection.On<ChatMessage>("Message", a.Messages.Add);
        connection.On<VisitorsChanged>("VisitorsChanged", a.VisitorChanges.Add);
        using var cts = new CancellationTokenSource(CallLimit);
        try { await connection.StartAsync(cts.Token); }
        catch { await connection.DisposeAsync(); throw; }
        return a;
    }

    public Task<IReadOnlyList<AgentInfo>> Online(int capacity) => Call<IReadOnlyList<AgentInfo>>("SetStatus", new SetStatusRequest(AgentStatus.Online, capacity));

    public Task<MessageAck> Send(string conversationId, string text) =>
        Call<MessageAck>("SendMessage", new AgentSendMessageRequest(conversationId, Guid.NewGuid().ToString("n"), text));

    public Task<VisitorsPage> Watch(WatchVisitorsRequest? request = null) => Call<VisitorsPage>("WatchVisitors", request ?? new WatchVisitorsRequest());

    public Task<IReadOnlyList<QueueEntry>> GetQueue() => Call<IReadOnlyList<QueueEntry>>("GetQueue", null);

    public Task<ConversationDetail> GetConversation(string conversationId) =>
        Call<ConversationDetail>("GetConversation", new ConversationRequest(conversationId));

    private async Task<T> Call<T>(string method, object? argument)
    {
        using var cts = new CancellationTokenSource(CallLimit);
        return argument is null
            ? await Connection.InvokeAsync<T>(method, cts.Token)
            : await Connection.InvokeAsync<T>(method, argument, cts.Token);
    }

    public async ValueTask DisposeAsync() => await Connection.DisposeAsync();
}
