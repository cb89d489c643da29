using LiveChat.Contracts;

namespace LiveChat.Grains;

/// <summary>One site: rules (versioned), agents and their load, the queue and per-situation counters (requests: IRequestsGrain). Key: siteId.</summary>
public interface ISiteGrain : IGrainWithStringKey
{
    /// <summary>Applies configuration at start-up; seed rules are used only while the site has none of its own.</summary>
    Task Configure(SiteSettings settings);

    [ReadOnly] Task<SiteRuntime> GetRuntime();
    /// <summary>
    /// <see cref="GetRuntime"/> for a node's <see cref="SiteDirectory"/>, which is then told of every change of the rules
    /// or of agent availability (each call renews the subscription; it lapses after <c>SiteGrain.WatchLapse</c>).
    /// </summary>
    Task<SiteRuntime> Watch(ISiteObserver observer);
    [ReadOnly] Task<RulesDocument> GetRules();
    /// <summary>Stores already-validated rules and returns the new version.</summary>
    Task<long> SetRules(string json);
    [ReadOnly] Task<IReadOnlyList<CannedResponse>> GetCannedResponses();

    Task UpdateAgent(AgentInfo agent);
    [ReadOnly] Task<IReadOnlyList<AgentInfo>> GetAgents();
    /// <summary>Whether any agent has room now. Visitor grains do not call this: they read the availability pushed to their node.</summary>
    [ReadOnly] Task<bool> IsAgentAvailable();
    /// <summary>An <see cref="Availability"/> code: available, busy, offline or closed.</summary>
    [ReadOnly] Task<string> GetAvailability();

    /// <summary>A conversation wants a person: routed to the least-loaded agent with room, else queued (FIFO).</summary>
    Task<RoutingResult> Enqueue(QueueEntry entry);
    /// <summary>An agent picks a waiting conversation. Throws when it is not waiting or the agent is full.</summary>
    Task Accept(string agentId, string conversationId);
    Task Transfer(string fromAgentId, string conversationId, string toAgentId, string? note);
    /// <summary>A conversation ended: frees the agent's slot (or leaves the queue) and serves the next in line.</summary>
    [OneWay] Task Release(string? agentId, string conversationId, double? handledSeconds);
    [ReadOnly] Task<IReadOnlyList<QueueEntry>> GetQueue();
    /// <summary>The visitor of a queued or answered chat left the site (their grain's leave grace ran out).</summary>
    [OneWay] Task VisitorLeft(string conversationId);
    /// <summary>That visitor is back: a waiting chat can be served again, a missed one is queued again.</summary>
    [OneWay] Task VisitorReturned(string conversationId);
    [ReadOnly] Task<IReadOnlyList<string>> GetOpenConversations(string agentId);

    /// <summary>Counted through this node's stats aggregator into <see cref="ISiteStatsGrain"/> (kept for the conversations' figures).</summary>
    [OneWay] Task Record(StatEvent stat);
    /// <summary>The site's figures, read from <see cref="ISiteStatsGrain"/>.</summary>
    [ReadOnly] Task<IReadOnlyList<SituationStats>> GetStats(DateTimeOffset from, DateTimeOffset to);
    /// <summary>Per situation and satisfaction per agent, for the stats endpoints.</summary>
    [ReadOnly] Task<StatsReport> GetReport(DateTimeOffset from, DateTimeOffset to);
}
