using LiveChat.Contracts;

namespace LiveChat.Grains;

/// <summary>A conversation's metadata (its messages live in <see cref="IMessageStore"/>), small and written only when it changes.</summary>
[GenerateSerializer]
public sealed class ConversationState
{
    [Id(0)] public string SiteId { get; set; } = "";
    [Id(1)] public string VisitorId { get; set; } = "";
    [Id(2)] public string Status { get; set; } = "";
    [Id(3)] public string? AgentId { get; set; }
    [Id(4)] public string? AgentName { get; set; }
    [Id(5)] public string? RuleId { get; set; }
    [Id(6)] public string? Situation { get; set; }
    [Id(7)] public DateTimeOffset StartedAt { get; set; }
    [Id(8)] public DateTimeOffset? EndedAt { get; set; }
    /// <summary>Only in conversations saved before messages moved to <see cref="IMessageStore"/>; moved out on activation.</summary>
    [Id(9)] public List<ChatMessage> Messages { get; set; } = [];
    [Id(10)] public DateTimeOffset? AssignedAt { get; set; }
    [Id(11)] public bool AgentReplied { get; set; }
    [Id(12)] public string? TranscriptEmail { get; set; }
    [Id(13)] public DateTimeOffset QueuedAt { get; set; }
    [Id(14)] public List<string> TransferNotes { get; set; } = [];

    public bool Exists => Status.Length > 0;
}
