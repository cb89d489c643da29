using LiveChat.Contracts;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveChat.Testing;

/// <summary>
/// Typed calls to <c>/hubs/agent</c>: each method is named as the hub's (the name is written once, as <c>nameof</c>).
/// Server.Tests checks every name and argument type against the server's <c>AgentHub</c>.
/// </summary>
public readonly struct AgentHubCalls(HubConnection connection)
{
    public Task<IReadOnlyList<AgentInfo>> SetStatus(SetStatusRequest request, CancellationToken ct = default) =>
        connection.InvokeAsync<IReadOnlyList<AgentInfo>>(nameof(SetStatus), request, ct);
    public Task<VisitorsPage> WatchVisitors(WatchVisitorsRequest request, CancellationToken ct = default) =>
        connection.InvokeAsync<VisitorsPage>(nameof(WatchVisitors), request, ct);
    public Task<VisitorDetail> GetVisitor(VisitorRequest request, CancellationToken ct = default) =>
        connection.InvokeAsync<VisitorDetail>(nameof(GetVisitor), request, ct);
    public Task<IReadOnlyList<ConversationView>> GetMyConversations(CancellationToken ct = default) =>
        connection.InvokeAsync<IReadOnlyList<ConversationView>>(nameof(GetMyConversations), ct);
    public Task<IReadOnlyList<QueueEntry>> GetQueue(CancellationToken ct = default) => connection.InvokeAsync<IReadOnlyList<QueueEntry>>(nameof(GetQueue), ct);
    public Task<IReadOnlyList<AgentInfo>> GetAgents(CancellationToken ct = default) => connection.InvokeAsync<IReadOnlyList<AgentInfo>>(nameof(GetAgents), ct);
    public Task<ConversationView> Accept(ConversationRequest request, CancellationToken ct = default) => connection.InvokeAsync<ConversationView>(nameof(Accept), request, ct);
    public Task<MessageAck> SendMessage(AgentSendMessageRequest request, CancellationToken ct = default) => connection.InvokeAsync<MessageAck>(nameof(SendMessage), request, ct);
    public Task Typing(AgentTypingRequest request, CancellationToken ct = default) => connection.InvokeAsync(nameof(Typing), request, ct);
    public Task Transfer(TransferRequest request, CancellationToken ct = default) => connection.InvokeAsync(nameof(Transfer), request, ct);
    public Task Close(ConversationRequest request, CancellationToken ct = default) => connection.InvokeAsync(nameof(Close), request, ct);
    public Task<bool> Invite(InviteRequest request, CancellationToken ct = default) => connection.InvokeAsync<bool>(nameof(Invite), request, ct);
    public Task<ConversationDetail> GetConversation(ConversationRequest request, CancellationToken ct = default) =>
        connection.InvokeAsync<ConversationDetail>(nameof(GetConversation), request, ct);
    public Task<IReadOnlyList<CallbackView>> GetCallbacks(CancellationToken ct = default) => connection.InvokeAsync<IReadOnlyList<CallbackView>>(nameof(GetCallbacks), ct);
    public Task<IReadOnlyList<CallbackView>> GetCallbacksPage(CallbacksPageRequest request, CancellationToken ct = default) =>
        connection.InvokeAsync<IReadOnlyList<CallbackView>>(nameof(GetCallbacksPage), request, ct);
    public Task<bool> MarkCallbackDone(CallbackDoneRequest request, CancellationToken ct = default) => connection.InvokeAsync<bool>(nameof(MarkCallbackDone), request, ct);
    public Task<CallbackView> ReplyToRequest(ReplyToRequestRequest request, CancellationToken ct = default) =>
        connection.InvokeAsync<CallbackView>(nameof(ReplyToRequest), request, ct);
}

/// <summary>
/// What <c>/hubs/agent</c> pushes, each a subscription named as the push (the server's <c>IAgentClient</c> method);
/// the handler gets the payload. Server.Tests checks the names and payload types against <c>IAgentClient</c>.
/// </summary>
public readonly struct AgentHubPushes(HubConnection connection)
{
    public IDisposable QueueChanged(Action<QueueChangedView> handler) => connection.On(nameof(QueueChanged), handler);
    public IDisposable ConversationAssigned(Action<ConversationAssignedView> handler) => connection.On(nameof(ConversationAssigned), handler);
    public IDisposable Message(Action<ChatMessage> handler) => connection.On(nameof(Message), handler);
    public IDisposable Typing(Action<TypingView> handler) => connection.On(nameof(Typing), handler);
    public IDisposable ConversationClosed(Action<ConversationClosedView> handler) => connection.On(nameof(ConversationClosed), handler);
    public IDisposable VisitorsChanged(Action<VisitorsChanged> handler) => connection.On(nameof(VisitorsChanged), handler);
    public IDisposable CallbackRequested(Action<CallbackView> handler) => connection.On(nameof(CallbackRequested), handler);
    public IDisposable ChatVisitor(Action<ChatVisitorView> handler) => connection.On(nameof(ChatVisitor), handler);
    public IDisposable AgentsChanged(Action<IReadOnlyList<AgentInfo>> handler) => connection.On(nameof(AgentsChanged), handler);
    public IDisposable ConversationRated(Action<ConversationRatedView> handler) => connection.On(nameof(ConversationRated), handler);
}

/// <summary><c>connection.VisitorCalls().Hello(…)</c>, <c>connection.AgentPushes().Message(m => …)</c>.</summary>
public static class HubConnectionKit
{
    public static VisitorHubCalls VisitorCalls(this HubConnection connection) => new(connection);
    public static VisitorHubPushes VisitorPushes(this HubConnection connection) => new(connection);
    public static AgentHubCalls AgentCalls(this HubConnection connection) => new(connection);
    public static AgentHubPushes AgentPushes(this HubConnection connection) => new(connection);
}
