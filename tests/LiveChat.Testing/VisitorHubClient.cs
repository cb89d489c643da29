using LiveChat.Contracts;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveChat.Testing;

/// <summary>
/// Typed calls to <c>/hubs/visitor</c>: each method is named as the hub's (the name is written once, as <c>nameof</c>).
/// Server.Tests checks every name and argument type against the server's <c>VisitorHub</c>.
/// </summary>
public readonly struct VisitorHubCalls(HubConnection connection)
{
    public Task<HelloResult> Hello(HelloRequest request, CancellationToken ct = default) => connection.InvokeAsync<HelloResult>(nameof(Hello), request, ct);
    public Task PageView(PageInfo page, CancellationToken ct = default) => connection.InvokeAsync(nameof(PageView), page, ct);
    public Task Visibility(VisibilityRequest request, CancellationToken ct = default) => connection.InvokeAsync(nameof(Visibility), request, ct);
    /// <summary><paramref name="request"/>: a <see cref="TrackRequest"/> or any object of that shape (<c>new { name, properties }</c>).</summary>
    public Task Track(object request, CancellationToken ct = default) => connection.InvokeAsync(nameof(Track), request, ct);
    public Task AcceptInvitation(InvitationRequest request, CancellationToken ct = default) => connection.InvokeAsync(nameof(AcceptInvitation), request, ct);
    public Task DismissInvitation(InvitationRequest request, CancellationToken ct = default) => connection.InvokeAsync(nameof(DismissInvitation), request, ct);
    public Task<StartChatResult> StartChat(StartChatRequest request, CancellationToken ct = default) => connection.InvokeAsync<StartChatResult>(nameof(StartChat), request, ct);
    public Task<MessageAck> SendMessage(SendMessageRequest request, CancellationToken ct = default) => connection.InvokeAsync<MessageAck>(nameof(SendMessage), request, ct);
    public Task Typing(TypingRequest request, CancellationToken ct = default) => connection.InvokeAsync(nameof(Typing), request, ct);
    public Task<IReadOnlyList<ChatMessage>> GetMessages(GetMessagesRequest request, CancellationToken ct = default) =>
        connection.InvokeAsync<IReadOnlyList<ChatMessage>>(nameof(GetMessages), request, ct);
    public Task<ReferenceResult> RequestCallback(RequestCallbackRequest request, CancellationToken ct = default) =>
        connection.InvokeAsync<ReferenceResult>(nameof(RequestCallback), request, ct);
    public Task<ReferenceResult> LeaveMessage(LeaveMessageRequest request, CancellationToken ct = default) =>
        connection.InvokeAsync<ReferenceResult>(nameof(LeaveMessage), request, ct);
    public Task<CallbackSlotsResult> GetCallbackSlots(CallbackSlotsRequest? request, CancellationToken ct = default) =>
        connection.InvokeAsync<CallbackSlotsResult>(nameof(GetCallbackSlots), request, ct);
    public Task<RequestStatusView> GetRequestStatus(RequestStatusRequest request, CancellationToken ct = default) =>
        connection.InvokeAsync<RequestStatusView>(nameof(GetRequestStatus), request, ct);
    public Task<IReadOnlyList<RequestStatusView>> GetMyRequests(CancellationToken ct = default) =>
        connection.InvokeAsync<IReadOnlyList<RequestStatusView>>(nameof(GetMyRequests), ct);
    public Task EndChat(EndChatRequest? request, CancellationToken ct = default) => connection.InvokeAsync(nameof(EndChat), request, ct);
    public Task RequestTranscript(TranscriptRequest request, CancellationToken ct = default) => connection.InvokeAsync(nameof(RequestTranscript), request, ct);
    public Task Rate(RateRequest request, CancellationToken ct = default) => connection.InvokeAsync(nameof(Rate), request, ct);
    public Task ReportContact(ReportContactRequest request, CancellationToken ct = default) => connection.InvokeAsync(nameof(ReportContact), request, ct);
}

/// <summary>
/// What <c>/hubs/visitor</c> pushes, each a subscription named as the push (the server's <c>IVisitorClient</c> method);
/// the handler gets the payload. Server.Tests checks the names and payload types against <c>IVisitorClient</c>.
/// </summary>
public readonly struct VisitorHubPushes(HubConnection connection)
{
    public IDisposable Invitation(Action<InvitationView> handler) => connection.On(nameof(Invitation), handler);
    public IDisposable Queue(Action<QueueView> handler) => connection.On(nameof(Queue), handler);
    public IDisposable AgentJoined(Action<AgentJoinedView> handler) => connection.On(nameof(AgentJoined), handler);
    public IDisposable Message(Action<ChatMessage> handler) => connection.On(nameof(Message), handler);
    public IDisposable Typing(Action<TypingView> handler) => connection.On(nameof(Typing), handler);
    public IDisposable ChatEnded(Action<ChatEndedView> handler) => connection.On(nameof(ChatEnded), handler);
    public IDisposable Notice(Action<NoticeView> handler) => connection.On(nameof(Notice), handler);
    public IDisposable NoticeCleared(Action<NoticeClearedView> handler) => connection.On(nameof(NoticeCleared), handler);
    public IDisposable SiteStatus(Action<SiteInfo> handler) => connection.On(nameof(SiteStatus), handler);
}
