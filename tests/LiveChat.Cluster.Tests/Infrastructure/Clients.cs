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
    public Inbox<ChatMessage> Messages { get; } = new(defaultSeconds: 15);
    public Inbox<QueueView> Queue { get; } = new(defaultSeconds: 15);
    public Inbox<AgentJoinedView> Joined { get; } = new(defaultSeconds: 15);
    public Inbox<InvitationView> Invitations { get; } = new(defaultSeconds: 15);

    public static async Task<ClusterVisitor> Connect(string nodeUrl, string site, Action<Microsoft.AspNetCore.Http.Connections.Client.HttpConnectionOptions>? configure = null)
    {
        var connection = new HubConnectionBuilder().WithUrl($"{nodeUrl}/hubs/visitor?site={site}", o => configure?.Invoke(o)).Build();
        var v = new ClusterVisitor(connection);
        var on = new VisitorHubPushes(connection);
        on.Invitation(v.Invitations.Add);
        on.Message(v.Messages.Add);
        on.Queue(v.Queue.Add);
        on.AgentJoined(v.Joined.Add);
        using var cts = new CancellationTokenSource(CallLimit);
        try { await connection.StartAsync(cts.Token); }
        catch { await connection.DisposeAsync(); throw; }
        return v;
    }

    public Task<HelloResult> Hello(string? visitorId = null, string? token = null, string path = "/checkout") =>
        Call(ct => Calls.Hello(new HelloRequest(visitorId, token, new PageInfo("http://127.0.0.1" + path, "Checkout", null)), ct));

    public Task<StartChatResult> StartChat(string text) => Call(ct => Calls.StartChat(new StartChatRequest(text), ct));

    public Task<MessageAck> Send(string text, string? clientMessageId = null) =>
        Call(ct => Calls.SendMessage(new SendMessageRequest(clientMessageId ?? Guid.NewGuid().ToString("n"), text), ct));

    public Task<IReadOnlyList<ChatMessage>> GetMessages(long afterSequence = 0) => Call(ct => Calls.GetMessages(new GetMessagesRequest(afterSequence), ct));

    /// <summary>Every visitor hub method, typed.</summary>
    public VisitorHubCalls Calls => new(Connection);

    private static async Task<T> Call<T>(Func<CancellationToken, Task<T>> call)
    {
        using var cts = new CancellationTokenSource(CallLimit);
        return await call(cts.Token);
    }

    public async ValueTask DisposeAsync() => await Connection.DisposeAsync();
}

/// <summary>An agent's console: signed in over HTTP on one node, its hub connection possibly on another.</summary>
public sealed class ClusterAgent : IAsyncDisposable
{
    private static readonly TimeSpan CallLimit = TimeSpan.FromSeconds(20);

    private ClusterAgent(HubConnection connection) => Connection = connection;

    public HubConnection Connection { get; }
    public Inbox<ConversationAssignedView> Assigned { get; } = new(defaultSeconds: 15);
    public Inbox<ChatMessage> Messages { get; } = new(defaultSeconds: 15);
    public Inbox<VisitorsChanged> VisitorChanges { get; } = new(defaultSeconds: 15);

    /// <param name="origin">The page's origin, as a browser sends it (the console's own origin is allowed).</param>
    public static async Task<ClusterAgent> Connect(string hubNodeUrl, CookieContainer cookies, string? origin = null)
    {
        var connection = new HubConnectionBuilder().WithUrl($"{hubNodeUrl}/hubs/agent", o =>
        {
            o.Cookies = cookies;
            if (origin is not null) o.Headers["Origin"] = origin;
        }).Build();
        var a = new ClusterAgent(connection);
        var on = new AgentHubPushes(connection);
        on.ConversationAssigned(a.Assigned.Add);
        on.Message(a.Messages.Add);
        on.VisitorsChanged(a.VisitorChanges.Add);
        using var cts = new CancellationTokenSource(CallLimit);
        try { await connection.StartAsync(cts.Token); }
        catch { await connection.DisposeAsync(); throw; }
        return a;
    }

    public Task<IReadOnlyList<AgentInfo>> Online(int capacity) => Call(ct => Calls.SetStatus(new SetStatusRequest(AgentStatus.Online, capacity), ct));

    public Task<MessageAck> Send(string conversationId, string text) =>
        Call(ct => Calls.SendMessage(new AgentSendMessageRequest(conversationId, Guid.NewGuid().ToString("n"), text), ct));

    public Task<VisitorsPage> Watch(WatchVisitorsRequest? request = null) => Call(ct => Calls.WatchVisitors(request ?? new WatchVisitorsRequest(), ct));

    public Task<IReadOnlyList<QueueEntry>> GetQueue() => Call(Calls.GetQueue);

    public Task<ConversationDetail> GetConversation(string conversationId) => Call(ct => Calls.GetConversation(new ConversationRequest(conversationId), ct));

    /// <summary>Every agent hub method, typed.</summary>
    public AgentHubCalls Calls => new(Connection);

    private static async Task<T> Call<T>(Func<CancellationToken, Task<T>> call)
    {
        using var cts = new CancellationTokenSource(CallLimit);
        return await call(cts.Token);
    }

    public async ValueTask DisposeAsync() => await Connection.DisposeAsync();
}
