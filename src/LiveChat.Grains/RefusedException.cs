namespace LiveChat.Grains;

/// <summary>A request the grain refuses for a reason the client should read ("that invitation is not open").</summary>
[GenerateSerializer]
public sealed class RefusedException(string message) : Exception(message);
