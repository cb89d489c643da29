namespace LiveChat.Grains;

/// <summary>Conversion rate of invited minus held-out visitors, with its 95 % interval (Newcombe), as fractions.</summary>
[GenerateSerializer]
public sealed record UpliftView(double Value, double Low, double High);

/// <summary>One text variant of a rule: <c>Invited</c> visitors (once per visit), invitations shown and accepted, orders after.</summary>
[GenerateSerializer]
public sealed record VariantStats(int Variant, int Invited, int Shown, int Accepted, int Conversions, string? Text = null);

/// <summary>Ratings 1–5: how many, their mean, and the share of 4s and 5s.</summary>
[GenerateSerializer]
public sealed record SatisfactionStats(int Responses, double? Average, double? SatisfiedShare);

[GenerateSerializer]
public sealed record AgentSatisfaction(string AgentId, int Responses, double? Average, double? SatisfiedShare);

/// <summary>A stats query's answer: per situation, and satisfaction per agent over all situations.</summary>
[GenerateSerializer]
public sealed record StatsReport(IReadOnlyList<SituationStats> Situations, IReadOnlyList<AgentSatisfaction> Agents);
