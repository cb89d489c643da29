using LiveChat.Contracts;
using LiveChat.Grains;
using Microsoft.AspNetCore.SignalR;

namespace LiveChat.Server.Agents;

/// <summary>
/// Grains' port to agents: one agent is a SignalR user (all their tabs); a site's agents are a group. Every push is
/// queued on a <see cref="PushLanes"/> lane and returns at once; visitor presence goes to this silo's
/// <see cref="PresenceOutbox"/>, from which <see cref="VisitorWatch"/> sends watchers batched diffs.
/// </summary>
internal sealed class SignalRAgentNotifier(IHubContext<AgentHub, IAgentClient> hub, PushLanes lanes, PresenceOutbox presence) : IAgentNotifier
{
    public static string SiteGroup(string siteId) => $"agents:{siteId}";

    public Task ConversationRated(string agentId, ConversationRatedView rated) =>
        lanes.Ordered(ToAgent(agentId), () => hub.Clients.User(agentId).ConversationRated(rated));

    private static string ToSite(string siteId) => "site:" + siteId;
    private static string ToAgent(string agentId) => "agent:" + agentId;

    public Task QueueChanged(string siteId, QueueChangedView queue) =>
        lanes.Latest(ToSite(siteId), nameof(QueueChanged), () => hub.Clients.Group(SiteGroup(siteId)).QueueChanged(queue));
    public Task AgentsChanged(string siteId, IReadOnlyList<AgentInfo> agents) =>
        lanes.Latest(ToSite(siteId), nameof(AgentsChanged), () => hub.Clients.Group(SiteGroup(siteId)).AgentsChanged(agents));
    public Task CallbackRequested(string siteId, CallbackView callback) =>
        lanes.Ordered(ToSite(siteId), () => hub.Clients.Group(SiteGroup(siteId)).CallbackRequested(callback));

    public Task ConversationAssigned(string agentId, ConversationAssignedView assigned) =>
        lanes.Ordered(ToAgent(agentId), () => hub.Clients.User(agentId).ConversationAssigned(assigned));
    public Task Message(string agentId, ChatMessage message) => lanes.Ordered(ToAgent(agentId), () => hub.Clients.User(agentId).Message(message));
    public Task Typing(string agentId, TypingView typing) => lanes.Ordered(ToAgent(agentId), () => hub.Clients.User(agentId).Typing(typing));
    public Task ConversationClosed(string agentId, ConversationClosedView closed) =>
        lanes.Ordered(ToAgent(agentId), () => hub.Clients.User(agentId).ConversationClosed(closed));

    public Task ChatVisitor(string agentId, ChatVisitorView visitor) =>
        lanes.Ordered(ToAgent(agentId), () => hub.Clients.User(agentId).ChatVisitor(visitor));

    public Task VisitorUpdated(string siteId, VisitorSummary visitor, string? presenceOwner = null)
    {
        presence.Upsert(visitor, presenceOwner);
        return Task.CompletedTask;
    }

    public Task VisitorLeft(string siteId, VisitorLeftView left)
    {
        presence.Remove(left.SiteId, left.VisitorId);
        return Task.CompletedTask;
    }
}
