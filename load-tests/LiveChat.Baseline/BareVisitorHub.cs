using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;

namespace LiveChat.Baseline;

internal sealed record BareSettings(TimeSpan Linger);

/// <summary>What the bare server remembers of a visitor: the least a proactive server needs.</summary>
internal sealed record BareVisitor(string VisitorId, string Url, DateTimeOffset HelloAt);

/// <summary>Connection id → visitor; removed on disconnect so a late timer pushes to no one.</summary>
internal sealed class BareVisitors
{
    public ConcurrentDictionary<string, BareVisitor> ByConnection { get; } = new();
}

/// <summary>Hello records the visitor and starts one delay; when it ends, the invitation is pushed to that connection.</summary>
internal sealed class BareVisitorHub(BareVisitors visitors, BareSettings settings, IHubContext<BareVisitorHub> hub) : Hub
{
    public HelloResult Hello(HelloRequest request)
    {
        var visitorId = request.VisitorId ?? "v-" + Guid.NewGuid().ToString("N");
        var connectionId = Context.ConnectionId;
        visitors.ByConnection[connectionId] = new BareVisitor(visitorId, request.Page.Url, DateTimeOffset.UtcNow);
        _ = InviteLater(connectionId);
        return new HelloResult(visitorId, "bare", null, null, new SiteInfo(null, true, true), []);
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        visitors.ByConnection.TryRemove(Context.ConnectionId, out _);
        return Task.CompletedTask;
    }

    private async Task InviteLater(string connectionId)
    {
        await Task.Delay(settings.Linger);
        if (!visitors.ByConnection.ContainsKey(connectionId)) return;
        var invitation = new InvitationView("inv-" + Guid.NewGuid().ToString("N"), "load-linger", "Load test linger", "Need help?", null, ["chat"]);
        await hub.Clients.Client(connectionId).SendAsync("Invitation", invitation);
    }
}

// The wire shapes of LiveChat's Hello and Invitation (docs/protocol.md), copied so the baseline carries no Orleans.
internal sealed record PageInfo(string Url, string? Title = null, string? Referrer = null);
internal sealed record HelloRequest(string? VisitorId, string? Token, PageInfo Page);
internal sealed record SiteInfo(string? PhoneNumber, bool AgentsAvailable, bool WithinBusinessHours);
internal sealed record InvitationView(string InvitationId, string RuleId, string? Situation, string Text, string? AgentName, IReadOnlyList<string> Offers);
internal sealed record HelloResult(string VisitorId, string Token, object? Conversation, InvitationView? Invitation, SiteInfo Site, IReadOnlyList<object> Notices);
