using LiveChat.Contracts;

namespace LiveChat.Grains;

/// <summary>Who is on a site right now, for the agents' live list. Volatile by design: visitors re-report on their next event. Key: siteId.</summary>
public interface IPresenceGrain : IGrainWithStringKey
{
    [OneWay] Task Upsert(VisitorSummary visitor);
    [OneWay] Task Remove(string visitorId);
    [ReadOnly] Task<IReadOnlyList<VisitorSummary>> Snapshot();
}

internal sealed class PresenceGrain : Grain, IPresenceGrain
{
    private const int MaxListed = 20_000;
    private readonly Dictionary<string, VisitorSummary> visitors = [];

    public Task Upsert(VisitorSummary visitor)
    {
        if (visitors.Count < MaxListed || visitors.ContainsKey(visitor.VisitorId)) visitors[visitor.VisitorId] = visitor;
        return Task.CompletedTask;
    }

    public Task Remove(string visitorId)
    {
        visitors.Remove(visitorId);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<VisitorSummary>> Snapshot() =>
        Task.FromResult<IReadOnlyList<VisitorSummary>>(visitors.Values.OrderByDescending(v => v.LastSeenAt).ToList());
}
