using LiveChat.Contracts;

namespace LiveChat.Grains;

/// <summary>Site settings the server seeds from configuration (phone number, hours, queue limit, first rules).</summary>
[GenerateSerializer]
public sealed record SiteSettings(
    string? PhoneNumber, string? BusinessHoursJson, int MaxQueueWaitSeconds, string? SeedRulesJson,
    IReadOnlyList<CannedResponse>? CannedResponses = null);

[GenerateSerializer]
public sealed record CannedResponse(string Shortcut, string Text);

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
public enum StatKind { Shown, Accepted, Dismissed, ChatStarted, FirstReply, Conversion, Missed }

[GenerateSerializer]
public sealed record StatEvent(StatKind Kind, string? RuleId, string? Situation, DateTimeOffset At, double? Seconds = null);

[GenerateSerializer]
public sealed record SituationStats(
    string Situation, string? RuleId, int Shown, int Accepted, int Dismissed, int ChatsStarted,
    double? MedianFirstReplySeconds, int Conversions, int Missed = 0);
