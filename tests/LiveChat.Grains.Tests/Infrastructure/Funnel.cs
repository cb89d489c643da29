namespace LiveChat.Grains.Tests.Infrastructure;

/// <summary>The invitation funnel's fields of a situation, to compare without the outcome figures beside them.</summary>
public static class Funnel
{
    public static (string Situation, string? RuleId, int Shown, int Accepted, int Dismissed, int ChatsStarted, double? MedianFirstReplySeconds, int Conversions)
        Of(SituationStats s) => (s.Situation, s.RuleId, s.Shown, s.Accepted, s.Dismissed, s.ChatsStarted, s.MedianFirstReplySeconds, s.Conversions);
}
