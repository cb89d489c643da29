using LiveChat.Contracts;

namespace LiveChat.Grains;

/// <summary>A site's index of requests: small entries only (the request itself lives in its own grain).</summary>
[GenerateSerializer]
public sealed class RequestsState
{
    [Id(0)] public List<RequestIndexEntry> Entries { get; set; } = [];
}

[GenerateSerializer]
public sealed class RequestIndexEntry
{
    [Id(0)] public string Reference { get; set; } = "";
    [Id(1)] public string VisitorId { get; set; } = "";
    [Id(2)] public string Kind { get; set; } = "";
    [Id(3)] public DateTimeOffset CreatedAt { get; set; }
    /// <summary>The booked slot of a callback at a chosen time.</summary>
    [Id(4)] public DateTimeOffset? At { get; set; }
    [Id(5)] public string? Address { get; set; }
    [Id(6)] public bool Done { get; set; }
    [Id(7)] public DateTimeOffset? DoneAt { get; set; }
    [Id(8)] public bool DueAlerted { get; set; }
    /// <summary>A missed chat's conversation, so the chat's return can close it.</summary>
    [Id(9)] public string? ConversationId { get; set; }
}

/// <summary>One request: what the visitor asked, its e-mails and the agents' replies.</summary>
[GenerateSerializer]
public sealed class RequestState
{
    [Id(0)] public CallbackView? View { get; set; }
    [Id(1)] public string? Address { get; set; }
    [Id(2)] public List<MailView> Mails { get; set; } = [];
    [Id(3)] public List<RequestReply> Replies { get; set; } = [];
}
