using LiveChat.Contracts;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveChat.Server.Tests.Infrastructure;

/// <summary>A visitor as the widget is one: a real SignalR connection to /hubs/visitor, recording every push.</summary>
public sealed class TestVisitor : IAsyncDisposable
{
    private TestVisitor(HubConnection connection) => Connection = connection;

    public HubConnection Connection { get; }
    /// <summary>Every visitor hub method, typed (for calls without a shortcut here).</summary>
    public VisitorHubCalls Calls => new(Connection);
    public Inbox<InvitationView> Invitations { get; } = new();
    public Inbox<ChatMessage> Messages { get; } = new();
    public Inbox<QueueView> Queue { get; } = new();
    public Inbox<AgentJoinedView> Joined { get; } = new();
    public Inbox<TypingView> Typing { get; } = new();
    public Inbox<ChatEndedView> Ended { get; } = new();
    public Inbox<NoticeView> Notices { get; } = new();
    public Inbox<NoticeClearedView> NoticesCleared { get; } = new();
    public Inbox<SiteInfo> SiteStatus { get; } = new();
    public HelloResult? Identity { get; private set; }

    public static Task<TestVisitor> Connect(string baseUrl, string site = "demo") =>
        Connect(new HubConnectionBuilder().WithUrl($"{baseUrl}/hubs/visitor?site={site}").Build());

    /// <summary>A visitor whose connection leaves from another loopback address (see <see cref="Loopback"/>).</summary>
    public static Task<TestVisitor> From(System.Net.IPAddress source, string baseUrl, string site = "demo", string? origin = null) =>
        Connect(Loopback.Hub($"{baseUrl}/hubs/visitor?site={site}", source, origin));

    private static async Task<TestVisitor> Connect(HubConnection connection)
    {
        var v = new TestVisitor(connection);
        var on = new VisitorHubPushes(connection);
        on.Invitation(v.Invitations.Add);
        on.Message(v.Messages.Add);
        on.Queue(v.Queue.Add);
        on.AgentJoined(v.Joined.Add);
        on.Typing(v.Typing.Add);
        on.ChatEnded(v.Ended.Add);
        on.Notice(v.Notices.Add);
        on.NoticeCleared(v.NoticesCleared.Add);
        on.SiteStatus(v.SiteStatus.Add);
        await connection.StartAsync();
        return v;
    }

    public static string Page(string path) => "http://127.0.0.1" + path;

    public async Task<HelloResult> Hello(string path = "/", string? visitorId = null, string? token = null, string? referrer = null, IReadOnlyList<string>? languages = null)
    {
        Identity = await Calls.Hello(new HelloRequest(visitorId, token, new PageInfo(Page(path), "Test page", referrer), languages));
        return Identity;
    }

    public Task PageView(string path) => Calls.PageView(new PageInfo(Page(path), null, null));
    public Task Visibility(bool visible) => Calls.Visibility(new VisibilityRequest(visible));
    public Task Track(string name, object? properties = null) => Calls.Track(new { name, properties });
    public Task<StartChatResult> StartChat(string? text = null) => Calls.StartChat(new StartChatRequest(text));
    public Task<MessageAck> Send(string text, string? clientMessageId = null) =>
        Calls.SendMessage(new SendMessageRequest(clientMessageId ?? Guid.NewGuid().ToString("n"), text));
    public Task<IReadOnlyList<ChatMessage>> GetMessages(long after = 0) => Calls.GetMessages(new GetMessagesRequest(after));
    public Task Accept(string invitationId) => Calls.AcceptInvitation(new InvitationRequest(invitationId));
    public Task Dismiss(string invitationId) => Calls.DismissInvitation(new InvitationRequest(invitationId));

    public async ValueTask DisposeAsync() => await Connection.DisposeAsync();
}
