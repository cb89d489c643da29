namespace LiveChat.Grains;

/// <summary>The grace periods and quiet times of the grains (configuration section <c>LiveChat:Timings</c>).</summary>
public sealed class GrainTimings
{
    /// <summary>A visitor with no open tab still counts as on the site this long (a reload is not leaving).</summary>
    public TimeSpan VisitorLeaveGrace { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>An agent whose console disconnected keeps their chats this long before they go back to the queue.</summary>
    public TimeSpan AgentDisconnectGrace { get; set; } = TimeSpan.FromSeconds(20);
    /// <summary>After a "no thanks", no other invitation for this long: proactive, not pushy.</summary>
    public TimeSpan QuietAfterDismiss { get; set; } = TimeSpan.FromMinutes(2);
    /// <summary>How stale a node's cached copy of a site's rules may be (a change on the same node applies at once).</summary>
    public TimeSpan SiteRefresh { get; set; } = TimeSpan.FromSeconds(2);
    /// <summary>A queued chat whose visitor has been off the site this long leaves the queue and becomes a missed chat.</summary>
    public TimeSpan QueuedChatAbandonAfter { get; set; } = TimeSpan.FromMinutes(2);
    /// <summary>An answered chat whose visitor has been off the site this long no longer takes one of the agent's seats.</summary>
    public TimeSpan LeftChatFreesSeatAfter { get; set; } = TimeSpan.FromMinutes(1);
    /// <summary>An answered chat whose visitor has been off the site this long closes itself.</summary>
    public TimeSpan LeftChatCloseAfter { get; set; } = TimeSpan.FromMinutes(5);
    /// <summary>How long a node sums stat events before it sends them to the site's stats grain (real time, not the grains' clock).</summary>
    public TimeSpan StatsFlush { get; set; } = TimeSpan.FromSeconds(2);
    /// <summary>
    /// A node's visitors stay in the live-visitors list this long after the node was last heard from (it renews every
    /// third of it): a node that dies takes its visitors out of the list and the online counts after this (real time).
    /// </summary>
    public TimeSpan PresenceLease { get; set; } = TimeSpan.FromSeconds(30);
}
