using LiveChat.Contracts;

namespace LiveChat.Grains;

/// <summary>One agent on one site: their console connections and status. Key: <c>{siteId}/{agentId}</c>.</summary>
public interface IAgentGrain : IGrainWithStringKey
{
    Task Connected(string connectionId, string name);
    Task Disconnected(string connectionId);
    Task<AgentInfo> SetStatus(string status, int? capacity);
}
