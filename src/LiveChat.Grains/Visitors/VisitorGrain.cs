using LiveChat.Contracts;
using LiveChat.Engagement;
using CartLine = LiveChat.Contracts.CartLine;
using Microsoft.Extensions.Logging;

namespace LiveChat.Grains;

/// <summary>
/// Follows one visitor's session: pages, visible time, cart, events, journey; owns their invitations
/// (see the Engagement part) and their open conversation. All tabs of a visitor share this grain.
/// </summary>
internal sealed partial class VisitorGrain(
    [PersistentState("visitor", Storage.Name)] IPersistentState<VisitorState> state,
    IGrainFactory grains, SiteDirectory directory, IVisitorNotifier notifier, IAgentNotifier agents,
    Microsoft.Extensions.Options.IOptions<GrainTimings> timings, TimeProvider clock, ILogger<VisitorGrain> log)
    : Grain, IVisitorGrain
{
    /// <summary>A visit ends after this long without activity (the usual web-analytics session).</summary>
    public static readonly TimeSpan VisitTimeout = TimeSpan.FromMinutes(30);

    /// <summary>Activity alone (no meaningful change) is written at most this often, so a visit survives a node's death.</summary>
    private static readonly TimeSpan ActivitySaveInterval = TimeSpan.FromMinutes(5);

    private readonly HashSet<string> connections = [];
    private IGrainTimer? leaveTimer;
    /// <summary>False until this activation's first Hello: a visitor who left and came back, their chat is told so.</summary>
    private bool present;
    private StatOutbox? statOutbox;
    private DateTimeOffset? savedAt;

    private VisitorState S => state.State;
    // Split once per activation: every event reads them several times (tags, pushes, grain keys).
    private (string SiteId, string Id)? key;
    private string SiteId => (key ??= Keys.Split(this.GetPrimaryKeyString())).SiteId;
    private string VisitorId => (key ??= Keys.Split(this.GetPrimaryKeyString())).Id;
    private ISiteGrain Site => grains.GetGrain<ISiteGrain>(SiteId);
    private IConversationGrain? Conversation => S.ConversationId is { } id ? grains.GetGrain<IConversationGrain>(id) : null;
    private StatOutbox Stats => statOutbox ??= new StatOutbox(grains, SiteId, this.GetPrimaryKeyString());

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Stats.Replay(S, clock.GetUtcNow());
        return Task.CompletedTask;
    }

    public async Task<VisitorHello> Hello(string connectionId, PageInfo page, IReadOnlyList<string>? languages = null)
    {
        if (languages is { Count: > 0 }) S.Languages = [.. languages];
        if (connections.Add(connectionId) && connections.Count == 1 && leaveTimer is null) Diagnostics.VisitorsOnline.Add(1, Diagnostics.Site(SiteId));
        leaveTimer?.Dispose();
        leaveTimer = null;
        await EnterPage(page, firstOfConnection: true);
        if (!present && S.ConversationId is { } chat) await Site.VisitorReturned(chat);
        present = true;
        var site = await directory.Get(SiteId);
        var conversation = Conversation is { } c ? await c.GetView() : null;
        var availability = Availability.Of(site.AgentAvailable, site.Availability.AgentsOnline, site.Hours.IsOpen(clock.GetUtcNow()));
        var info = new SiteInfo(site.PhoneNumber, availability == Availability.Available, availability != Availability.Closed, Availability: availability);
        return new VisitorHello(conversation, S.Pending?.Invitation, info, shownNotices);
    }

    public Task Disconnected(string connectionId)
    {
        if (connections.Remove(connectionId) && connections.Count == 0)
        {
            Disarm();
            leaveTimer?.Dispose();
            leaveTimer = this.RegisterGrainTimer(Leave, new GrainTimerCreationOptions(timings.Value.VisitorLeaveGrace, Timeout.InfiniteTimeSpan) { KeepAlive = true });
        }
        return Task.CompletedTask;
    }

    public Task PageView(PageInfo page) => EnterPage(page, firstOfConnection: false);

    public async Task Visibility(bool visible)
    {
        var now = clock.GetUtcNow();
        if (visible && S.VisibleSince is null) S.VisibleSince = now;
        else if (!visible && S.VisibleSince is { } since)
        {
            S.VisibleBanked += now - since;
            S.VisibleSince = null;
        }
        await Evaluate();
    }

    public async Task Track(string name, IReadOnlyDictionary<string, string> properties)
    {
        var now = clock.GetUtcNow();
        StartVisitIfDue(now);
        S.LastActivityAt = now;
        if (S.LastEventAt.Count < 100 || S.LastEventAt.ContainsKey(name)) S.LastEventAt[name] = now;
        var meaningful = Cart.IsCartEvent(name);
        if (meaningful) S.Cart = CartOf(S.Cart).Apply(name, properties).Lines.Select(l => new CartLine(l.Sku, l.Price, l.Quantity)).ToList();
        AddJourney(now, "event", properties.Count == 0 ? name : $"{name} {string.Join(", ", properties.Select(p => $"{p.Key}={p.Value}"))}");
        if (name == "order_placed" && S.ChattedAbout is { } chat && !S.ConvertedThisVisit)
        {
            S.ConvertedThisVisit = true;
            var ruleId = chat.Invitation.RuleId is { Length: > 0 } r ? r : null; // a visitor-initiated chat has no rule
            RecordStat(new StatEvent(StatKind.Conversion, ruleId, chat.Invitation.Situation, now));
            meaningful = true;
        }
        if (name == "order_placed" && CountConversions(now)) meaningful = true;
        if (meaningful || SaveIsDue(now)) await Save();
        await Evaluate();
        await PublishSummary();
    }

    public async Task<StartChatResult> StartChat(string? text, string? clientMessageId = null)
    {
        if (Conversation is { } existing && await existing.GetView() is { Status: not ConversationStatus.Closed } open)
        {
            if (text is { Length: > 0 }) await existing.Append(Senders.Visitor, VisitorId, null, clientMessageId ?? Keys.NewId("start"), text);
            var position = (await Site.GetQueue()).Where(q => q.VisitorLeftAt is null).ToList().FindIndex(q => q.ConversationId == open.ConversationId);
            return new StartChatResult(open.ConversationId, position < 0 ? null : position + 1, null);
        }
        var now = clock.GetUtcNow();
        var origin = S.Accepted;
        S.Accepted = null;
        S.Pending = null;
        var id = Keys.NewId("c");
        S.ConversationId = id;
        S.ChattedAbout = origin ?? new PendingInvitation(new InvitationView("", "", null, "", null, []), now);
        AddJourney(now, "chat", origin is null ? "started a chat" : $"started a chat from invitation '{origin.Invitation.Situation ?? origin.Invitation.RuleId}'");
        await Save();
        Disarm();
        NoteContactAfterNotices();

        var conversation = grains.GetGrain<IConversationGrain>(id);
        var view = await conversation.Start(SiteId, VisitorId, origin?.Invitation.RuleId, origin?.Invitation.Situation, origin?.Invitation.Text, origin?.Invitation.AgentName);
        if (text is { Length: > 0 }) await conversation.Append(Senders.Visitor, VisitorId, null, clientMessageId ?? "start-" + id, text);
        var routed = await Site.Enqueue(new QueueEntry(SiteId, id, VisitorId, view.RuleId, view.Situation, now, text));
        await ConversationStarted(id, view.RuleId, view.Situation);
        await Contacted(origin is null ? ContactChannels.ChatStartedByVisitor : ContactChannels.ChatFromInvitation, id, now, origin);
        await PublishSummary();
        return new StartChatResult(id, routed.QueuePosition, routed.EstimatedWaitSeconds, routed.NobodySoon ? Alternatives.All : null);
    }

    public async Task<MessageAck> SendMessage(string clientMessageId, string text)
    {
        var conversation = Conversation ?? throw new RefusedException("start a chat first");
        return await conversation.Append(Senders.Visitor, VisitorId, null, clientMessageId, text);
    }

    public Task Typing(bool isTyping) => Conversation?.Typing(Senders.Visitor, VisitorId, isTyping) ?? Task.CompletedTask;

    public async Task<IReadOnlyList<ChatMessage>> GetMessages(long afterSequence) =>
        Conversation is { } c ? await c.GetMessages(afterSequence) : [];

    public async Task EndChat()
    {
        if (Conversation is { } c) await c.Close(Senders.Visitor, "ended by visitor");
    }

    public async Task ConversationEnded(string conversationId)
    {
        await Resolve(conversationId);
        if (S.ConversationId != conversationId) return;
        S.ConversationId = null;
        S.PastConversations.Add(conversationId);
        if (S.PastConversations.Count > 50) S.PastConversations.RemoveAt(0);
        await Save();
        await AfterConversation(conversationId);
        await Evaluate();
        await PublishSummary();
    }

    public Task<VisitorSummary> GetSummary() => Task.FromResult(Summary());

    public Task<VisitorContext> GetContext() =>
        Task.FromResult(new VisitorContext(Summary(), S.Journey.ToList(), S.Cart.ToList(),
            S.PastConversations.Concat(S.ConversationId is { } c ? [c] : []).ToList(), S.EarlierContacts.ToList()));

    /// <summary>The grain keeps cart lines as protocol records; the engine's <see cref="Cart"/> does the arithmetic.</summary>
    private static Cart CartOf(IEnumerable<CartLine> lines) => Cart.FromLines(lines.Select(l => new Engagement.CartLine(l.Sku, l.Price, l.Quantity)));

    private async Task EnterPage(PageInfo page, bool firstOfConnection)
    {
        var now = clock.GetUtcNow();
        var newVisit = StartVisitIfDue(now);
        if (newVisit || S.Referrer is null && page.Referrer is not null) S.Referrer = page.Referrer;
        if (Utm.Campaign(page.Url) is { } campaign) S.UtmCampaign = campaign;
        var samePage = firstOfConnection && S.Url == page.Url && !newVisit;
        var referrerBefore = S.Referrer;
        if (!samePage)
        {
            S.Url = page.Url;
            S.PageEnteredAt = now;
            S.VisibleBanked = TimeSpan.Zero;
            S.VisibleSince = now; // time on page counts from this page, not from an earlier one
            S.PagesThisVisit++;
            AddJourney(now, "page", page.Title is { Length: > 0 } t ? $"{Utm.PathAndQuery(page.Url)} — {t}" : Utm.PathAndQuery(page.Url));
        }
        S.Title = page.Title;
        S.VisibleSince ??= now; // a page that was just loaded is visible until the widget says otherwise
        S.LastActivityAt = now;
        if (!samePage || S.Referrer != referrerBefore || SaveIsDue(now)) await Save(); // a reload of the same page changes nothing worth a write
        await RefreshNotices(push: !firstOfConnection); // notices: Hello returns them, a page view pushes the difference
        await Evaluate();
        await PublishSummary();
    }

    /// <summary>Every state write goes through here: the stat outbox is trimmed before and its new events sent after.</summary>
    private async Task Save()
    {
        var now = clock.GetUtcNow();
        StatOutbox.Prune(S, now);
        await state.WriteStateAsync();
        savedAt = now;
        Stats.Send();
    }

    private bool SaveIsDue(DateTimeOffset now) => savedAt is not { } at || now - at >= ActivitySaveInterval;

    /// <summary>Every stat a visitor causes goes through here; call it before the <see cref="Save"/> of the change that caused it.</summary>
    private void RecordStat(StatEvent stat) => Stats.Add(S, stat);

    private bool StartVisitIfDue(DateTimeOffset now)
    {
        if (S.Visits > 0 && now - S.LastActivityAt < VisitTimeout) return false;
        S.Visits++;
        S.VisitStartedAt = now;
        S.PagesThisVisit = 0;
        S.Invitations.Clear();
        S.LastEventAt.Clear();
        S.DismissalsThisVisit = 0;
        S.QuietUntil = null;
        S.ChattedAbout = null;
        S.ConvertedThisVisit = false;
        S.Fired.Clear();
        S.Referrer = null;
        S.UtmCampaign = null;
        return true;
    }

    private void AddJourney(DateTimeOffset at, string kind, string detail)
    {
        S.Journey.Add(new JourneyEntry(at, kind, detail.Length > 300 ? detail[..300] : detail));
        if (S.Journey.Count > Limits.JourneyEntries) S.Journey.RemoveAt(0);
    }

    private async Task Leave(CancellationToken _)
    {
        leaveTimer?.Dispose();
        leaveTimer = null;
        if (connections.Count > 0) return;
        Diagnostics.VisitorsOnline.Add(-1, Diagnostics.Site(SiteId));
        if (S.VisibleSince is { } since)
        {
            S.VisibleBanked += clock.GetUtcNow() - since;
            S.VisibleSince = null;
        }
        await Save();
        present = false;
        if (S.ConversationId is { } chat) await Site.VisitorLeft(chat); // one-way: a queued chat is handed to nobody
        await agents.VisitorLeft(SiteId, new VisitorLeftView(SiteId, VisitorId)); // batched by the notifier: returns at once
        DeactivateOnIdle();
    }

    /// <summary>The notifier files the summary in this silo's presence batch (latest state wins); it never waits on an agent.</summary>
    private Task PublishSummary() => agents.VisitorUpdated(SiteId, Summary());

    private VisitorSummary Summary()
    {
        var last = S.Pending?.Invitation ?? S.ChattedAbout?.Invitation;
        return new(
            SiteId, VisitorId, S.Url, S.Title, S.Url is null ? null : S.PageEnteredAt, S.PagesThisVisit,
            CartOf(S.Cart).Value, S.Cart.Sum(l => l.Quantity), S.Visits > 1, S.Visits, connections.Count > 0,
            last?.RuleId is { Length: > 0 } rule ? rule : null, last?.Situation, S.ConversationId, S.LastActivityAt,
            S.Languages.Count > 0 ? S.Languages : null);
    }
}
