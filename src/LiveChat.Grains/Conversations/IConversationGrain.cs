using LiveChat.Contracts;

namespace LiveChat.Grains;

/// <summary>One conversation: status, participants, ordered messages with gap-free sequence numbers. Key: conversation id.</summary>
public interface IConversationGrain : IGrainWithStringKey
{
    /// <summary>Opens the conversation; an accepted invitation's text becomes its first message (from "invitation").</summary>
    Task<ConversationView> Start(string siteId, string visitorId, string? ruleId, string? situation, string? invitationText = null, string? invitedBy = null);
    [ReadOnly] Task<ConversationView?> GetView();
    [ReadOnly] Task<IReadOnlyList<ChatMessage>> GetMessages(long afterSequence);

    /// <summary>Persists, then acknowledges. A retry with the same client message id returns the first ack.</summary>
    Task<MessageAck> Append(string from, string senderId, string? senderName, string clientMessageId, string text);
    Task Typing(string from, string senderId, bool isTyping);

    Task Assign(string agentId, string agentName, string? transferNote);
    /// <summary>The agent is gone: back to queued (with a system message); returns the queue entry, or null when closed.</summary>
    Task<QueueEntry?> Requeue(SystemText systemMessage);
    Task Close(string by, string reason);
    Task SetTranscriptEmail(string email);
    /// <summary>The visitor rates the ended chat: only its own visitor, once, within 7 days. Returns the rated view.</summary>
    Task<ConversationView> Rate(string visitorId, int score, string? comment);
    /// <summary>Deletes the conversation and its messages (the visitor asked to be forgotten); an open one is taken off the queue first.</summary>
    Task Forget();
}
