using LiveChat.Contracts;

namespace LiveChat.Server.Agents;

/// <summary>What the server pushes to the agent console; each method's name is the pushed message's name.</summary>
public interface IAgentClient
{
    Task QueueChanged(QueueChangedView queue);
    Task ConversationAssigned(ConversationAssignedView assigned);
    Task Message(ChatMessage message);
    Task Typing(TypingView typing);
    Task ConversationClosed(ConversationClosedView closed);
    /// <summary>The live-visitors view the connection watches: at most one a second, see <see cref="VisitorWatch"/>.</summary>
    Task VisitorsChanged(VisitorsChanged changed);
    Task CallbackRequested(CallbackView callback);
    Task ChatVisitor(ChatVisitorView visitor);
    Task AgentsChanged(IReadOnlyList<AgentInfo> agents);
    Task ConversationRated(ConversationRatedView rated);
}
