using LiveChat.Contracts;

namespace LiveChat.Grains;

/// <summary>
/// A conversation's single writer: it numbers messages 1, 2, 3… with no gaps, persists before acknowledging,
/// and deduplicates retries by (sender, client message id), so clients can retry freely and detect gaps.
/// </summary>
internal sealed class ConversationGrain(
    [PersistentState("conversation", Storage.Name)] IPersistentState<ConversationState> state,
    IGrainFactory grains, IVisitorNotifier visitors, IAgentNotifier agents, TimeProvider clock)
    : Grain, IConversationGrain
{
    public const int MaxMessages = 5000;
    private ConversationState S => state.State;
    private string Id => this.GetPrimaryKeyString();
    private ISiteGrain Site => grains.GetGrain<ISiteGrain>(S.SiteId);

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
        if (invitationText is { Length: > 0 }) await Add(Senders.Invitation, invitedBy, null, invitationText);
        Diagnostics.ChatsStarted.Add(1, Diagnostics.Site(siteId), Diagnostics.Situation(situation), Diagnostics.Rule(ruleId));
        await Site.Record(new StatEvent(StatKind.ChatStarted, ruleId, situation, now));
        return View();
    }

    public Task<ConversationView?> GetView() => Task.FromResult(S.Exists ? View() : null);

    public Task<IReadOnlyList<ChatMessage>> GetMessages(long afterSequence) =>
        Task.FromResult<IReadOnlyList<ChatMessage>>(S.Messages.Where(m => m.Sequence > afterSequence).ToList());

    public async Task<MessageAck> Append(string from, string senderId, string? senderName, string clientMessageId, string text)
    {
        EnsureExists();
        if (S.Messages.FindLast(m => m.ClientMessageId == clientMessageId && m.From == from) is { } earlier)
            return new MessageAck(earlier.MessageId, earlier.Sequence);
        if (S.Status == ConversationStatus.Closed) throw new RefusedException("this conversation has ended");
        if (from == Senders.Agent && S.AgentId != senderId) throw new RefusedException("this conversation is not assigned to you");
        if (S.Messages.Count >= MaxMessages) throw new RefusedException("this conversation has reached its message limit");

        var message = await Add(from, senderName, clientMessageId, text);
        if (from == Senders.Agent && !S.AgentReplied)
        {
            S.AgentReplied = true;
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
        await Add(Senders.System, null, null, previous is null ? $"{agentName} joined the chat." : $"{agentName} took over the chat.");
        if (previous is not null && previous != agentId)
            await agents.ConversationClosed(previous, new ConversationClosedView(Id, "transferred"));
        await visitors.AgentJoined(S.SiteId, S.VisitorId, new AgentJoinedView(Id, agentName));
        await agents.ConversationAssigned(agentId, new ConversationAssignedView(View(), transferNote));
    }

    public async Task<QueueEntry?> Requeue(string systemMessage)
    {
        if (!S.Exists || S.Status == ConversationStatus.Closed) return null;
        S.AgentId = null;
        S.AgentName = null;
        S.Status = ConversationStatus.Queued;
        await Add(Senders.System, null, null, systemMessage);
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
        await Add(Senders.System, null, null, "The chat has ended.");
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

    private async Task<ChatMessage> Add(string from, string? senderName, string? clientMessageId, string text)
    {
        var message = new ChatMessage(Id, Keys.NewId("m"), S.Messages.Count + 1, from, text, clock.GetUtcNow(), clientMessageId, senderName);
        using var span = Diagnostics.Source.StartActivity("livechat.message.persist");
        span?.SetTag("livechat.site", S.SiteId).SetTag("livechat.conversation", Id).SetTag("livechat.from", from).SetTag("livechat.sequence", message.Sequence);
        S.Messages.Add(message);
        Diagnostics.Messages.Add(1, Diagnostics.Site(S.SiteId), new KeyValuePair<string, object?>("livechat.from", from));
        try { await state.WriteStateAsync(); }
        catch
        {
            S.Messages.RemoveAt(S.Messages.Count - 1); // not durable → not acknowledged, and the sequence stays gap-free
            throw;
        }
        await visitors.Message(S.SiteId, S.VisitorId, message);
        if (S.AgentId is { } agentId) await agents.Message(agentId, message);
        return message;
    }

    private QueueEntry Entry() =>
        new(S.SiteId, Id, S.VisitorId, S.RuleId, S.Situation, S.QueuedAt, S.Messages.FirstOrDefault(m => m.From == Senders.Visitor)?.Text);

    private ConversationView View() =>
        new(Id, S.SiteId, S.VisitorId, S.Status, S.AgentId, S.AgentName, S.RuleId, S.Situation, S.StartedAt, S.EndedAt, S.Messages.ToList());

    private void EnsureExists()
    {
        if (!S.Exists) throw new RefusedException("no such conversation");
    }
}
