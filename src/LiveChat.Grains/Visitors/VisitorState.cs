using LiveChat.Contracts;

namespace LiveChat.Grains;

/// <summary>Everything a visitor grain persists: written on meaningful changes (page, cart, invitation, conversation), not on every event.</summary>
[GenerateSerializer]
public sealed class VisitorState
{
    [Id(0)] public int Visits { get; set; }
    /// <summary>The visitor's languages from their last Hello, best first, the site's default last (issue 20).</summary>
    [Id(420)] public List<string> Languages { get; set; } = [];
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

    // Outcomes (ids from 40, clear of the fields above): did the invitation help, how did the visitor reach out, again?
    /// <summary>Rules that fired for this visitor this visit (invited or held out), for conversions and channel attribution.</summary>
    [Id(40)] public Dictionary<string, FiredRule> Fired { get; set; } = [];
    /// <summary>This visitor's recent contacts (chat, callback, message, phone), for resolution times and ratings.</summary>
    [Id(41)] public List<ContactNote> Contacts { get; set; } = [];
    /// <summary>Hashed phone numbers and e-mail addresses this visitor gave (<see cref="ContactKeys"/>).</summary>
    [Id(42)] public List<string> IdentityKeys { get; set; } = [];
    /// <summary>Contacts within 7 days before the latest one, by this visitor or someone with the same phone/e-mail.</summary>
    [Id(43)] public List<ContactView> EarlierContacts { get; set; } = [];
}

/// <summary>A numbered stat event kept in the visitor's state until counted (a plain class: the JSON storage serializers read it back).</summary>
[GenerateSerializer]
public sealed class PendingStat
{
    [Id(0)] public long Seq { get; set; }
    [Id(1)] public StatKind Kind { get; set; }
    [Id(2)] public string? RuleId { get; set; }
    [Id(3)] public string? Situation { get; set; }
    [Id(4)] public DateTimeOffset At { get; set; }
    [Id(5)] public double? Seconds { get; set; }
    [Id(6)] public int? Variant { get; set; }
    [Id(7)] public string? Channel { get; set; }
    [Id(8)] public string? AgentId { get; set; }
    [Id(9)] public int? Score { get; set; }

    public static PendingStat Of(long seq, StatEvent e) => new()
    {
        Seq = seq, Kind = e.Kind, RuleId = e.RuleId, Situation = e.Situation, At = e.At, Seconds = e.Seconds,
        Variant = e.Variant, Channel = e.Channel, AgentId = e.AgentId, Score = e.Score,
    };
    public StatEvent ToEvent() => new(Kind, RuleId, Situation, At, Seconds, Variant, Channel, AgentId, Score);
}

/// <summary>A rule that fired this visit: invited (with its variant) or held out, and whether an order followed.</summary>
[GenerateSerializer]
public sealed record FiredRule(string RuleId, string? Situation, bool HeldOut, int? Variant, DateTimeOffset At, bool Converted = false);

/// <summary>One contact of this visitor: its conversation id or request reference, channel and situation.</summary>
[GenerateSerializer]
public sealed record ContactNote(string Key, string Channel, string? RuleId, string? Situation, DateTimeOffset At, bool Resolved = false);

[GenerateSerializer]
public sealed record InvitationRecord(int ShownThisVisit, DateTimeOffset? LastShownAt, bool HeldOut = false);

[GenerateSerializer]
public sealed record PendingInvitation(InvitationView Invitation, DateTimeOffset ShownAt, int? Variant = null);
