using LiveChat.Contracts;

namespace LiveChat.Grains;

/// <summary>How grains reach visitors' browsers (every tab of one visitor), without knowing about SignalR.</summary>
public interface IVisitorNotifier
{
    Task Invitation(string siteId, string visitorId, InvitationView invitation);
    Task Queue(string siteId, string visitorId, QueueView queue);
    /// <summary>
    /// A site's queue moved: each waiting visitor's new place, in one call. Returns without waiting on any browser, so a
    /// stalled widget connection never holds up the site's routing (the default starts every push and awaits none).
    /// </summary>
    Task Queues(string siteId, IReadOnlyList<QueuedVisitor> queued)
    {
        foreach (var q in queued) _ = Queue(siteId, q.VisitorId, q.Queue);
        return Task.CompletedTask;
    }
    Task AgentJoined(string siteId, string visitorId, AgentJoinedView joined);
    Task Message(string siteId, string visitorId, ChatMessage message);
    Task Typing(string siteId, string visitorId, TypingView typing);
    Task ChatEnded(string siteId, string visitorId, ChatEndedView ended);
    Task Notice(string siteId, string visitorId, NoticeView notice);
    Task NoticeCleared(string siteId, string visitorId, NoticeClearedView cleared);
    /// <summary>To every open widget of the site: whether someone can answer changed.</summary>
    Task SiteStatus(string siteId, SiteInfo site);
}

/// <summary>One waiting visitor's place for <see cref="IVisitorNotifier.Queues"/>.</summary>
public sealed record QueuedVisitor(string VisitorId, QueueView Queue);

/// <summary>
/// How grains reach agents' consoles: one agent (all their tabs) or every agent of a site. Every method returns
/// without waiting on a browser (implementations queue the push); visitor presence is batched, not pushed per event.
/// </summary>
public interface IAgentNotifier
{
    Task QueueChanged(string siteId, QueueChangedView queue);
    Task ConversationAssigned(string agentId, ConversationAssignedView assigned);
    Task Message(string agentId, ChatMessage message);
    Task Typing(string agentId, TypingView typing);
    Task ConversationClosed(string agentId, ConversationClosedView closed);
    /// <summary>Presence for the live-visitors lists: latest state per visitor wins; watchers get at most one diff a second.</summary>
    /// <param name="presenceOwner">The lease of the node holding the visitor's connection, when known (the entry follows that node).</param>
    Task VisitorUpdated(string siteId, VisitorSummary visitor, string? presenceOwner = null);
    Task VisitorLeft(string siteId, VisitorLeftView left);
    Task CallbackRequested(string siteId, CallbackView callback);
    /// <summary>To the agent of a chat: its visitor left the site or came back.</summary>
    Task ChatVisitor(string agentId, ChatVisitorView visitor);
    Task AgentsChanged(string siteId, IReadOnlyList<AgentInfo> agents);
    Task ConversationRated(string agentId, ConversationRatedView rated);
}
