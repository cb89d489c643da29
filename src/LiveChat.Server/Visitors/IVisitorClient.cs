using LiveChat.Contracts;

namespace LiveChat.Server.Visitors;

/// <summary>What the server pushes to the widget; each method's name is the pushed message's name.</summary>
public interface IVisitorClient
{
    Task Invitation(InvitationView invitation);
    Task Queue(QueueView queue);
    Task AgentJoined(AgentJoinedView joined);
    Task Message(ChatMessage message);
    Task Typing(TypingView typing);
    Task ChatEnded(ChatEndedView ended);
    Task Notice(NoticeView notice);
    Task NoticeCleared(NoticeClearedView cleared);
    Task SiteStatus(SiteInfo site);
}
