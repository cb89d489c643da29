using System.Text.Json;
using LiveChat.Contracts;
using LiveChat.Grains;
using LiveChat.Server.Configuration;
using LiveChat.Server.Hubs;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace LiveChat.Server.Visitors;

/// <summary>
/// The widget's hub: <c>/hubs/visitor?site=SITE</c>. A connection belongs to one visitor after <c>Hello</c>;
/// every later call acts only on that visitor's own grain, so no id from the client can reach another visitor.
/// </summary>
internal sealed class VisitorHub(IGrainFactory grains, VisitorTokens tokens, OriginPolicy origins, IOptions<LiveChatOptions> options, Hubs.AddressLimits limits,
    PresenceHolds presence, TimeProvider clock, HubConnections connections)
    : Hub<IVisitorClient>
{
    public override Task OnConnectedAsync()
    {
        var site = Context.GetHttpContext()?.Request.Query["site"].ToString();
        if (string.IsNullOrEmpty(site) || !options.Value.Sites.ContainsKey(site))
            throw HubErrors.Refuse(ReasonCodes.NotFound, "unknown site: connect to /hubs/visitor?site=SITE with a configured site id");
        if (!origins.Allows(site, Context.GetHttpContext()?.Request.Headers.Origin.ToString()))
            throw HubErrors.Refuse(ReasonCodes.Forbidden, "this page's origin is not allowed for that site");
        Connection.Site = site;
        return Task.CompletedTask;
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        if (connections.Find(Context.ConnectionId)?.VisitorKey is { } visitorKey)
        {
            presence.Remove(visitorKey, Context.ConnectionId); // before the grain hears it: a re-report never brings the tab back
            await grains.Get<IVisitorGrain>(visitorKey).Disconnected(Context.ConnectionId);
        }
    }

    public async Task<HelloResult> Hello(HelloRequest request)
    {
        var arrived = clock.GetUtcNow(); // time on the page counts from here, however long the grain takes to answer
        var connection = Connection;
        var site = connection.Site!;
        await tokens.ReadyAsync(); // at once, after the first Hello's load of the key
        var known = tokens.Open(site, request.VisitorId, request.Token, out var tokenExpires);
        var visitorId = known
            ?? (limits.TryNewIdentity(ClientIp) ? Keys.NewId("v") : throw HubErrors.Refuse(ReasonCodes.LimitReached, AddressLimits.TooManyIdentities));
        var key = Keys.Of(site, visitorId);
        if (connection.VisitorKey is { } old && old != key)
        {
            presence.Remove(old, Context.ConnectionId);
            await grains.Get<IVisitorGrain>(old).Disconnected(Context.ConnectionId);
            await Groups.RemoveFromGroupAsync(Context.ConnectionId, SignalRVisitorNotifier.Group(site, Keys.Split(old).Id));
        }
        connection.VisitorKey = key;
        presence.Add(key, Context.ConnectionId); // this node's lease now keeps the visitor in the live list
        await Groups.AddToGroupAsync(Context.ConnectionId, SignalRVisitorNotifier.Group(site, visitorId));
        await Groups.AddToGroupAsync(Context.ConnectionId, SignalRVisitorNotifier.SiteGroup(site));
        var settings = options.Value.Sites[site];
        // The site's default goes last, so site-written text falls back to it before English.
        var languages = (request.Languages ?? []).Append(settings.Language).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var hello = await grains.Get<IVisitorGrain>(key).Hello(Context.ConnectionId, request.Page, languages, presence.Owner, arrived);
        var siteInfo = hello.Site with { EmailEnabled = options.Value.Email.Enabled, CallbackSlots = true, Language = settings.Language, Currency = settings.Currency };
        return new HelloResult(visitorId, known is null ? tokens.Issue(site, visitorId) : tokens.Renew(site, visitorId, request.Token, tokenExpires), hello.Conversation, hello.Invitation, siteInfo, hello.Notices);
    }

    public Task PageView(PageInfo page) => Visitor.PageView(page);

    public Task Visibility(VisibilityRequest request) => Visitor.Visibility(request.Visible);

    public Task Track(TrackRequest request) => Visitor.Track(request.Name, Properties(request.Properties));

    public Task AcceptInvitation(InvitationRequest request) => Visitor.AcceptInvitation(request.InvitationId);

    public Task DismissInvitation(InvitationRequest request) => Visitor.DismissInvitation(request.InvitationId);

    public async Task<StartChatResult> StartChat(StartChatRequest? request)
    {
        var visitor = Visitor;
        using var place = await limits.TryReserveChat(ClientIp);
        // At the cap, a visitor who already has an open chat still gets it back (StartChat returns it).
        if (place is null && (await visitor.GetSummary()).ConversationId is null) throw HubErrors.Refuse(ReasonCodes.LimitReached, AddressLimits.TooManyChats);
        var result = await visitor.StartChat(request?.Text, request?.ClientMessageId);
        place?.Opened(result.ConversationId);
        return result;
    }

    public Task<MessageAck> SendMessage(SendMessageRequest request) => Visitor.SendMessage(request.ClientMessageId, request.Text);

    public Task Typing(TypingRequest request) => Visitor.Typing(request.IsTyping);

    public Task<IReadOnlyList<ChatMessage>> GetMessages(GetMessagesRequest request) => Visitor.GetMessages(request.AfterSequence);

    public Task<ReferenceResult> RequestCallback(RequestCallbackRequest request) =>
        Visitor.RequestCallback(request.Phone, request.Name, request.Note, request.At, request.Email, ClientAddress);

    public Task<ReferenceResult> LeaveMessage(LeaveMessageRequest request) => Visitor.LeaveMessage(request.Email, request.Text, request.Name, ClientAddress);

    public Task<CallbackSlotsResult> GetCallbackSlots(CallbackSlotsRequest? request) => grains.GetGrain<IRequestsGrain>(Site).GetSlots(request?.TimeZone);

    public Task<RequestStatusView> GetRequestStatus(RequestStatusRequest request) => Visitor.GetRequestStatus(request.Reference);

    public Task<IReadOnlyList<RequestStatusView>> GetMyRequests() => Visitor.GetMyRequests();

    public Task EndChat(EndChatRequest? request) => Visitor.EndChat();

    public Task RequestTranscript(TranscriptRequest request) => Visitor.RequestTranscript(request.Email);

    public Task Rate(RateRequest request) => Visitor.Rate(request.ConversationId, request.Score, request.Comment);

    public Task ReportContact(ReportContactRequest request) => Visitor.ReportContact(request.Channel);

    /// <summary>This connection's record, kept by the hub guard from connect to disconnect.</summary>
    private OpenConnection Connection => connections.Find(Context.ConnectionId) ?? throw HubErrors.Refuse(ReasonCodes.NoVisitor, "this connection has closed");
    private string Site => Connection.Site!;
    private System.Net.IPAddress? ClientIp => Context.GetHttpContext()?.Connection.RemoteIpAddress;

    /// <summary>The caps on open requests count per client address.</summary>
    private string? ClientAddress => Context.GetHttpContext()?.Connection.RemoteIpAddress?.ToString();

    private IVisitorGrain Visitor =>
        Connection.VisitorKey is { } k
            ? grains.Get<IVisitorGrain>(k)
            : throw HubErrors.Refuse(ReasonCodes.NoVisitor, "call Hello first");

    /// <summary>Event properties become invariant strings; nested objects and arrays are refused by name.</summary>
    internal static Dictionary<string, string> Properties(Dictionary<string, JsonElement>? properties)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in properties ?? [])
        {
            if (name.Length is 0 or > Limits.EventName) throw HubErrors.Refuse(ReasonCodes.Invalid, $"properties: a property name must be 1-{Limits.EventName} characters");
            var text = value.ValueKind switch
            {
                JsonValueKind.String => value.GetString()!,
                JsonValueKind.Number => value.GetRawText(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                JsonValueKind.Null => null,
                _ => throw HubErrors.Refuse(ReasonCodes.Invalid, $"properties.{name} must be a string, number or boolean"),
            };
            if (text is null) continue;
            if (text.Length > Limits.PropertyValue) throw HubErrors.Refuse(ReasonCodes.Invalid, $"properties.{name} is longer than {Limits.PropertyValue} characters");
            result[name] = text;
        }
        return result;
    }
}
