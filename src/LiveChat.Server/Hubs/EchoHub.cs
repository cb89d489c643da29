using Microsoft.AspNetCore.SignalR;

namespace LiveChat.Server.Hubs;

/// <summary>A bare echo hub: the load harness's baseline, so LiveChat's own cost is a ratio, not a noisy absolute.</summary>
public sealed class EchoHub : Hub
{
    public string Echo(string payload) => payload;

    public Task Broadcast(string payload) => Clients.Caller.SendAsync("Echo", payload);
}
