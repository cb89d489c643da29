using LiveChat.Contracts;

namespace LiveChat.Grains;

/// <summary>One agent on one site: their console connections and status. Key: <c>{siteId}/{agentId}</c>.</summary>
public interface IAgentGrain : IGrainWithStringKey
{
    Task Connected(string connectionId, string name);
    Task Disconnected(string connectionId);
    Task<AgentInfo> SetStatus(string status, int? capacity);
    /// <summary>The console's language, kept next to the status (<see cref="ConsoleLanguages"/>).</summary>
    Task<string> SetLanguage(string language);
    [ReadOnly] Task<string> GetLanguage();
    /// <summary>Activates the grain, which goes offline after the grace period unless a console is connected.</summary>
    [OneWay] Task Wake();
}
