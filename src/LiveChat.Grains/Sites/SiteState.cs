using LiveChat.Contracts;

namespace LiveChat.Grains;

/// <summary>Everything a site grain persists.</summary>
[GenerateSerializer]
public sealed class SiteState
{
    [Id(0)] public SiteSettings Settings { get; set; } = new(null, null, 300, null);
    [Id(1)] public RulesDocument Rules { get; set; } = new(0, "[]");
    [Id(2)] public Dictionary<string, AgentSlot> Agents { get; set; } = [];
    [Id(3)] public List<QueueEntry> Queue { get; set; } = [];
    // Id 4 held the callbacks (now IRequestsGrain): not reused.
    /// <summary>Figures stored by versions before the stats grain: moved to <see cref="ISiteStatsGrain"/> on activation, then empty.</summary>
    [Id(5)] public SiteStatsBook Stats { get; set; } = new();
    /// <summary>Recent handling times (seconds) for the wait estimate.</summary>
    [Id(6)] public List<double> HandlingSeconds { get; set; } = [];
}

[GenerateSerializer]
public sealed class AgentSlot
{
    [Id(0)] public string Name { get; set; } = "";
    [Id(1)] public string Status { get; set; } = AgentStatus.Offline;
    [Id(2)] public int Capacity { get; set; } = 3;
    [Id(3)] public List<string> Open { get; set; } = [];
    /// <summary>Open chats whose visitor is off the site, and since when.</summary>
    [Id(4)] public Dictionary<string, DateTimeOffset> Left { get; set; } = [];
    /// <summary>Left chats that no longer take a seat (<see cref="GrainTimings.LeftChatFreesSeatAfter"/>).</summary>
    [Id(5)] public HashSet<string> Freed { get; set; } = [];

    /// <summary>Seats taken: open chats, less those whose visitor left long enough ago.</summary>
    public int Busy => Open.Count(id => !Freed.Contains(id));
    public bool HasRoom => Status == AgentStatus.Online && Busy < Capacity;

    public void Forget(string conversationId)
    {
        Open.Remove(conversationId);
        Left.Remove(conversationId);
        Freed.Remove(conversationId);
    }
}
