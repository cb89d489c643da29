using LiveChat.Contracts;
using LiveChat.Grains;
using Microsoft.AspNetCore.SignalR;

namespace LiveChat.Server.Agents;

/// <summary>Grains' port to agents: one agent is a SignalR user (all their tabs); a site's agents and watchers are groups.</summary>
internal sealed class SignalRAgentNotifier(IHubContext<AgentHub, IAgentClient> hub) : IAgentNotifier
{
    public static string SiteGroup(string siteId) => $"agents:{siteId}";
    public static string WatchGroup(string siteId) => $"watch:{siteId}";

    public Task QueueChanged(string siteId, QueueChangedView queue) => hub.Clients.Group(SiteGroup(siteId)).QueueChanged(queue);
    public Task ConversationAssigned(string agentId, ConversationAssignedView assigned) => hub.Clients.User(agentId).ConversationAssigned(assigned);
    public Task Message(string agentId, ChatMessage message) => hub.Clients.User(agentId).Message(message);
    public Task Typing(string agentId, TypingView typing) => hub.Clients.User(agentId).Typing(typing);
    public Task ConversationClosed(string agentId, ConversationClosedView closed) => hub.Clients.User(agentId).ConversationClosed(closed);
    public Task VisitorUpdated(string siteId, VisitorSummary visitor) => hub.Clients.Group(WatchGroup(siteId)).VisitorUpdated(visitor);
    public Task VisitorLeft(string siteId, VisitorLeftView left) => hub.Clients.Group(WatchGroup(siteId)).VisitorLeft(left);
    public Task CallbackRequested(string siteId, CallbackView callback) => hub.Clients.Group(SiteGroup(siteId)).CallbackRequested(callback);
    public Task AgentsChanged(string siteId, IReadOnlyList<AgentInfo> agents) => hub.Clients.Group(SiteGroup(siteId)).AgentsChanged(agents);
    public Task ConversationRated(string agentId, ConversationRatedView rated) => hub.Clients.User(agentId).ConversationRated(rated);
}
