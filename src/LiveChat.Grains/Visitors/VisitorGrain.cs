using LiveChat.Contracts;
using LiveChat.Engagement;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LiveChat.Grains;

/// <summary>
/// Follows one visitor's session and orchestrates what it leads to: after every event it asks the rule evaluator what
/// is due, shows it, or arms exactly one timer for the earliest instant something could become due (no polling); it
/// owns the visitor's invitations, open conversation, requests, service notices and contacts. All tabs of a visitor
/// share this grain. The state changes themselves are pure and tested apart: <see cref="VisitBook"/>,
/// <see cref="InvitationBook"/>, <see cref="ContactBook"/>, <see cref="ShownNotices"/>; this grain does the calls,
/// the writes (<see cref="Save"/>), the timers and the pushes.
/// </summary>
internal sealed class VisitorGrain(
    [PersistentState("visitor", Storage.Name)] IPersistentState<VisitorState> state,
    IGrainFactory grains, SiteDirectory directory, NoticeBoard board, IVisitorNotifier notifier, IAgentNotifier agents,
    IEventPublisher events, IRequestSettings requestSettings, IOptions<GrainTimings> timings, TimeProvider clock, ILogger<VisitorGrain> log)
    : Grain, IVisitorGrain, IVisitorNoticesGrain
{
    public const string ManualRuleId = "manual";

    /// <summary>Activity alone (no meaningful change) is written at most this often, so a visit survives a node's death.</summary>
    private static readonly TimeSpan ActivitySaveInterval = TimeSpan.FromMinutes(5);

    private readonly HashSet<string> connections = [];
    private readonly ShownNotices notices = new();
    private IGrainTimer? leaveTimer;
    private IGrainTimer? ruleTimer;
    /// <summary>The instant the rule timer was armed for, to measure how late timer-driven invitations are.</summary>
    private DateTimeOffset? armedFor;
    /// <summary>False until this activation's first Hello: a visitor who left and came back, their chat is told so.</summary>
    private bool present;
    private StatOutbox? statOutbox;
    /// <summary>The lease of the node holding the visitor's connection (its latest Hello): its presence entry lives and dies with that node. Not persisted.</summary>
    private string? presenceOwner;
    private DateTimeOffset? savedAt;
    /// <summary><see cref="OutageCoversPage"/> as the rule evaluator takes it, made once per activation rather than per rule check.</summary>
    private Func<string, bool>? outageCoversPage;

    private VisitorState S => state.State;
    // Split once per activation: every event reads them several times (tags, pushes, grain keys).
    private (string SiteId, string Id)? key;
    private string SiteId => (key ??= Keys.Split(this.GetPrimaryKeyString())).SiteId;
    private string VisitorId => (key ??= Keys.Split(this.GetPrimaryKeyString())).Id;
    private ISiteGrain Site => grains.GetGrain<ISiteGrain>(SiteId);
    private IRequestsGrain Requests => grains.GetGrain<IRequestsGrain>(SiteId);
    private IConversationGrain? Conversation => S.ConversationId is { } id ? grains.GetGrain<IConversationGrain>(id) : null;
    private StatOutbox Stats => statOutbox ??= new StatOutbox(grains, SiteId, this.GetPrimaryKeyString());

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Stats.Replay(S, clock.GetUtcNow());
        return Task.CompletedTask;
    }

    // ── The session: tabs, pages, visibility, events ──

    public async Task<VisitorHello> Hello(string connectionId, PageInfo page, IReadOnlyList<string>? languages = null, string? presenceOwner = null, DateTimeOffset? arrivedAt = null)
    {
        if (presenceOwner is not null) this.presenceOwner = presenceOwner;
        if (languages is { Count: > 0 }) S.Languages = [.. languages];
        Attach(connectionId);
        leaveTimer?.Dispose();
        leaveTimer = null;
        await EnterPage(page, firstOfConnection: true, arrivedAt);
        if (!present && S.ConversationId is { } chat) await Site.VisitorReturned(chat);
        present = true;
        var site = await directory.Get(SiteId);
        var conversation = Conversation is { } c ? await c.GetView() : null;
        var availability = Availability.Of(site.AgentAvailable, site.Availability.AgentsOnline, site.Hours.IsOpen(clock.GetUtcNow()));
        var info = new SiteInfo(site.PhoneNumber, availability == Availability.Available, availability != Availability.Closed, Availability: availability);
        return new VisitorHello(conversation, S.Pending?.Invitation, info, notices.Current);
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

    /// <summary>
    /// The node holding these connections re-reports them (a presence shard restarted empty, or a node died): an
    /// activation that came back without them knows them again, and the visitor's presence goes out on that node's lease.
    /// </summary>
    public Task Reattach(IReadOnlyList<string> connectionIds, string presenceOwner)
    {
        this.presenceOwner = presenceOwner;
        foreach (var id in connectionIds) Attach(id);
        if (connections.Count > 0)
        {
            leaveTimer?.Dispose();
            leaveTimer = null;
            present = true;
        }
        return PublishSummary();
    }

    /// <summary>Knows one more tab; the first one (not within a leave's grace) counts the visitor online.</summary>
    private void Attach(string connectionId)
    {
        if (connections.Add(connectionId) && connections.Count == 1 && leaveTimer is null) Diagnostics.VisitorsOnline.Add(1, Diagnostics.Site(SiteId));
    }

    public Task PageView(PageInfo page) => EnterPage(page, firstOfConnection: false);

    public async Task Visibility(bool visible)
    {
        VisitBook.SetVisible(S, visible, clock.GetUtcNow());
        await Evaluate();
    }

    public async Task Track(string name, IReadOnlyDictionary<string, string> properties)
    {
        var now = clock.GetUtcNow();
        var meaningful = VisitBook.Track(S, name, properties, now);
        AddJourney(now, "event", VisitBook.EventDetail(name, properties));
        if (name == "order_placed")
            foreach (var stat in InvitationBook.OrderPlaced(S, now)) { RecordStat(stat); meaningful = true; }
        if (meaningful || SaveIsDue(now)) await Save();
        await Evaluate();
        await PublishSummary();
    }

    public Task<VisitorSummary> GetSummary() => Task.FromResult(Summary());

    public Task<VisitorContext> GetContext() =>
        Task.FromResult(new VisitorContext(Summary(), S.Journey.ToList(), S.Cart.ToList(), VisitBook.Conversations(S), S.EarlierContacts.ToList()));

    private async Task EnterPage(PageInfo page, bool firstOfConnection, DateTimeOffset? arrivedAt = null)
    {
        var now = clock.GetUtcNow();
        if (arrivedAt is { } at && at < now && now - at < TimeSpan.FromMinutes(1)) now = at; // a queued Hello's page began when it arrived
        var entry = VisitBook.EnterPage(S, page, firstOfConnection, now);
        if (!entry.SamePage) AddJourney(now, "page", VisitBook.PageDetail(page));
        if (entry.Changed || SaveIsDue(now)) await Save(); // a reload of the same page changes nothing worth a write
        await RefreshNotices(push: !firstOfConnection); // notices: Hello returns them, a page view pushes the difference
        await Evaluate();
        await PublishSummary();
    }

    private async Task Leave(CancellationToken _)
    {
        leaveTimer?.Dispose();
        leaveTimer = null;
        if (connections.Count > 0) return;
        Diagnostics.VisitorsOnline.Add(-1, Diagnostics.Site(SiteId));
        VisitBook.SetVisible(S, false, clock.GetUtcNow());
        await Save();
        present = false;
        if (S.ConversationId is { } chat) await Site.VisitorLeft(chat); // one-way: a queued chat is handed to nobody
        await agents.VisitorLeft(SiteId, new VisitorLeftView(SiteId, VisitorId)); // batched by the notifier: returns at once
        DeactivateOnIdle();
    }

    // ── Invitations: rules, timers, caps ──

    public async Task AcceptInvitation(string invitationId)
    {
        if (InvitationBook.Accept(S, invitationId) is not { } pending)
            throw new RefusedException("that invitation is not open");
        var now = clock.GetUtcNow();
        AddJourney(now, "invitation", $"accepted '{pending.Invitation.Situation ?? pending.Invitation.RuleId}'");
        RecordStat(new StatEvent(StatKind.Accepted, pending.Invitation.RuleId, pending.Invitation.Situation, now, Variant: pending.Variant));
        await Save();
        Diagnostics.InvitationsAccepted.Add(1, Diagnostics.Site(SiteId), Diagnostics.Situation(pending.Invitation.Situation), Diagnostics.Rule(pending.Invitation.RuleId));
        await events.Publish(SiteId, Grains.Events.InvitationAccepted, new { invitationId = pending.Invitation.InvitationId, ruleId = pending.Invitation.RuleId, situation = pending.Invitation.Situation, visitorId = VisitorId });
    }

    public async Task DismissInvitation(string invitationId)
    {
        var now = clock.GetUtcNow();
        if (InvitationBook.Dismiss(S, invitationId, now, timings.Value.QuietAfterDismiss) is not { } pending) return; // already gone: nothing to undo
        AddJourney(now, "invitation", $"dismissed '{pending.Invitation.Situation ?? pending.Invitation.RuleId}'");
        RecordStat(new StatEvent(StatKind.Dismissed, pending.Invitation.RuleId, pending.Invitation.Situation, now));
        await Save();
        Diagnostics.InvitationsDismissed.Add(1, Diagnostics.Site(SiteId), Diagnostics.Situation(pending.Invitation.Situation), Diagnostics.Rule(pending.Invitation.RuleId));
        await Evaluate();
        await PublishSummary();
    }

    public async Task<bool> Invite(string text, string agentName)
    {
        if (connections.Count == 0 || !InvitationBook.MayInviteManually(S, clock.GetUtcNow())) return false;
        await Show(ManualRuleId, "Manual invitation", text, Offers.All, agentName);
        return true;
    }

    /// <summary>Shows what is due now, or arms the one timer for when something could be.</summary>
    private async Task Evaluate()
    {
        if (connections.Count == 0 || InvitationBook.Engaged(S)) { Disarm(); return; }
        var now = clock.GetUtcNow();
        if (InvitationBook.QuietUntil(S, now) is { } quiet) { Arm(quiet); return; }

        var site = await directory.Get(SiteId);
        var snapshot = VisitBook.Snapshot(S, VisitorId);
        var context = new EngagementContext(AgentAvailable: true, site.Hours.IsOpen(now), outageCoversPage ??= OutageCoversPage) { BusinessHoursChangeAt = site.Hours.NextChange(now) };
        var decision = RuleEvaluator.Evaluate(site.Rules, snapshot, context, now);
        // The availability pushed to this node (SiteDirectory): current once the change's push has arrived, else at most SiteRefresh old.
        if (decision.Due is { OnlyIfAgentAvailable: true } && !site.AgentAvailable)
            decision = RuleEvaluator.Evaluate(site.Rules, snapshot, context with { AgentAvailable = false }, now);

        if (decision.Due is not { } rule) { Arm(decision.NextCheckAt); return; }
        if (decision.HeldOut) { await HoldOut(rule, now); Arm(S.QuietUntil); return; }
        // Shown before disarming, so the lateness of a timer-driven invitation can still be measured.
        await Show(rule.Id, rule.Situation, decision.TextIn(S.Languages), rule.Then.Offers ?? Offers.All, agentName: null, decision.Variant);
        Disarm();
    }

    private async Task HoldOut(Rule rule, DateTimeOffset now)
    {
        foreach (var stat in InvitationBook.HoldOut(S, rule, now, timings.Value.QuietAfterDismiss)) RecordStat(stat);
        AddJourney(now, "invitation", $"held out of '{rule.Situation ?? rule.Id}' (control group, not invited)");
        await Save();
    }

    private async Task Show(string ruleId, string? situation, string text, IReadOnlyList<string> offers, string? agentName, int? variant = null)
    {
        var now = clock.GetUtcNow();
        using var span = Diagnostics.Source.StartActivity("livechat.invitation");
        span?.SetTag("livechat.site", SiteId).SetTag("livechat.rule", ruleId).SetTag("livechat.situation", situation).SetTag("livechat.visitor", VisitorId);
        if (armedFor is { } due && due <= now) Diagnostics.InvitationLateness.Record((now - due).TotalMilliseconds, Diagnostics.Site(SiteId), Diagnostics.Rule(ruleId));
        Diagnostics.InvitationsShown.Add(1, Diagnostics.Site(SiteId), Diagnostics.Situation(situation), Diagnostics.Rule(ruleId));
        // A plain array: Offers.All is a compiler-made read-only list that the JSON grain storage (Redis) writes but cannot read back.
        var invitation = new InvitationView(Keys.NewId("inv"), ruleId, situation, text, agentName, offers.ToArray());
        foreach (var stat in InvitationBook.Show(S, invitation, variant, now)) RecordStat(stat);
        AddJourney(now, "invitation", $"shown '{situation ?? ruleId}'");
        await Save();
        await notifier.Invitation(SiteId, VisitorId, invitation);
        await PublishSummary();
        log.LogDebug("Invitation {RuleId} to {VisitorId}", ruleId, VisitorId);
    }

    private void Arm(DateTimeOffset? at)
    {
        if (at is not { } instant) { Disarm(); return; }
        armedFor = instant;
        var due = instant - clock.GetUtcNow();
        if (due < TimeSpan.Zero) due = TimeSpan.Zero;
        if (ruleTimer is null)
            ruleTimer = this.RegisterGrainTimer(OnRuleTimer, new GrainTimerCreationOptions(due, Timeout.InfiniteTimeSpan));
        else
            ruleTimer.Change(due, Timeout.InfiniteTimeSpan);
    }

    private void Disarm()
    {
        armedFor = null;
        ruleTimer?.Dispose();
        ruleTimer = null;
    }

    private async Task OnRuleTimer(CancellationToken _)
    {
        using var span = Diagnostics.Source.StartActivity("livechat.rules.timer");
        span?.SetTag("livechat.site", SiteId).SetTag("livechat.visitor", VisitorId);
        await Evaluate();
    }

    // ── The conversation ──

    public async Task<StartChatResult> StartChat(string? text, string? clientMessageId = null)
    {
        if (Conversation is { } existing && await existing.GetView() is { Status: not ConversationStatus.Closed } open)
        {
            if (text is { Length: > 0 }) await existing.Append(Senders.Visitor, VisitorId, null, clientMessageId ?? Keys.NewId("start"), text);
            var position = (await Site.GetQueue()).Where(q => q.VisitorLeftAt is null).ToList().FindIndex(q => q.ConversationId == open.ConversationId);
            return new StartChatResult(open.ConversationId, position < 0 ? null : position + 1, null);
        }
        var now = clock.GetUtcNow();
        var id = Keys.NewId("c");
        var origin = InvitationBook.StartChat(S, id, now);
        AddJourney(now, "chat", origin is null ? "started a chat" : $"started a chat from invitation '{origin.Invitation.Situation ?? origin.Invitation.RuleId}'");
        await Save();
        Disarm();
        NoteContactAfterNotices();

        var conversation = grains.GetGrain<IConversationGrain>(id);
        var view = await conversation.Start(SiteId, VisitorId, origin?.Invitation.RuleId, origin?.Invitation.Situation, origin?.Invitation.Text, origin?.Invitation.AgentName);
        if (text is { Length: > 0 }) await conversation.Append(Senders.Visitor, VisitorId, null, clientMessageId ?? "start-" + id, text);
        var routed = await Site.Enqueue(new QueueEntry(SiteId, id, VisitorId, view.RuleId, view.Situation, now, text));
        await events.Publish(SiteId, Grains.Events.ConversationStarted, new { conversationId = id, visitorId = VisitorId, ruleId = view.RuleId, situation = view.Situation });
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
        if (Conversation is { } c) await c.Close(Senders.Visitor, CloseReasons.ByVisitor);
    }

    /// <summary>The visitor's conversation has ended: its transcript goes out if asked for, and the site's webhooks hear of it.</summary>
    public async Task ConversationEnded(string conversationId)
    {
        await Resolve(conversationId);
        if (!VisitBook.EndConversation(S, conversationId)) return;
        await Save();
        await events.Publish(SiteId, Grains.Events.ConversationClosed, new { conversationId, visitorId = VisitorId });
        if (S.TranscriptTo.Remove(conversationId, out var email))
        {
            await Save();
            await SendTranscript(conversationId, email);
        }
        await Evaluate();
        await PublishSummary();
    }

    public async Task RequestTranscript(string email)
    {
        if (!requestSettings.EmailEnabled) throw new RefusedException("e-mail is not configured here, so a transcript cannot be sent");
        var id = S.ConversationId ?? S.PastConversations.LastOrDefault() ?? throw new RefusedException("there is no conversation to send");
        var conversation = grains.GetGrain<IConversationGrain>(id);
        await conversation.SetTranscriptEmail(email);
        if (S.ConversationId == id)
        {
            S.TranscriptTo[id] = email; // sent when the chat ends, so it holds every message
            await Save();
            return;
        }
        await SendTranscript(id, email);
    }

    private async Task SendTranscript(string conversationId, string email)
    {
        if (await grains.GetGrain<IConversationGrain>(conversationId).GetView() is not { } view) return;
        var zone = (await directory.Get(SiteId)).Hours.Zone;
        await grains.GetGrain<IOutboxGrain>(SiteId).Enqueue([RequestMails.Transcript(view, email, zone, S.Languages)]);
    }

    // ── Requests: callbacks and left messages, only the visitor's own references answer ──

    public Task<ReferenceResult> RequestCallback(string phone, string? name, string? note, DateTimeOffset? at = null, string? email = null, string? clientAddress = null) =>
        StoreRequest(RequestKinds.Callback, phone, email, name, note, at, clientAddress);

    public Task<ReferenceResult> LeaveMessage(string email, string text, string? name, string? clientAddress = null) =>
        StoreRequest(RequestKinds.Message, null, email, name, text, null, clientAddress);

    public async Task<RequestStatusView> GetRequestStatus(string reference)
    {
        // Another visitor's reference answers exactly like one that does not exist.
        if (!S.RequestReferences.Contains(reference)) throw new RefusedException("reference: not found");
        var view = await grains.GetGrain<IRequestGrain>(Keys.Of(SiteId, reference)).Get() ?? throw new RefusedException("reference: not found");
        return Status(view);
    }

    public async Task<IReadOnlyList<RequestStatusView>> GetMyRequests()
    {
        var views = await Task.WhenAll(S.RequestReferences.TakeLast(5).Reverse().Select(r => grains.GetGrain<IRequestGrain>(Keys.Of(SiteId, r)).Get()));
        return views.OfType<CallbackView>().Select(Status).ToList();
    }

    private async Task<ReferenceResult> StoreRequest(string kind, string? phone, string? email, string? name, string? text, DateTimeOffset? at, string? clientAddress)
    {
        var stored = await Requests.Add(new CallbackView("", SiteId, VisitorId, kind, phone, email, name, text, clock.GetUtcNow(), false, at, Language: MailText.For(S.Languages).Language), clientAddress);
        VisitBook.AddRequest(S, stored.Reference);
        AddJourney(stored.CreatedAt, kind, $"{(kind == RequestKinds.Callback ? "requested a callback" : "left a message")} ({stored.Reference})");
        await Contacted(kind == RequestKinds.Callback ? ContactChannels.Callback : ContactChannels.Message, stored.Reference, stored.CreatedAt, phone: phone, email: email);
        NoteContactAfterNotices();
        return new ReferenceResult(stored.Reference);
    }

    private static RequestStatusView Status(CallbackView v) =>
        new(v.Reference, v.Kind, v.Status, v.At, v.LastUpdate ?? v.CreatedAt);

    // ── Outcomes: contacts, repeats, resolution, rating ──

    public async Task ReportContact(string channel)
    {
        if (channel != ContactChannels.Phone) throw new RefusedException("channel must be \"phone\"");
        var now = clock.GetUtcNow();
        AddJourney(now, "phone", "clicked the phone number");
        await Contacted(ContactChannels.Phone, Keys.NewId("tel"), now);
    }

    public async Task Rate(string conversationId, int score, string? comment)
    {
        // Only the visitor of that conversation: their own grain must know it, and the conversation checks again.
        if (S.ConversationId != conversationId && !S.PastConversations.Contains(conversationId))
            throw new RefusedException("conversationId: no such conversation");
        var rated = await grains.GetGrain<IConversationGrain>(conversationId).Rate(VisitorId, score, comment);
        var now = clock.GetUtcNow();
        var note = S.Contacts.Find(c => c.Key == conversationId);
        AddJourney(now, "rating", $"rated the chat {score}/5");
        RecordStat(new StatEvent(StatKind.Rated, note?.RuleId ?? rated.RuleId, note is null ? rated.Situation : note.Situation, now,
            AgentId: rated.AgentId, Score: score));
        await Save();
    }

    public Task RequestResolved(string reference) => Resolve(reference);

    private async Task Resolve(string contactKey)
    {
        if (ContactBook.Resolve(S, contactKey, clock.GetUtcNow()) is not { } resolved) return;
        RecordStat(resolved);
        await Save();
    }

    /// <summary>The visitor reached out: counted (<see cref="ContactBook.Attribution"/>) and checked against the contacts of the last 7 days of this visitor id and of every phone/e-mail they gave.</summary>
    private async Task Contacted(string channel, string contactKey, DateTimeOffset at, PendingInvitation? origin = null, string? phone = null, string? email = null)
    {
        var (ruleId, situation) = ContactBook.Attribution(S, origin);
        var contact = ContactBook.View(channel, contactKey, at, VisitorId, situation);
        var found = new List<ContactView>();
        foreach (var identity in ContactBook.Identities(S, SiteId, VisitorId, phone, email))
            foreach (var c in await grains.GetGrain<IContactHistoryGrain>(Keys.Of(SiteId, identity)).Add(contact))
                found.Add(c with { Via = ContactKeys.Via(identity) });
        var repeats = ContactBook.Add(S, new ContactNote(contactKey, channel, ruleId, situation, at), found);
        if (repeats > 0) AddJourney(at, "repeat", $"contacted again: {repeats} earlier contact{(repeats == 1 ? "" : "s")} within 7 days");
        RecordStat(new StatEvent(StatKind.Contact, ruleId, situation, at, Channel: channel));
        if (repeats > 0) RecordStat(new StatEvent(StatKind.RepeatContact, ruleId, situation, at, Channel: channel));
        await Save();
    }

    // ── Service notices on the visitor's page ──

    public async Task NoticesChanged(long version)
    {
        if (connections.Count == 0) return;
        var page = Utm.PathAndQuery(S.Url);
        var coveredBefore = OutageCoversPage(page);
        await RefreshNotices(push: true, version);
        if (OutageCoversPage(page) != coveredBefore) await Evaluate(); // a suppressDuringNotice rule is held back, or free again
    }

    /// <summary>Recomputes what the current page shows; pushes Notice for new or changed ones and NoticeCleared for the rest.</summary>
    private async Task RefreshNotices(bool push, long atLeastVersion = 0)
    {
        var set = await board.Get(SiteId, notices.AtLeast(atLeastVersion));
        var change = notices.Update(set, Utm.PathAndQuery(S.Url), clock.GetUtcNow());
        if (push)
        {
            foreach (var gone in change.Cleared) await notifier.NoticeCleared(SiteId, VisitorId, new NoticeClearedView(gone));
            foreach (var notice in change.Sent) await notifier.Notice(SiteId, VisitorId, notice);
        }
        if (change.FirstSeen.Count > 0) grains.GetGrain<INoticesGrain>(SiteId).Seen(change.FirstSeen).Ignore();
    }

    /// <summary>For the rule evaluator (<c>suppressDuringNotice</c>).</summary>
    private bool OutageCoversPage(string pathAndQuery) => notices.OutageCovers(pathAndQuery, clock.GetUtcNow());

    /// <summary>The visitor started a chat, asked for a callback or left a message: the notices they saw did not settle it.</summary>
    private void NoteContactAfterNotices()
    {
        var ids = notices.Contacted();
        if (ids.Count > 0) grains.GetGrain<INoticesGrain>(SiteId).ContactedAfter(ids).Ignore();
    }

    // ── Privacy ──

    /// <summary>
    /// The right to be forgotten: the visitor's state, every conversation (with its messages) and every request they
    /// made are deleted. The site's request index keeps the bare references until its own retention prunes them.
    /// </summary>
    public async Task<IReadOnlyList<string>> Forget()
    {
        var conversationIds = VisitBook.Conversations(S).Distinct().ToList();
        foreach (var id in conversationIds) await grains.GetGrain<IConversationGrain>(id).Forget();
        foreach (var reference in S.RequestReferences) grains.GetGrain<IRequestGrain>(Keys.Of(SiteId, reference)).Forget().Ignore();
        Disarm();
        leaveTimer?.Dispose();
        leaveTimer = null;
        await state.ClearStateAsync();
        await agents.VisitorLeft(SiteId, new VisitorLeftView(SiteId, VisitorId));
        DeactivateOnIdle();
        return conversationIds;
    }

    // ── Writes, stats, journey, summary ──

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

    private void AddJourney(DateTimeOffset at, string kind, string detail) => VisitBook.AddJourney(S, at, kind, detail);

    /// <summary>The notifier files the summary in this silo's presence batch (latest state wins); it never waits on an agent.</summary>
    private Task PublishSummary() => agents.VisitorUpdated(SiteId, Summary(), presenceOwner);

    private VisitorSummary Summary() => VisitBook.Summary(S, SiteId, VisitorId, online: connections.Count > 0);
}
