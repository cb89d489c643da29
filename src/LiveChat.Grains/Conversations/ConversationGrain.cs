using LiveChat.Contracts;

namespace LiveChat.Grains;

/// <summary>
/// A conversation's single writer: it numbers messages 1, 2, 3… with no gaps, persists before acknowledging,
/// and deduplicates retries by (sender identity, client message id), so clients can retry freely and detect gaps.
/// Messages go to the append-only <see cref="IMessageStore"/> (one write each); the grain state holds only the
/// conversation's metadata, written when it changes.
/// </summary>
internal sealed class ConversationGrain(
    [PersistentState("conversation", Storage.Name)] IPersistentState<ConversationState> state,
    IGrainFactory grains, IVisitorNotifier visitors, IAgentNotifier agents, IMessageStore store, TimeProvider clock)
    : Grain, IConversationGrain
{
    public const int MaxMessages = 5000;
    private List<StoredMessage> messages = [];
    /// <summary>Set when an append failed: it may still have landed, so the list is reloaded before the next write.</summary>
    private bool unsure;
    private ConversationState S => state.State;
    private string Id => this.GetPrimaryKeyString();
    private ISiteGrain Site => grains.GetGrain<ISiteGrain>(S.SiteId);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!S.Exists) return;
        await Reload();
        if (S.Messages.Count > 0 && messages.Count == 0) await MoveMessagesToTheStore();
    }

    public async Task<ConversationView> Start(string siteId, string visitorId, string? ruleId, string? situation, string? invitationText = null, string? invitedBy = null)
    {
        if (S.Exists) return View();
        var now = clock.GetUtcNow();
        S.SiteId = siteId;
        S.VisitorId = visitorId;
        S.Status = ConversationStatus.Queued;
        S.RuleId = ruleId;
        S.Situation = situation;
        S.StartedAt = now;
        S.QueuedAt = now;
        await state.WriteStateAsync();
        // What the visitor answered to is part of the conversation, in both transcripts and after a reload.
        if (invitationText is { Length: > 0 }) await Add(Senders.Invitation, null, invitedBy, null, invitationText);
        Diagnostics.ChatsStarted.Add(1, Diagnostics.Site(siteId), Diagnostics.Situation(situation), Diagnostics.Rule(ruleId));
        await Site.Record(new StatEvent(StatKind.ChatStarted, ruleId, situation, now));
        return View();
    }

    public Task<ConversationView?> GetView() => Task.FromResult(S.Exists ? View() : null);

    public Task<IReadOnlyList<ChatMessage>> GetMessages(long afterSequence) =>
        Task.FromResult<IReadOnlyList<ChatMessage>>(messages.Where(m => m.Message.Sequence > afterSequence).Select(m => m.Message).ToList());

    public async Task<MessageAck> Append(string from, string senderId, string? senderName, string clientMessageId, string text)
    {
        EnsureExists();
        if (unsure) await Reload();
        // Assignment first: after a transfer the previous agent is refused, and agent B's id that A once used is B's own.
        if (from == Senders.Agent && S.AgentId != senderId) throw new RefusedException(ReasonCodes.NotAssigned, "this conversation is not assigned to you");
        if (messages.FindLast(m => m.Message.ClientMessageId == clientMessageId && m.Message.From == from && m.SenderId == senderId) is { } earlier)
        {
            await store.Confirm(Id);
            return new MessageAck(earlier.Message.MessageId, earlier.Message.Sequence);
        }
        if (S.Status == ConversationStatus.Closed) throw new RefusedException(ReasonCodes.ConversationEnded, "this conversation has ended");
        if (messages.Count >= MaxMessages) throw new RefusedException(ReasonCodes.LimitReached, "this conversation has reached its message limit");

        var firstReply = from == Senders.Agent && !messages.Any(m => m.Message.From == Senders.Agent);
        var message = await Add(from, senderId, senderName, clientMessageId, text);
        if (firstReply)
        {
            var waited = (message.SentAt - S.StartedAt).TotalSeconds;
            Diagnostics.FirstReply.Record(waited, Diagnostics.Site(S.SiteId), Diagnostics.Situation(S.Situation));
            await Site.Record(new StatEvent(StatKind.FirstReply, S.RuleId, S.Situation, message.SentAt, waited));
        }
        return new MessageAck(message.MessageId, message.Sequence);
    }

    public async Task Typing(string from, string senderId, bool isTyping)
    {
        if (!S.Exists || S.Status == ConversationStatus.Closed) return;
        var typing = new TypingView(Id, from, isTyping);
        if (from == Senders.Visitor && S.AgentId is { } agentId) await agents.Typing(agentId, typing);
        else if (from == Senders.Agent && S.AgentId == senderId) await visitors.Typing(S.SiteId, S.VisitorId, typing);
    }

    public async Task Assign(string agentId, string agentName, string? transferNote)
    {
        EnsureExists();
        if (S.Status == ConversationStatus.Closed) return;
        var previous = S.AgentId;
        S.AgentId = agentId;
        S.AgentName = agentName;
        S.Status = ConversationStatus.Active;
        S.AssignedAt ??= clock.GetUtcNow();
        if (transferNote is { Length: > 0 }) S.TransferNotes.Add(transferNote);
        await state.WriteStateAsync();
        await AddSystem(previous is null ? SystemText.Joined(agentName) : SystemText.TookOver(agentName));
        if (previous is not null && previous != agentId)
            await agents.ConversationClosed(previous, new ConversationClosedView(Id, CloseReasons.Transferred));
        await visitors.AgentJoined(S.SiteId, S.VisitorId, new AgentJoinedView(Id, agentName));
        await agents.ConversationAssigned(agentId, new ConversationAssignedView(View(), transferNote));
    }

    public async Task<QueueEntry?> Requeue(SystemText systemMessage)
    {
        if (!S.Exists || S.Status == ConversationStatus.Closed) return null;
        S.AgentId = null;
        S.AgentName = null;
        S.Status = ConversationStatus.Queued;
        await state.WriteStateAsync();
        await AddSystem(systemMessage);
        return Entry();
    }

    public async Task Close(string by, string reason)
    {
        EnsureExists();
        if (S.Status == ConversationStatus.Closed) return;
        var now = clock.GetUtcNow();
        var agentId = S.AgentId;
        S.Status = ConversationStatus.Closed;
        S.EndedAt = now;
        await state.WriteStateAsync();
        await AddSystem(SystemText.Ended);
        await visitors.ChatEnded(S.SiteId, S.VisitorId, new ChatEndedView(Id, reason));
        if (agentId is not null) await agents.ConversationClosed(agentId, new ConversationClosedView(Id, reason));
        double? handled = S.AssignedAt is { } assigned ? (now - assigned).TotalSeconds : null;
        await Site.Release(agentId, Id, handled);
        await grains.GetGrain<IVisitorGrain>(Keys.Of(S.SiteId, S.VisitorId)).ConversationEnded(Id);
    }

    public async Task SetTranscriptEmail(string email)
    {
        EnsureExists();
        S.TranscriptEmail = email;
        await state.WriteStateAsync();
    }

    public async Task<ConversationView> Rate(string visitorId, int score, string? comment)
    {
        if (!S.Exists || S.VisitorId != visitorId) throw new RefusedException("conversationId: no such conversation");
        if (S.Status != ConversationStatus.Closed || S.EndedAt is not { } ended) throw new RefusedException("conversationId: the chat has not ended yet");
        if (S.Rating is not null) throw new RefusedException("conversationId: this chat has already been rated");
        var now = clock.GetUtcNow();
        if (now - ended > RateRequest.Window) throw new RefusedException($"conversationId: a chat can be rated for {RateRequest.Window.TotalDays:0} days after it ended");
        if (score is < RateRequest.MinScore or > RateRequest.MaxScore) throw new RefusedException($"score must be between {RateRequest.MinScore} and {RateRequest.MaxScore}");
        if (comment is { Length: > RateRequest.MaxComment }) throw new RefusedException($"comment is longer than {RateRequest.MaxComment} characters");
        S.Rating = new RatingView(score, comment?.Trim() is { Length: > 0 } text ? text : null, now);
        await state.WriteStateAsync();
        if (S.AgentId is { } agentId) await agents.ConversationRated(agentId, new ConversationRatedView(Id, S.Rating));
        return View();
    }

    public async Task Forget()
    {
        if (!S.Exists) return;
        if (S.Status != ConversationStatus.Closed)
        {
            var agentId = S.AgentId;
            S.Status = ConversationStatus.Closed;
            if (agentId is not null) await agents.ConversationClosed(agentId, new ConversationClosedView(Id, CloseReasons.Deleted));
            await Site.Release(agentId, Id, null);
        }
        await store.Delete(Id);
        messages = [];
        await state.ClearStateAsync();
        DeactivateOnIdle();
    }

    private Task<ChatMessage> AddSystem(SystemText system) => Add(Senders.System, null, null, null, system.Text, system);

    private async Task<ChatMessage> Add(string from, string? senderId, string? senderName, string? clientMessageId, string text, SystemText? system = null)
    {
        if (unsure) await Reload();
        var message = new ChatMessage(Id, Keys.NewId("m"), messages.Count + 1, from, text, clock.GetUtcNow(), clientMessageId, senderName, system?.Code, system?.Params);
        using var span = Diagnostics.Source.StartActivity("livechat.message.persist");
        span?.SetTag("livechat.site", S.SiteId).SetTag("livechat.conversation", Id).SetTag("livechat.from", from).SetTag("livechat.sequence", message.Sequence);
        var stored = new StoredMessage(message, senderId);
        try { await store.Append(Id, stored); }
        catch
        {
            unsure = true; // not acknowledged; if it landed anyway, the reload finds it and a retry gets its ack
            throw;
        }
        messages.Add(stored);
        Diagnostics.Messages.Add(1, Diagnostics.Site(S.SiteId), new KeyValuePair<string, object?>("livechat.from", from));
        await visitors.Message(S.SiteId, S.VisitorId, message);
        if (S.AgentId is { } agentId) await agents.Message(agentId, message);
        return message;
    }

    private async Task Reload()
    {
        messages = [.. await store.Read(Id)];
        unsure = false;
    }

    /// <summary>A conversation saved before messages had their own store: move them there once, then drop them from the state.</summary>
    private async Task MoveMessagesToTheStore()
    {
        foreach (var m in S.Messages)
        {
            var stored = new StoredMessage(m, m.From == Senders.Visitor ? S.VisitorId : null);
            await store.Append(Id, stored);
            messages.Add(stored);
        }
        S.Messages.Clear();
        await state.WriteStateAsync();
    }

    private QueueEntry Entry() =>
        new(S.SiteId, Id, S.VisitorId, S.RuleId, S.Situation, S.QueuedAt, messages.FirstOrDefault(m => m.Message.From == Senders.Visitor)?.Message.Text);

    private ConversationView View() =>
        new(Id, S.SiteId, S.VisitorId, S.Status, S.AgentId, S.AgentName, S.RuleId, S.Situation, S.StartedAt, S.EndedAt, messages.Select(m => m.Message).ToList(), S.Rating);

    private void EnsureExists()
    {
        if (!S.Exists) throw new RefusedException("no such conversation");
    }
}
