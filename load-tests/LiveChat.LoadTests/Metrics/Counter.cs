namespace LiveChat.LoadTests.Metrics;

/// <summary>Everything the harness counts. Names become report keys, so rename with care.</summary>
internal enum Counter
{
    // Connections, per kind of client.
    VisitorConnectAttempted, VisitorConnectEstablished, VisitorConnectFailed, VisitorDropped,
    ChatterConnectAttempted, ChatterConnectEstablished, ChatterConnectFailed, ChatterDropped,
    AgentConnectAttempted, AgentConnectEstablished, AgentConnectFailed, AgentDropped,
    EchoConnectAttempted, EchoConnectEstablished, EchoConnectFailed, EchoDropped,

    // Browsing.
    Hellos, PageViews, VisibilityChanges, TrackEvents, InvokeErrors,

    // Invitations: due = the rule's instant passed while we waited for it.
    InvitationsDue, InvitationsDelivered, InvitationsMissed, InvitationsEarly, InvitationsUnexpected,

    // Chats.
    ChatsStarted, ChatsAcceptedInvitation, ChatsAgentJoined, ChatsNoAgent, ChatStartFailed,
    MessagesSkippedNoChatter,

    // Visitor → agent messages.
    VisitorMessagesSent, VisitorMessagesAcked, VisitorMessagesSendFailed,
    VisitorMessagesDelivered, VisitorMessagesDuplicated,

    // Agent → visitor messages.
    AgentMessagesSent, AgentMessagesAcked, AgentMessagesSendFailed,
    AgentMessagesDelivered, AgentMessagesRecovered, AgentMessagesDuplicated,

    // Agents.
    AgentAccepts, AgentAcceptsRefused, AgentAssignments,

    // Reconnect storm.
    StormDrops, StormResumed, StormResumeFailed, StormResumedConversation, StormLostConversation,

    // Cluster: a node SIGKILLed; its clients resume on another node.
    NodeKillDroppedVisitors, NodeKillDroppedChatters, NodeKillResumedVisitors, NodeKillResumedChatters,
    NodeKillResumedSameVisitor, NodeKillResumedConversation, NodeKillLostConversation, NodeKillReconnectRetries,
    NodeKillRecovered, NodeKillNotRecovered,
    MessagesResent, VisitorMessagesUnackedAtEnd,

    // End-of-run check: every acknowledged message retrievable by GetMessages(0).
    VerifiedConversations, VerifiedAcked, VerifiedMissing, VerifyFailedConversations, VerifyUncheckedAcks, StoredDuplicates,

    // Echo baseline.
    EchoSent, EchoReturned, EchoPushed, EchoFailed,
}

/// <summary>Lock-free counters indexed by <see cref="Counter"/>.</summary>
internal sealed class Counters
{
    private readonly long[] values = new long[Enum.GetValues<Counter>().Length];

    public void Add(Counter counter, long by = 1) => Interlocked.Add(ref values[(int)counter], by);

    public long this[Counter counter] => Interlocked.Read(ref values[(int)counter]);

    public Dictionary<string, long> Snapshot() =>
        Enum.GetValues<Counter>().ToDictionary(c => c.ToString(), c => this[c]);
}
