namespace LiveChat.Contracts;

/// <summary>
/// A system message as a code with parameters, so each reader sees it in their own language (the widget in the
/// visitor's, the console in the agent's: widget/src/shared/system-text.ts). <see cref="Text"/> is the English,
/// kept for transcripts, e-mail and widgets that predate the codes.
/// </summary>
[GenerateSerializer]
public sealed record SystemText(string Code, IReadOnlyDictionary<string, string>? Params, string Text)
{
    /// <summary>An agent took a queued chat. Params: <c>agent</c>.</summary>
    public const string AgentJoined = "agent.joined";
    /// <summary>Another agent took the chat over (a transfer). Params: <c>agent</c>.</summary>
    public const string AgentTookOver = "agent.transferred";
    /// <summary>The agent's connection went; the chat went back to the front of the queue. Params: <c>agent</c>.</summary>
    public const string AgentDisconnected = "agent.disconnected";
    /// <summary>A visitor whose missed chat was closed came back: it is queued again.</summary>
    public const string WelcomeBack = "chat.resumed";
    /// <summary>The chat ended (either side, or the server).</summary>
    public const string ChatEnded = "chat.ended";

    public static SystemText Joined(string agent) => new(AgentJoined, Agent(agent), $"{agent} joined the chat.");
    public static SystemText TookOver(string agent) => new(AgentTookOver, Agent(agent), $"{agent} took over the chat.");
    public static SystemText Disconnected(string agent) =>
        new(AgentDisconnected, Agent(agent), $"{agent} was disconnected. You keep your place: the next free agent will continue this chat.");
    public static readonly SystemText Resumed = new(WelcomeBack, null, "Welcome back: your chat is waiting for the next free agent.");
    public static readonly SystemText Ended = new(ChatEnded, null, "The chat has ended.");

    private static Dictionary<string, string> Agent(string name) => new(StringComparer.Ordinal) { ["agent"] = name };
}
