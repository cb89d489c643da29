using LiveChat.Contracts;
using Microsoft.Extensions.Logging;

namespace LiveChat.Grains;

/// <summary>
/// A site's outbox. Every item is written to storage before it is attempted; a grain timer (re-armed on activation)
/// attempts due items and a reminder (durable in cluster mode) wakes the grain after a restart or a node's death.
/// A round that fails is tried again later with a growing delay, up to <see cref="MaxRounds"/>.
/// Guarantee: at least once. An item is marked sent only after the server accepted it; if the node dies between the
/// acceptance and that write, the item goes out again with the same Message-Id / event id, which receivers use to
/// drop the duplicate. Within one node, an item in flight is never started twice (a lease covers the round).
/// </summary>
internal sealed class OutboxGrain(
    [PersistentState("outbox", Storage.Name)] IPersistentState<OutboxState> state,
    IGrainFactory grains, IOutboxTransport transport, TimeProvider clock, ILogger<OutboxGrain> log)
    : Grain, IOutboxGrain, IRemindable
{
    public const int MaxRounds = 10;
    private const int LogKept = 300;
    private const string ReminderName = "outbox";
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(3);

    private readonly Dictionary<string, DateTimeOffset> inFlight = [];
    private IGrainTimer? timer;
    private bool reminderSet;

    private OutboxState S => state.State;
    private string SiteId => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (S.Pending.Count > 0) Arm(TimeSpan.Zero); // a restart or a dead node: pick up where it stopped
        return Task.CompletedTask;
    }

    public async Task Enqueue(IReadOnlyList<OutboxItem> items)
    {
        var added = new List<OutboxItem>();
        foreach (var item in items)
        {
            if (S.Pending.Any(p => p.Key == item.Key) || S.Log.Any(l => l.Key == item.Key) || added.Any(a => a.Key == item.Key)) continue;
            item.CreatedAt = clock.GetUtcNow();
            item.NextAttemptAt = item.CreatedAt;
            added.Add(item);
        }
        if (added.Count == 0) return;
        S.Pending.AddRange(added);
        try { await state.WriteStateAsync(); }
        catch
        {
            foreach (var item in added) S.Pending.Remove(item); // not persisted → not accepted
            throw;
        }
        await KeepAwake();
        foreach (var item in added) Changed(item, MailStatus.Queued);
        Dispatch();
    }

    public async Task Report(string key, DeliveryOutcome outcome)
    {
        inFlight.Remove(key);
        var item = S.Pending.Find(p => p.Key == key);
        if (item is null) return; // already finished (a late report of an expired lease)
        var now = clock.GetUtcNow();
        item.Attempts += Math.Max(outcome.Tries, 1);
        item.Rounds++;
        item.LastError = outcome.Error;
        string status;
        if (outcome.Delivered) status = MailStatus.Sent;
        else if (outcome.Permanent || item.Rounds >= MaxRounds) status = MailStatus.Failed;
        else
        {
            status = MailStatus.Queued;
            item.NextAttemptAt = now + Backoff(item.Rounds);
        }
        if (status != MailStatus.Queued)
        {
            S.Pending.Remove(item);
            S.Log.Add(Record(item, status, now));
            if (S.Log.Count > LogKept) S.Log.RemoveRange(0, S.Log.Count - LogKept);
            if (status == MailStatus.Failed) log.LogWarning("Outbox {SiteId}: {Channel} {Key} to {Target} failed: {Error}", SiteId, item.Channel, key, item.Target, outcome.Error);
        }
        await state.WriteStateAsync();
        Changed(item, status);
        if (S.Pending.Count == 0) await Sleep();
        else ArmForNext();
    }

    public Task<IReadOnlyList<DeliveryRecord>> GetDeliveries(string channel, int limit)
    {
        var now = clock.GetUtcNow();
        var pending = S.Pending.Where(p => p.Channel == channel).Select(p => Record(p, MailStatus.Queued, now));
        var done = S.Log.Where(l => l.Channel == channel);
        return Task.FromResult<IReadOnlyList<DeliveryRecord>>(pending.Concat(done).OrderByDescending(d => d.UpdatedAt).Take(limit).ToList());
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        reminderSet = true;
        if (S.Pending.Count == 0) return Sleep();
        Dispatch();
        return Task.CompletedTask;
    }

    /// <summary>1 min, 2, 4 … capped at 1 h between rounds (each round already retried a few times within seconds).</summary>
    internal static TimeSpan Backoff(int rounds) => TimeSpan.FromMinutes(Math.Min(60, Math.Pow(2, Math.Max(0, rounds - 1))));

    private void Dispatch()
    {
        var now = clock.GetUtcNow();
        foreach (var item in S.Pending)
        {
            if (item.NextAttemptAt > now) continue;
            if (inFlight.TryGetValue(item.Key, out var until) && until > now) continue;
            inFlight[item.Key] = now + Lease;
            transport.Start(SiteId, item);
        }
        ArmForNext();
    }

    private void ArmForNext()
    {
        var now = clock.GetUtcNow();
        var next = S.Pending.Select(p => inFlight.TryGetValue(p.Key, out var until) && until > now ? until : p.NextAttemptAt)
            .DefaultIfEmpty(DateTimeOffset.MaxValue).Min();
        if (next == DateTimeOffset.MaxValue) return;
        Arm(next <= now ? TimeSpan.FromMilliseconds(50) : next - now);
    }

    private void Arm(TimeSpan due)
    {
        timer?.Dispose();
        timer = this.RegisterGrainTimer(_ => { Dispatch(); return Task.CompletedTask; }, new GrainTimerCreationOptions(due, Timeout.InfiniteTimeSpan));
    }

    private async Task KeepAwake()
    {
        if (reminderSet) return;
        await this.RegisterOrUpdateReminder(ReminderName, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        reminderSet = true;
    }

    private async Task Sleep()
    {
        timer?.Dispose();
        timer = null;
        if (await this.GetReminder(ReminderName) is { } reminder) await this.UnregisterReminder(reminder);
        reminderSet = false;
    }

    private void Changed(OutboxItem item, string status)
    {
        if (item.Channel != OutboxChannel.Mail || item.RequestReference is not { } reference) return;
        var view = new MailView(item.Key, item.Purpose, item.Target, status, status == MailStatus.Sent ? null : item.LastError, item.Attempts, clock.GetUtcNow());
        grains.GetGrain<IRequestGrain>(Keys.Of(SiteId, reference)).MailChanged(view).Ignore();
    }

    private static DeliveryRecord Record(OutboxItem item, string status, DateTimeOffset now) =>
        new(item.Key, item.Channel, item.Purpose, item.Target, status, item.Attempts, item.LastError, item.CreatedAt, now, item.Hook?.EventId, item.RequestReference);
}
