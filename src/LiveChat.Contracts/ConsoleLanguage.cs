namespace LiveChat.Contracts;

/// <summary>The languages the agent console speaks; an agent's choice is kept with their status (agent grain).</summary>
public static class ConsoleLanguages
{
    public const string English = "en";
    public const string Dutch = "nl";
    public static readonly IReadOnlyList<string> All = [English, Dutch];
}

/// <summary>Agent hub <c>SetLanguage</c>: the console's language for this agent, on every device.</summary>
public sealed record SetLanguageRequest(string Language) : IValidatable
{
    public string? Validate() => ConsoleLanguages.All.Contains(Language) ? null : "language must be \"en\" or \"nl\"";
}
