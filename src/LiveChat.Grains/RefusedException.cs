using LiveChat.Contracts;

namespace LiveChat.Grains;

/// <summary>
/// A request the grain refuses for a reason the client should read ("that invitation is not open"). <see cref="Code"/>
/// is what clients decide on (one of <see cref="ReasonCodes"/>); the hub guard sends both as <c>"code: message"</c>.
/// </summary>
[GenerateSerializer]
public sealed class RefusedException(string code, string message) : Exception(message)
{
    public RefusedException(string message) : this(ReasonCodes.Refused, message) { }

    [Id(0)] public string Code { get; private set; } = code;
}
