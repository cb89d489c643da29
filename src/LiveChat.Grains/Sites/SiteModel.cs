using LiveChat.Contracts;

namespace LiveChat.Grains;

/// <summary>Site settings the server seeds from configuration (phone number, hours, queue limit, first rules).</summary>
[GenerateSerializer]
public sealed record SiteSettings(
    string? PhoneNumber, string? BusinessHoursJson, int MaxQueueWaitSeconds, string? SeedRulesJson,
    IReadOnlyList<CannedResponse>? CannedResponses = null);

[GenerateSerializer]
/// <summary><c>Texts</c>: the text per language when configured so; <c>Text</c> is then the site default language's.</summary>
public sealed record CannedResponse(string Shortcut, string Text, IReadOnlyDictionary<string, string>? Texts = null);

/// <summary>A site's rules as stored: JSON text plus a version that grows on every accepted change.</summary>
[GenerateSerializer]
public sealed record RulesDocument(long Version, string Json);

/// <summary>What the visitor grains cache about a site.</summary>
[GenerateSerializer]
public sealed record SiteRuntime(RulesDocument Rules, string? PhoneNumber, string? BusinessHoursJson, SiteAvailability? Availability = null);

/// <summary>Whether any agent of the site has room (and whether anyone is online at all, so a full site reads "busy", not
/// "nobody"); <paramref name="Seq"/> grows with every change, so an older copy never wins.</summary>
[GenerateSerializer]
public sealed record SiteAvailability(bool AgentAvailable, long Seq, bool AgentsOnline = false);

/// <summary>Pushed by the site grain to every node that watches it: rules changed (version), or agent availability did.</summary>
[GenerateSerializer]
public sealed record SiteChange(string SiteId, long RulesVersion, SiteAvailability Availability);

/// <summary>A node's <see cref="SiteDirectory"/> listening to a site grain.</summary>
public interface ISiteObserver : IGrainObserver
{
    Task SiteChanged(SiteChange change);
}

/// <summary>The outcome of asking for a person: an agent now, or a place in the queue.</summary>
[GenerateSerializer]
public sealed record RoutingResult(string? AgentId, int? QueuePosition, int? EstimatedWaitSeconds, bool NobodySoon = false);

/// <summary>One measured moment of a situation.</summary>
public enum StatKind
{
    Shown, Accepted, Dismissed, ChatStarted, FirstReply, Conversion,
    /// <summary>A rule fired for a visitor this visit and they were invited (once per visit and rule: the uplift's unit).</summary>
    Invited,
    /// <summary>A rule fired for a visitor of its control group: not invited (once per visit and rule).</summary>
    HeldOut,
    /// <summary>An order later in the same visit by a visitor the rule invited / held out (once per visit and rule).</summary>
    ConversionInvited, ConversionHeldOut,
    /// <summary>The visitor rated a chat (<see cref="StatEvent.Score"/>, <see cref="StatEvent.AgentId"/>).</summary>
    Rated,
    /// <summary>The visitor reached out (<see cref="StatEvent.Channel"/>); RepeatContact: and had within 7 days before.</summary>
    Contact, RepeatContact,
    /// <summary>A contact was resolved (chat closed, callback done, message answered) after <see cref="StatEvent.Seconds"/>.</summary>
    Resolved,
    /// <summary>A queued chat whose visitor left became a missed chat (issue 19).</summary>
    Missed,
}

/// <param name="Variant">The rule's text variant (0-based) for Shown, Accepted, Invited and ConversionInvited.</param>
/// <param name="Channel">One of <see cref="ContactChannels"/> for Contact, RepeatContact and Resolved.</param>
[GenerateSerializer, Immutable] // a record nobody changes: sent to the node's aggregator without a deep copy per call
public sealed record StatEvent(
    StatKind Kind, string? RuleId, string? Situation, DateTimeOffset At, double? Seconds = null,
    int? Variant = null, string? Channel = null, string? AgentId = null, int? Score = null);

/// <summary>One situation over a window: the invitation funnel, the controlled comparison, satisfaction, channels, repeats.</summary>
[GenerateSerializer]
public sealed record SituationStats(
    string Situation, string? RuleId, int Shown, int Accepted, int Dismissed, int ChatsStarted,
    double? MedianFirstReplySeconds, int Conversions,
    int Invited = 0, int HeldOut = 0, int ConversionsInvited = 0, int ConversionsHeldOut = 0, UpliftView? Uplift = null,
    IReadOnlyList<VariantStats>? Variants = null, SatisfactionStats? Satisfaction = null,
    IReadOnlyDictionary<string, int>? Channels = null, IReadOnlyDictionary<string, double>? MedianResolutionSeconds = null,
    int Contacts = 0, int RepeatContacts = 0, double? RepeatContactRate = null, int Missed = 0);
