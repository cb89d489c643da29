using LiveChat.Contracts;

namespace LiveChat.Grains;

/// <summary>
/// The site's agents and their seats as pure bookkeeping over <see cref="SiteState"/>: status and capacity, who has
/// room, who is picked for the next chat (least loaded, then by id), and moving chats between agents.
/// <see cref="SiteGrain"/> checks the requests, calls the conversations and pushes.
/// </summary>
internal static class Roster
{
    /// <summary>Applies an agent's status, name and capacity. Returns their slot, and whether they just went offline holding chats.</summary>
    public static (AgentSlot Slot, bool WentOfflineWithChats) Update(SiteState s, AgentInfo agent)
    {
        if (!s.Agents.TryGetValue(agent.AgentId, out var slot)) s.Agents[agent.AgentId] = slot = new AgentSlot();
        var wasOnline = slot.Status != AgentStatus.Offline;
        slot.Name = agent.Name;
        slot.Status = agent.Status;
        slot.Capacity = agent.Capacity;
        return (slot, agent.Status == AgentStatus.Offline && wasOnline && slot.Open.Count > 0);
    }

    /// <summary>The agent with room and the fewest chats (ties: by id, so routing is predictable), or null.</summary>
    public static string? PickAgent(SiteState s) =>
        s.Agents.Where(a => a.Value.HasRoom)
            .OrderBy(a => a.Value.Busy).ThenBy(a => a.Key, StringComparer.Ordinal)
            .Select(a => a.Key).FirstOrDefault();

    public static bool AnyHasRoom(SiteState s) => s.Agents.Values.Any(a => a.HasRoom);

    public static bool AnyOnline(SiteState s) => s.Agents.Values.Any(a => a.Status == AgentStatus.Online);

    /// <summary>
    /// What the nodes are told of the site's availability after a change of status or load: null when neither "anyone
    /// has room" nor "anyone online" changed. The sequence grows with every change (and with time), so an older copy never wins.
    /// </summary>
    public static SiteAvailability? AvailabilityAfter(SiteState s, SiteAvailability before, DateTimeOffset now)
    {
        var room = AnyHasRoom(s);
        var online = AnyOnline(s);
        if (room == before.AgentAvailable && online == before.AgentsOnline) return null;
        return new SiteAvailability(room, Math.Max(before.Seq + 1, now.UtcTicks), online);
    }

    /// <summary>Seats of the agents online (busy or not), for the wait estimate.</summary>
    public static int OnlineSeats(SiteState s) => s.Agents.Values.Where(a => a.Status == AgentStatus.Online).Sum(a => a.Capacity);

    public static string? AgentOf(SiteState s, string conversationId) => s.Agents.FirstOrDefault(a => a.Value.Open.Contains(conversationId)).Key;

    /// <summary>The agent takes the chat: it holds one of their seats.</summary>
    public static AgentSlot Seat(SiteState s, string agentId, string conversationId)
    {
        var slot = s.Agents[agentId];
        slot.Open.Add(conversationId);
        return slot;
    }

    /// <summary>The conversation ended or left: no agent holds it any more.</summary>
    public static void Release(SiteState s, string conversationId)
    {
        foreach (var slot in s.Agents.Values) slot.Forget(conversationId);
    }

    /// <summary>
    /// Hands an open chat from one agent to another. A chat whose visitor is away stays away: the new agent's seat frees
    /// and the chat closes on the same clock.
    /// </summary>
    public static void Move(AgentSlot from, AgentSlot to, string conversationId)
    {
        var left = from.Left.TryGetValue(conversationId, out var leftAt);
        from.Forget(conversationId);
        to.Open.Add(conversationId);
        if (left) to.Left[conversationId] = leftAt;
    }

    /// <summary>Empties an agent's seats (they went offline) and returns their chats, with when each one's visitor left if away.</summary>
    public static (IReadOnlyList<string> Chats, IReadOnlyDictionary<string, DateTimeOffset> Left) Vacate(AgentSlot slot)
    {
        var chats = slot.Open.ToList();
        var left = new Dictionary<string, DateTimeOffset>(slot.Left);
        slot.Open.Clear();
        slot.Left.Clear();
        slot.Freed.Clear();
        return (chats, left);
    }

    /// <summary>The agents as the consoles list them, by name.</summary>
    public static IReadOnlyList<AgentInfo> List(SiteState s) =>
        s.Agents.Select(a => new AgentInfo(a.Key, a.Value.Name, a.Value.Status, a.Value.Capacity, a.Value.Busy))
            .OrderBy(a => a.Name, StringComparer.Ordinal).ToList();
}
