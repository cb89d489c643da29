using LiveChat.Contracts;
using Microsoft.AspNetCore.SignalR;

namespace LiveChat.Server.Hubs;

/// <summary>Hub errors as clients read them: <c>"code: text"</c>, a <see cref="ReasonCodes"/> code first (docs/protocol.md, "Errors").</summary>
internal static class HubErrors
{
    public static HubException Refuse(string code, string text) => new(ReasonCodes.Message(code, text));

    /// <summary>Whether a message already starts with a known code, so the guard does not code it twice.</summary>
    public static bool IsCoded(string message) =>
        message.IndexOf(": ", StringComparison.Ordinal) is > 0 and var i && ReasonCodes.All.Contains(message[..i]);
}
