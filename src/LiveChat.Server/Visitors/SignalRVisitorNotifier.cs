using LiveChat.Contracts;
using LiveChat.Grains;
using Microsoft.AspNetCore.SignalR;

namespace LiveChat.Server.Visitors;

/// <summary>Grains' port to visitors: a SignalR group per visitor holds all their tabs, on any node (Redis backplane).</summary>
internal sealed class SignalRVisitorNotifier(IHubContext<VisitorHub, IVisitorClient> hub, ILogger<SignalRVisitorNotifier> log) : IVisitorNotifier
{
    public static string Group(string siteId, string visitorId) => $"v:{siteId}/{visitorId}";
    /// <summary>Every widget connection of a site, for the rare site-wide push (availability changed).</summary>
    public static string SiteGroup(string siteId) => $"vs:{siteId}";

    private IVisitorClient To(string siteId, string visitorId) => hub.Clients.Group(Group(siteId, visitorId));

    public Task Invitation(string siteId, string visitorId, InvitationView invitation) => To(siteId, visitorId).Invitation(invitation);
    public Task Queue(string siteId, string visitorId, QueueView queue) => To(siteId, visitorId).Queue(queue);

    /// <summary>
    /// Every push started, none awaited: a widget whose connection stalls (its write waits on a full buffer) holds up
    /// only its own connection, whose writes SignalR keeps in order; the site's routing goes on.
    /// </summary>
    public Task Queues(string siteId, IReadOnlyList<QueuedVisitor> queued)
    {
        foreach (var q in queued) Observe(To(siteId, q.VisitorId).Queue(q.Queue));
        return Task.CompletedTask;
    }

    private void Observe(Task send)
    {
        if (send.IsCompletedSuccessfully) return;
        send.ContinueWith(t => log.LogDebug(t.Exception, "A queue push failed"), CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    public Task AgentJoined(string siteId, string visitorId, AgentJoinedView joined) => To(siteId, visitorId).AgentJoined(joined);
    public Task Message(string siteId, string visitorId, ChatMessage message) => To(siteId, visitorId).Message(message);
    public Task Typing(string siteId, string visitorId, TypingView typing) => To(siteId, visitorId).Typing(typing);
    public Task ChatEnded(string siteId, string visitorId, ChatEndedView ended) => To(siteId, visitorId).ChatEnded(ended);
    public Task Notice(string siteId, string visitorId, NoticeView notice) => To(siteId, visitorId).Notice(notice);
    public Task NoticeCleared(string siteId, string visitorId, NoticeClearedView cleared) => To(siteId, visitorId).NoticeCleared(cleared);
    public Task SiteStatus(string siteId, SiteInfo site) => hub.Clients.Group(SiteGroup(siteId)).SiteStatus(site);
}
