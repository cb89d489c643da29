using LiveChat.Contracts;
using LiveChat.Grains;
using LiveChat.Server.Auth;
using LiveChat.Server.Hubs;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace LiveChat.Server.Agents;

/// <summary>
/// The console's hub: <c>/hubs/agent</c>, signed-in agents only. Every conversation id from the client is
/// checked against the agent's sites before any grain acts on it.
/// </summary>
[Authorize]
public sealed class AgentHub(IGrainFactory grains, VisitorWatch watch) : Hub<IAgentClient>
{
    /// <summary>Start-up lists are bounded so an answer always fits the stateful-reconnect buffer (see Realtime); callbacks: GetCallbacks.</summary>
    public const int MaxQueueListed = 200;
    public const int MaxCallbacksListed = 200;

    private string AgentId => Context.User!.AgentId();
    private IReadOnlyList<string> MySites => Context.User!.Sites();

    public override async Task OnConnectedAsync()
    {
        foreach (var site in MySites)
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, SignalRAgentNotifier.SiteGroup(site));
            await Agent(site).Connected(Context.ConnectionId, Context.User!.AgentName());
        }
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        watch.Unwatch(Context.ConnectionId);
        foreach (var site in MySites) await Agent(site).Disconnected(Context.ConnectionId);
    }

    public async Task<IReadOnlyList<AgentInfo>> SetStatus(SetStatusRequest request)
    {
        var result = new List<AgentInfo>();
        foreach (var site in MySites) result.Add(await Agent(site).SetStatus(request.Status, request.Capacity));
        return result;
    }

    /// <summary>The console's language for this agent, kept with their status on each of their sites; answers it.</summary>
    public async Task<string> SetLanguage(SetLanguageRequest request)
    {
        foreach (var site in MySites) await Agent(site).SetLanguage(request.Language);
        return request.Language;
    }

    /// <summary>
    /// Subscribes this connection to one view of its sites' live visitors (replacing any earlier one): the first page
    /// and the totals now, then at most one <c>VisitorsChanged</c> a second for that view.
    /// </summary>
    public Task<VisitorsPage> WatchVisitors(WatchVisitorsRequest request) => watch.Watch(Context.ConnectionId, MySites, request);

    /// <summary>A visitor's journey, cart and earlier chats, for an agent who opened their row in the live list.</summary>
    public async Task<VisitorDetail> GetVisitor(VisitorRequest request)
    {
        if (!Context.User!.CanServe(request.SiteId)) throw HubErrors.Refuse(ReasonCodes.Forbidden, "siteId: you do not serve that site");
        var context = await grains.GetGrain<IVisitorGrain>(Keys.Of(request.SiteId, request.VisitorId)).GetContext();
        return new VisitorDetail(context.Summary, context.Journey, context.Cart, await Earlier(context.ConversationIds, except: null));
    }

    /// <summary>The caller's open conversations, so a console on a new device picks up where the agent is.</summary>
    public async Task<IReadOnlyList<ConversationView>> GetMyConversations()
    {
        var all = new List<ConversationView>();
        foreach (var site in MySites)
            foreach (var id in await grains.GetGrain<ISiteGrain>(site).GetOpenConversations(AgentId))
                if (await Conversation(id).GetView() is { Status: not ConversationStatus.Closed } view) all.Add(view);
        return all;
    }

    public async Task<IReadOnlyList<QueueEntry>> GetQueue()
    {
        var all = new List<QueueEntry>();
        // Each site's queue in its own order (a chat put back goes to the front), its first 200: a longer queue
        // arrives with the next QueueChanged.
        foreach (var site in MySites) all.AddRange((await grains.GetGrain<ISiteGrain>(site).GetQueue()).Take(MaxQueueListed));
        return all;
    }

    public async Task<IReadOnlyList<AgentInfo>> GetAgents()
    {
        var all = new List<AgentInfo>();
        foreach (var site in MySites) all.AddRange(await grains.GetGrain<ISiteGrain>(site).GetAgents());
        return all.DistinctBy(a => a.AgentId).ToList();
    }

    public async Task<ConversationView> Accept(ConversationRequest request)
    {
        var view = await Mine(request.ConversationId);
        await grains.GetGrain<ISiteGrain>(view.SiteId).Accept(AgentId, view.ConversationId);
        return (await Conversation(view.ConversationId).GetView())!;
    }

    public async Task<MessageAck> SendMessage(AgentSendMessageRequest request)
    {
        await Mine(request.ConversationId);
        return await Conversation(request.ConversationId).Append(Senders.Agent, AgentId, Context.User!.AgentName(), request.ClientMessageId, request.Text);
    }

    public async Task Typing(AgentTypingRequest request)
    {
        await Mine(request.ConversationId);
        await Conversation(request.ConversationId).Typing(Senders.Agent, AgentId, request.IsTyping);
    }

    public async Task Transfer(TransferRequest request)
    {
        var view = await Mine(request.ConversationId);
        await grains.GetGrain<ISiteGrain>(view.SiteId).Transfer(AgentId, view.ConversationId, request.ToAgentId, request.Note);
    }

    public async Task Close(ConversationRequest request)
    {
        var view = await Mine(request.ConversationId);
        if (view.AgentId != AgentId && !Context.User!.IsAdmin()) throw HubErrors.Refuse(ReasonCodes.NotAssigned, "this conversation is not assigned to you");
        await Conversation(view.ConversationId).Close(Senders.Agent, CloseReasons.ByAgent);
    }

    public async Task<bool> Invite(InviteRequest request)
    {
        var site = request.SiteId ?? (MySites is [var first, ..] ? first : null) ?? throw HubErrors.Refuse(ReasonCodes.Forbidden, "you serve no site");
        if (!Context.User!.CanServe(site)) throw HubErrors.Refuse(ReasonCodes.Forbidden, "siteId: you do not serve that site");
        return await grains.GetGrain<IVisitorGrain>(Keys.Of(site, request.VisitorId)).Invite(request.Text, Context.User!.AgentName());
    }

    public async Task<ConversationDetail> GetConversation(ConversationRequest request)
    {
        var view = await Mine(request.ConversationId);
        var context = await grains.GetGrain<IVisitorGrain>(Keys.Of(view.SiteId, view.VisitorId)).GetContext();
        // Repeat contact: earlier contacts of this visitor, or of anyone with the same phone/e-mail, within 7 days.
        var contacts = (context.EarlierContacts ?? []).Where(c => c.ConversationId != view.ConversationId).ToList();
        return new ConversationDetail(view, context.Summary, context.Journey, context.Cart, await Earlier(context.ConversationIds, view.ConversationId), contacts);
    }

    private async Task<IReadOnlyList<ConversationSummary>> Earlier(IEnumerable<string> conversationIds, string? except)
    {
        var earlier = new List<ConversationSummary>();
        foreach (var id in conversationIds.Where(id => id != except).TakeLast(10))
            if (await Conversation(id).GetView() is { } past)
                earlier.Add(new ConversationSummary(past.ConversationId, past.Status, past.StartedAt, past.AgentName,
                    past.Messages.FirstOrDefault(m => m.From == Senders.Visitor)?.Text, past.Rating));
        return earlier;
    }

    /// <summary>Bounded: at most <see cref="MaxCallbacksListed"/>, open ones first (newest first), then the newest done ones; older ones through <see cref="GetCallbacksPage"/>.</summary>
    public async Task<IReadOnlyList<CallbackView>> GetCallbacks()
    {
        var all = new List<CallbackView>();
        foreach (var site in MySites)
        {
            var requests = grains.GetGrain<IRequestsGrain>(site);
            all.AddRange(await Views(site, await requests.Page(done: false, null, OpenShown)));
            all.AddRange(await Views(site, await requests.Page(done: true, null, DoneShown)));
        }
        // Open requests first, newest first: what an agent acts on; bounded so the answer fits the stateful-reconnect buffer.
        return all.OrderBy(c => c.Done).ThenByDescending(c => c.CreatedAt).Take(MaxCallbacksListed).ToList();
    }

    /// <summary>Older requests, newest first, open or done, created before <c>before</c>.</summary>
    public async Task<IReadOnlyList<CallbackView>> GetCallbacksPage(CallbacksPageRequest request)
    {
        var all = new List<CallbackView>();
        foreach (var site in MySites)
            all.AddRange(await Views(site, await grains.GetGrain<IRequestsGrain>(site).Page(request.Done, request.Before, request.Limit)));
        return all.OrderByDescending(c => c.CreatedAt).Take(request.Limit).ToList();
    }

    public async Task<bool> MarkCallbackDone(CallbackDoneRequest request)
    {
        if (!Context.User!.CanServe(request.SiteId)) throw HubErrors.Refuse(ReasonCodes.Forbidden, "siteId: you do not serve that site");
        return await grains.GetGrain<IRequestsGrain>(request.SiteId).MarkDone(request.Reference, Context.User!.AgentName());
    }

    /// <summary>The agent's written answer to a left message, e-mailed to the visitor in the thread of their confirmation.</summary>
    public async Task<CallbackView> ReplyToRequest(ReplyToRequestRequest request)
    {
        if (!Context.User!.CanServe(request.SiteId)) throw HubErrors.Refuse(ReasonCodes.Forbidden, "siteId: you do not serve that site");
        return await grains.GetGrain<IRequestGrain>(Keys.Of(request.SiteId, request.Reference)).Reply(Context.User!.AgentName(), request.Text);
    }

    public async Task<IReadOnlyList<CannedResponse>> GetCannedResponses()
    {
        var all = new List<CannedResponse>();
        foreach (var site in MySites) all.AddRange(await grains.GetGrain<ISiteGrain>(site).GetCannedResponses());
        return all;
    }

    private const int OpenShown = MaxCallbacksListed;
    private const int DoneShown = 50;

    private async Task<IReadOnlyList<CallbackView>> Views(string site, IReadOnlyList<string> references) =>
        (await Task.WhenAll(references.Select(r => grains.GetGrain<IRequestGrain>(Keys.Of(site, r)).Get()))).OfType<CallbackView>().ToList();

    private IAgentGrain Agent(string site) => grains.GetGrain<IAgentGrain>(Keys.Of(site, AgentId));
    private IConversationGrain Conversation(string id) => grains.GetGrain<IConversationGrain>(id);

    /// <summary>The conversation, if it exists on one of this agent's sites; the same error otherwise, so ids cannot be probed.</summary>
    private async Task<ConversationView> Mine(string conversationId)
    {
        var view = await Conversation(conversationId).GetView();
        if (view is null || !Context.User!.CanServe(view.SiteId)) throw HubErrors.Refuse(ReasonCodes.NotFound, "conversationId: no such conversation");
        return view;
    }
}
