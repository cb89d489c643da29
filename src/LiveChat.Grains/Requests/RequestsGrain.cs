using LiveChat.Contracts;
using Microsoft.Extensions.Logging;

namespace LiveChat.Grains;

/// <summary>
/// The site's request index. Writes are small (one entry per request, no texts), so a flood of requests costs
/// this grain, not the site grain that routes chats. Due callbacks are alerted by a grain timer at the exact
/// instant, and a reminder (durable in cluster mode) brings the grain back after a restart to catch any missed.
/// </summary>
internal sealed class RequestsGrain(
    [PersistentState("requests", Storage.Name)] IPersistentState<RequestsState> state,
    IGrainFactory grains, SiteDirectory directory, IRequestSettings settings, TimeProvider clock, ILogger<RequestsGrain> log)
    : Grain, IRequestsGrain, IRemindable
{
    private const string DueReminder = "callbacks-due";
    private IGrainTimer? dueTimer;

    private RequestsState S => state.State;
    private string SiteId => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        ArmDue();
        return Task.CompletedTask;
    }

    public async Task<CallbackView> Add(CallbackView request, string? clientAddress = null)
    {
        var clockNow = clock.GetUtcNow();
        // Creation times are strictly increasing per site, so "created before X" pages never skip a request.
        var now = S.Entries.Count > 0 && S.Entries[^1].CreatedAt >= clockNow ? S.Entries[^1].CreatedAt.AddTicks(1) : clockNow;
        var limits = settings.Limits;
        var open = S.Entries.Where(e => !e.Done).ToList();
        if (request.Kind != RequestKinds.MissedChat) // a missed chat is the queue's doing, not the visitor's: never capped, never counted
        {
            var mine = open.Where(e => e.VisitorId == request.VisitorId && e.Kind != RequestKinds.MissedChat).Select(e => e.Reference).ToList();
            if (mine.Count >= limits.OpenPerVisitor)
                throw new RefusedException($"you already have {mine.Count} open requests ({string.Join(", ", mine)}); we will answer those first");
            if (clientAddress is { Length: > 0 } address && open.Count(e => e.Address == address) >= limits.OpenPerAddress)
                throw new RefusedException("there are too many open requests from your network; please call us or try again later");
        }
        if (open.Count >= limits.OpenPerSite) throw new RefusedException("we cannot take more requests right now; please call us");
        if (request.Kind == RequestKinds.MissedChat && request.Phone is null && request.Email is null)
            request = await WithLatestContact(request);
        if (request.At is { } at)
        {
            if (request.Kind != RequestKinds.Callback) throw new RefusedException("at: only a callback can be booked for a time");
            var hours = (await directory.Get(SiteId)).Hours;
            if (!CallbackSlots.Offers(hours, clockNow, settings.Callbacks(SiteId), Booked, at))
                throw new RefusedException("at: that time is not free; pick one of the offered times");
        }

        while (true)
        {
            var reference = References.New();
            if (S.Entries.Any(e => e.Reference == reference)) continue;
            var entry = new RequestIndexEntry
            {
                Reference = reference, VisitorId = request.VisitorId, Kind = request.Kind, CreatedAt = now, At = request.At,
                Address = request.Kind == RequestKinds.MissedChat ? null : clientAddress,
                ConversationId = request.Kind == RequestKinds.MissedChat ? request.ConversationId : null,
            };
            // The index first: a reference handed out is always listed. If the request itself cannot be stored, the
            // visitor gets an error (no reference) and the entry goes again.
            S.Entries.Add(entry);
            await state.WriteStateAsync();
            var stored = request with
            {
                Reference = reference, SiteId = SiteId, CreatedAt = now, Done = false, LastUpdate = now,
                Status = request.At is null ? RequestStatus.Received : RequestStatus.Scheduled,
            };
            bool created;
            try { created = await grains.GetGrain<IRequestGrain>(Keys.Of(SiteId, reference)).Create(stored, clientAddress); }
            catch
            {
                S.Entries.Remove(entry);
                await state.WriteStateAsync();
                throw;
            }
            if (!created)
            {
                S.Entries.Remove(entry); // an old reference past the index's retention: draw again
                continue;
            }
            Diagnostics.Callbacks.Add(1, Diagnostics.Site(SiteId), new KeyValuePair<string, object?>("livechat.kind", stored.Kind));
            if (stored.At is not null) ArmDue();
            await Prune(now);
            return stored;
        }
    }

    public async Task<bool> MarkDone(string reference, string? by = null)
    {
        var entry = S.Entries.Find(e => e.Reference == reference);
        if (entry is null) return false;
        if (!entry.Done)
        {
            entry.Done = true;
            entry.DoneAt = clock.GetUtcNow();
            await state.WriteStateAsync();
        }
        return await grains.GetGrain<IRequestGrain>(Keys.Of(SiteId, reference)).MarkDone(by);
    }

    public async Task<bool> MarkMissedChatDone(string conversationId)
    {
        var entry = S.Entries.LastOrDefault(e => e.Kind == RequestKinds.MissedChat && !e.Done && e.ConversationId == conversationId);
        return entry is not null && await MarkDone(entry.Reference, by: null);
    }

    /// <summary>How to reach the visitor of a missed chat, if they gave a phone or e-mail in an earlier request of theirs.</summary>
    private async Task<CallbackView> WithLatestContact(CallbackView request)
    {
        foreach (var earlier in S.Entries.Where(e => e.VisitorId == request.VisitorId && e.Kind != RequestKinds.MissedChat).Reverse().Take(5))
            if (await grains.GetGrain<IRequestGrain>(Keys.Of(SiteId, earlier.Reference)).Get() is { } known && (known.Phone ?? known.Email) is not null)
                return request with { Phone = known.Phone, Email = known.Email, Name = request.Name ?? known.Name };
        return request;
    }

    public Task<IReadOnlyList<string>> Page(bool done, DateTimeOffset? before, int limit) =>
        Task.FromResult<IReadOnlyList<string>>(S.Entries
            .Where(e => e.Done == done && (before is null || e.CreatedAt < before))
            .OrderByDescending(e => e.CreatedAt).Take(Math.Clamp(limit, 1, 500)).Select(e => e.Reference).ToList());

    public Task<int> OpenCount() => Task.FromResult(S.Entries.Count(e => !e.Done));

    public async Task<CallbackSlotsResult> GetSlots(string? timeZone)
    {
        TimeZoneInfo? zone = null;
        if (timeZone is { Length: > 0 } && !TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out zone))
            throw new RefusedException($"timeZone: unknown time zone '{timeZone}' (an IANA name such as Europe/Amsterdam)");
        var hours = (await directory.Get(SiteId)).Hours;
        zone ??= hours.Zone;
        var config = settings.Callbacks(SiteId);
        var slots = CallbackSlots.Next(hours, clock.GetUtcNow(), config, Booked)
            .Select(s => new CallbackSlot(TimeZoneInfo.ConvertTime(s.At, zone), s.Free)).ToList();
        return new CallbackSlotsResult(zone.Id, config.SlotMinutes, slots);
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => CheckDue();

    /// <summary>Callbacks booked for this slot (done ones too: the slot was theirs).</summary>
    private int Booked(DateTimeOffset at) => S.Entries.Count(e => e.At == at);

    private async Task CheckDue()
    {
        var now = clock.GetUtcNow();
        var due = S.Entries.Where(e => !e.Done && !e.DueAlerted && e.At <= now).ToList();
        foreach (var entry in due)
        {
            entry.DueAlerted = true;
            await grains.GetGrain<IRequestGrain>(Keys.Of(SiteId, entry.Reference)).Due();
        }
        if (due.Count > 0)
        {
            await state.WriteStateAsync();
            log.LogInformation("{Count} callbacks due on {SiteId}", due.Count, SiteId);
        }
        ArmDue();
        await KeepReminder();
    }

    private void ArmDue()
    {
        dueTimer?.Dispose();
        dueTimer = null;
        var next = S.Entries.Where(e => !e.Done && !e.DueAlerted && e.At is not null).Select(e => e.At!.Value).DefaultIfEmpty(DateTimeOffset.MaxValue).Min();
        if (next == DateTimeOffset.MaxValue) return;
        var wait = next - clock.GetUtcNow();
        dueTimer = this.RegisterGrainTimer(_ => CheckDue(), new GrainTimerCreationOptions(wait < TimeSpan.Zero ? TimeSpan.Zero : wait, Timeout.InfiniteTimeSpan));
        KeepReminder().Ignore();
    }

    /// <summary>A reminder while callbacks are waiting for their time: after a restart it re-activates the grain, which re-arms the timer.</summary>
    private async Task KeepReminder()
    {
        var waiting = S.Entries.Any(e => !e.Done && !e.DueAlerted && e.At is not null);
        var reminder = await this.GetReminder(DueReminder);
        if (waiting && reminder is null) await this.RegisterOrUpdateReminder(DueReminder, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        else if (!waiting && reminder is not null) await this.UnregisterReminder(reminder);
    }

    /// <summary>Retention: done requests older than the retention period, or beyond the newest <c>DoneKept</c>, are deleted.</summary>
    private async Task Prune(DateTimeOffset now)
    {
        var limits = settings.Limits;
        var cutoff = now - TimeSpan.FromDays(limits.DoneRetentionDays);
        var done = S.Entries.Where(e => e.Done).OrderByDescending(e => e.DoneAt).ToList();
        var gone = done.Where((e, i) => e.DoneAt < cutoff || i >= limits.DoneKept).ToList();
        if (gone.Count == 0) return;
        foreach (var e in gone)
        {
            S.Entries.Remove(e);
            grains.GetGrain<IRequestGrain>(Keys.Of(SiteId, e.Reference)).Forget().Ignore();
        }
        await state.WriteStateAsync();
    }
}
