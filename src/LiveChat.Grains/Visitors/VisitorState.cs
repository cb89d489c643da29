using LiveChat.Contracts;

namespace LiveChat.Grains;

/// <summary>Everything a visitor grain persists: written on meaningful changes (page, cart, invitation, conversation), not on every event.</summary>
[GenerateSerializer]
public sealed class VisitorState
{
    [Id(0)] public int Visits { get; set; }
    [Id(1)] public DateTimeOffset VisitStartedAt { get; set; }
    [Id(2)] public DateTimeOffset LastActivityAt { get; set; }
    [Id(3)] public string? Url { get; set; }
    [Id(4)] public string? Title { get; set; }
    [Id(5)] public string? Referrer { get; set; }
    [Id(6)] public string? UtmCampaign { get; set; }
    [Id(7)] public DateTimeOffset PageEnteredAt { get; set; }
    [Id(8)] public TimeSpan VisibleBanked { get; set; }
    [Id(9)] public DateTimeOffset? VisibleSince { get; set; }
    [Id(10)] public int PagesThisVisit { get; set; }
    [Id(11)] public List<CartLine> Cart { get; set; } = [];
    [Id(12)] public Dictionary<string, DateTimeOffset> LastEventAt { get; set; } = [];
    [Id(13)] public List<JourneyEntry> Journey { get; set; } = [];
    [Id(14)] public Dictionary<string, InvitationRecord> Invitations { get; set; } = [];
    [Id(15)] public int DismissalsThisVisit { get; set; }
    [Id(16)] public DateTimeOffset? QuietUntil { get; set; }
    [Id(17)] public PendingInvitation? Pending { get; set; }
    [Id(18)] public string? ConversationId { get; set; }
    [Id(19)] public List<string> PastConversations { get; set; } = [];
    /// <summary>The invitation the visitor accepted, so the chat it leads to is counted for that situation.</summary>
    [Id(20)] public PendingInvitation? Accepted { get; set; }
    /// <summary>The situation of this visit's chat, for conversion counting (order after chat).</summary>
    [Id(21)] public PendingInvitation? ChattedAbout { get; set; }
    [Id(22)] public bool ConvertedThisVisit { get; set; }
    /// <summary>Stat events not yet known to be counted (see <see cref="StatOutbox"/>), and the last number given to one.</summary>
    [Id(23)] public List<PendingStat> Outbox { get; set; } = [];
    [Id(24)] public long StatSeq { get; set; }
    // Requests (ids from 210 on, clear of the other features' fields).
    /// <summary>The visitor's own request references, newest last: only these answer "where is my request?".</summary>
    [Id(210)] public List<string> RequestReferences { get; set; } = [];
    /// <summary>Open conversation → where its transcript goes when it ends.</summary>
    [Id(211)] public Dictionary<string, string> TranscriptTo { get; set; } = [];
}

[GenerateSerializer]
public sealed record PendingStat(long Seq, StatEvent Stat);

[GenerateSerializer]
public sealed record InvitationRecord(int ShownThisVisit, DateTimeOffset? LastShownAt);

[GenerateSerializer]
public sealed record PendingInvitation(InvitationView Invitation, DateTimeOffset ShownAt);
