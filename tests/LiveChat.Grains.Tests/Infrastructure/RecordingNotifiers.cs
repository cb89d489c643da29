using LiveChat.Contracts;

namespace LiveChat.Grains.Tests.Infrastructure;

/// <summary>Records what grains push to visitors, keyed <c>{siteId}/{visitorId}</c>.</summary>
public sealed class RecordingVisitorNotifier : IVisitorNotifier
{
    public Recorded Pushes { get; } = new();

    public Task Invitation(string siteId, string visitorId, InvitationView invitation) => Add(siteId, visitorId, invitation);
    public Task Queue(string siteId, string visitorId, QueueView queue) => Add(siteId, visitorId, queue);
    /// <summary>Recorded as one batch under the site id, and each place under its visitor as <see cref="Queue"/> would be.</summary>
    public Task Queues(string siteId, IReadOnlyList<QueuedVisitor> queued)
    {
        Pushes.Add(siteId, queued);
        foreach (var q in queued) Pushes.Add(Keys.Of(siteId, q.VisitorId), q.Queue);
        return Task.CompletedTask;
    }
    public Task AgentJoined(string siteId, string visitorId, AgentJoinedView joined) => Add(siteId, visitorId, joined);
    public Task Message(string siteId, string visitorId, ChatMessage message) => Add(siteId, visitorId, message);
    public Task Typing(string siteId, string visitorId, TypingView typing) => Add(siteId, visitorId, typing);
    public Task ChatEnded(string siteId, string visitorId, ChatEndedView ended) => Add(siteId, visitorId, ended);
    public Task Notice(string siteId, string visitorId, NoticeView notice) => Add(siteId, visitorId, notice);
    public Task NoticeCleared(string siteId, string visitorId, NoticeClearedView cleared) => Add(siteId, visitorId, cleared);
    /// <summary>Site-wide: recorded under the site id alone.</summary>
    public Task SiteStatus(string siteId, SiteInfo site)
    {
        Pushes.Add(siteId, site);
        return Task.CompletedTask;
    }

    private Task Add(string siteId, string visitorId, object push)
    {
        Pushes.Add(Keys.Of(siteId, visitorId), push);
        return Task.CompletedTask;
    }
}

/// <summary>Records what grains push to agents: per agent id, or per site id for site-wide pushes.</summary>
public sealed class RecordingAgentNotifier : IAgentNotifier
{
    public Recorded Pushes { get; } = new();

    public Task QueueChanged(string siteId, QueueChangedView queue) => Add(siteId, queue);
    public Task ConversationAssigned(string agentId, ConversationAssignedView assigned) => Add(agentId, assigned);
    public Task Message(string agentId, ChatMessage message) => Add(agentId, message);
    public Task Typing(string agentId, TypingView typing) => Add(agentId, typing);
    public Task ConversationClosed(string agentId, ConversationClosedView closed) => Add(agentId, closed);
    public Task VisitorUpdated(string siteId, VisitorSummary visitor, string? presenceOwner = null) => Add(siteId, visitor);
    public Task VisitorLeft(string siteId, VisitorLeftView left) => Add(siteId, left);
    public Task CallbackRequested(string siteId, CallbackView callback) => Add(siteId, callback);
    public Task ChatVisitor(string agentId, ChatVisitorView visitor) => Add(agentId, visitor);
    public Task AgentsChanged(string siteId, IReadOnlyList<AgentInfo> agents) => Add(siteId, agents);
    public Task ConversationRated(string agentId, ConversationRatedView rated) => Add(agentId, rated);

    private Task Add(string to, object push)
    {
        Pushes.Add(to, push);
        return Task.CompletedTask;
    }
}

/// <summary>Records what the outbox hands to the transport; a test reports the outcome itself.</summary>
public sealed class RecordingOutbox : IOutboxTransport
{
    private readonly Lock gate = new();
    private readonly List<(string SiteId, OutboxItem Item)> started = [];

    public void Start(string siteId, OutboxItem item)
    {
        lock (gate) started.Add((siteId, item));
    }

    public IReadOnlyList<OutboxItem> Started(string siteId)
    {
        lock (gate) return started.Where(s => s.SiteId == siteId).Select(s => s.Item).ToList();
    }
}

/// <summary>Records the events grains publish for webhooks.</summary>
public sealed class RecordingEvents : IEventPublisher
{
    public Recorded Published { get; } = new();

    public Task Publish(string siteId, string type, object data)
    {
        Published.Add(siteId, type);
        return Task.CompletedTask;
    }
}
