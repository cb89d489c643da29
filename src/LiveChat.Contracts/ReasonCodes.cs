namespace LiveChat.Contracts;

/// <summary>
/// Why a hub call was refused, as a code the widget and the console decide on (never on the English after it).
/// A hub error's message is <c>"code: text"</c>: the code, a colon and a space, then words for a person that may
/// name the bad field (<c>"invalid: conversationId is required"</c>). See docs/protocol.md ("Errors").
/// </summary>
public static class ReasonCodes
{
    /// <summary>The request itself is wrong; the text names the field.</summary>
    public const string Invalid = "invalid";
    /// <summary>No such conversation, request or reference, or not one of yours (the same answer, so ids cannot be probed).</summary>
    public const string NotFound = "not-found";
    /// <summary>Not allowed for this caller: a site the agent does not serve, a chat assigned to another agent.</summary>
    public const string Forbidden = "forbidden";
    /// <summary>The chat has ended: nothing more can be sent in it.</summary>
    public const string ConversationEnded = "conversation-ended";
    /// <summary>The chat is not (or no longer) assigned to the agent who called.</summary>
    public const string NotAssigned = "not-assigned";
    /// <summary>A cap was reached: capacity, open requests, messages in a chat, chats or new visitors from one address.</summary>
    public const string LimitReached = "limit-reached";
    /// <summary>Too many calls on this connection: slow down and retry.</summary>
    public const string RateLimited = "rate-limited";
    /// <summary>The agent's session has ended (signed out elsewhere, password changed): sign in again.</summary>
    public const string SessionEnded = "session-ended";
    /// <summary>A passing failure on the server's side: retry the same call (it is safe: calls are idempotent where it matters).</summary>
    public const string Retry = "retry";
    /// <summary>Call <c>Hello</c> first.</summary>
    public const string NoVisitor = "no-visitor";
    /// <summary>Any other refusal a person can act on; the text says what to do.</summary>
    public const string Refused = "refused";

    public static readonly IReadOnlyList<string> All =
        [Invalid, NotFound, Forbidden, ConversationEnded, NotAssigned, LimitReached, RateLimited, SessionEnded, Retry, NoVisitor, Refused];

    /// <summary>The hub error message for a code: <c>"code: text"</c>.</summary>
    public static string Message(string code, string text) => $"{code}: {text}";
}

/// <summary>Why a chat ended (<c>ChatEnded.reason</c>, <c>ConversationClosed.reason</c>): codes, worded by each UI.</summary>
public static class CloseReasons
{
    public const string ByVisitor = "ended by visitor";
    public const string ByAgent = "closed by agent";
    /// <summary>The visitor left the site with the chat still waiting or open.</summary>
    public const string VisitorLeft = "visitor left";
    /// <summary>To the agent who handed the chat on (the chat itself goes on with the other agent).</summary>
    public const string Transferred = "transferred";
    /// <summary>The visitor's data was erased (privacy).</summary>
    public const string Deleted = "deleted";
    public static readonly IReadOnlyList<string> All = [ByVisitor, ByAgent, VisitorLeft, Transferred, Deleted];
}

/// <summary><see cref="ContactView.Kind"/>: what an earlier contact was.</summary>
public static class ContactKinds
{
    public const string Chat = "chat";
    public const string Callback = "callback";
    public const string Message = "message";
    public const string Phone = "phone";
    public static readonly IReadOnlyList<string> All = [Chat, Callback, Message, Phone];
}
