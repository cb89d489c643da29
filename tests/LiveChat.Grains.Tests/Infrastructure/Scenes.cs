using LiveChat.Contracts;

namespace LiveChat.Grains.Tests.Infrastructure;

/// <summary>Short ways to set up sites, agents and conversations, each on fresh ids so tests never share state.</summary>
public static class Scenes
{
    public static ISiteGrain Site(this GrainCluster c, string siteId) => c.Grains.GetGrain<ISiteGrain>(siteId);

    public static IConversationGrain Conversation(this GrainCluster c, string id) => c.Grains.GetGrain<IConversationGrain>(id);

    public static IVisitorGrain Visitor(this GrainCluster c, string siteId, string visitorId) =>
        c.Grains.GetGrain<IVisitorGrain>(Keys.Of(siteId, visitorId));

    /// <summary>A started (queued, not yet routed) conversation and the queue entry the visitor grain would enqueue.</summary>
    public static async Task<QueueEntry> NewConversation(this GrainCluster c, string siteId, string? ruleId = null, string? situation = null)
    {
        var id = GrainCluster.NewId("c");
        var visitorId = GrainCluster.NewId("v");
        await c.Conversation(id).Start(siteId, visitorId, ruleId, situation);
        return new QueueEntry(siteId, id, visitorId, ruleId, situation, c.Clock.GetUtcNow(), null);
    }

    public static async Task<(QueueEntry Entry, RoutingResult Routed)> NewChat(this GrainCluster c, string siteId, string? ruleId = null, string? situation = null)
    {
        var entry = await c.NewConversation(siteId, ruleId, situation);
        return (entry, await c.Site(siteId).Enqueue(entry));
    }

    public static Task Online(this GrainCluster c, string siteId, string agentId, int capacity = 3) =>
        c.Site(siteId).UpdateAgent(new AgentInfo(agentId, Name(agentId), AgentStatus.Online, capacity, 0));

    public static Task Offline(this GrainCluster c, string siteId, string agentId, int capacity = 3) =>
        c.Site(siteId).UpdateAgent(new AgentInfo(agentId, Name(agentId), AgentStatus.Offline, capacity, 0));

    public static string Name(string agentId) => "Agent " + agentId;

    public static async Task<ConversationView> View(this GrainCluster c, string conversationId) =>
        await c.Conversation(conversationId).GetView() ?? throw new InvalidOperationException($"no conversation {conversationId}");
}
