using System.Diagnostics;
using System.Text.Json;
using LiveChat.Contracts;
using LiveChat.Testing;
using LiveChat.LoadTests.Metrics;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveChat.LoadTests.Scenarios;

/// <summary>
/// The visitor's side of one conversation: sends stamped messages, counts agent messages delivered
/// (live or recovered by GetMessages), duplicates (a sequence pushed twice) and gaps in the sequence.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "a SemaphoreSlim without a wait handle holds nothing to dispose; a tracker lives as long as its chatter")]
internal sealed class ChatTracker
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly object gate = new();
    private readonly VisitorSession session;
    private readonly LoadEnvironment env;
    private readonly string idPrefix;
    private readonly HashSet<long> seen = [];
    private readonly HashSet<long> agentSequences = [];
    private readonly TaskCompletionSource agentJoined = new(TaskCreationOptions.RunContinuationsAsynchronously);
    // One send at a time, and none while the storm has the connection cut.
    private readonly SemaphoreSlim sendLock = new(1, 1);
    // Cluster: the message whose ack never came (connection lost, or the server asked to retry), resent as is.
    private (string Id, string Text)? pending;
    private readonly Dictionary<string, long> acked = [];
    private long contiguous;
    private long maxSeen;
    private int sent;

    public ChatTracker(VisitorSession session, LoadEnvironment env, string idPrefix)
    {
        this.session = session;
        this.env = env;
        this.idPrefix = idPrefix;
        session.OnMessage = m => Receive(m, recovered: false);
        session.OnAgentJoined = _ => agentJoined.TrySetResult();
        session.BeforeDrop = async () =>
        {
            Ready = false;
            await sendLock.WaitAsync();
        };
        session.AfterResume = async hello =>
        {
            try
            {
                env.Metrics.Add(hello.Conversation is not null ? Counter.StormResumedConversation : Counter.StormLostConversation);
                await ResyncAsync(CancellationToken.None);
            }
            finally
            {
                sendLock.Release();
                Ready = true;
            }
        };
        session.OnLost = () => Ready = false;
        session.AfterFailover = FailoverAsync;
    }

    /// <summary>
    /// After Hello on a surviving node: GetMessages(afterSequence) to catch up, then send at once (the unacknowledged
    /// message again under its clientMessageId, or a new one) until acknowledged: kill → that ack is the recovery time.
    /// </summary>
    private async Task FailoverAsync(HelloResult hello, long killedAt)
    {
        var metrics = env.Metrics;
        await sendLock.WaitAsync();
        try
        {
            if (killedAt != 0)
                metrics.Add(hello.Conversation is not null ? Counter.NodeKillResumedConversation : Counter.NodeKillLostConversation);
            var deadline = Stopwatch.StartNew();
            for (var resynced = false; !resynced && deadline.Elapsed < TimeSpan.FromSeconds(30);)
            {
                try { using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10)); await ResyncAsync(cts.Token); resynced = true; }
                catch (Exception) { await Task.Delay(500); }
            }
            if (!InChat) return;
            while (deadline.Elapsed < TimeSpan.FromSeconds(60) && session.Connected.IsCompleted)
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                try
                {
                    if (await SendOnceAsync(cts.Token))
                    {
                        if (killedAt != 0)
                        {
                            metrics.NodeKillRecovery.Record(Stopwatch.GetElapsedTime(killedAt), metrics.Elapsed);
                            metrics.Add(Counter.NodeKillRecovered);
                        }
                        return;
                    }
                }
                catch (OperationCanceledException) { }
                await Task.Delay(500);
            }
            if (killedAt != 0) metrics.Add(Counter.NodeKillNotRecovered);
        }
        finally
        {
            sendLock.Release();
            Ready = true;
        }
    }

    public string? ConversationId { get; set; }
    /// <summary>An agent joined: from now on a failover ends with a send.</summary>
    public volatile bool InChat;
    public volatile bool Ready;

    public async Task<bool> WaitForAgentAsync(TimeSpan limit, CancellationToken ct)
    {
        var done = await Task.WhenAny(agentJoined.Task, Task.Delay(limit, ct));
        ct.ThrowIfCancellationRequested();
        return done == agentJoined.Task;
    }

    public async Task SendNextAsync(CancellationToken ct)
    {
        if (!await sendLock.WaitAsync(TimeSpan.FromSeconds(10), ct))
        {
            env.Metrics.Add(Counter.MessagesSkippedNoChatter);
            return;
        }
        try
        {
            await SendOnceAsync(ct);
        }
        finally
        {
            sendLock.Release();
        }
    }

    /// <summary>One SendMessage (the pending one again, else a new one); true when acknowledged. Call under the send lock.</summary>
    private async Task<bool> SendOnceAsync(CancellationToken ct)
    {
        var metrics = env.Metrics;
        var cluster = env.Options.ClusterMode;
        if (pending is null)
        {
            var id = $"v.{idPrefix}.{Interlocked.Increment(ref sent)}";
            pending = (id, MessageStamp.Create(id));
            metrics.Add(Counter.VisitorMessagesSent);
        }
        else metrics.Add(Counter.MessagesResent);
        var (clientMessageId, text) = pending.Value;
        try
        {
            var started = Stopwatch.GetTimestamp();
            var ack = await session.Calls.SendMessage(new SendMessageRequest(clientMessageId, text), ct);
            metrics.SendAck.Record(Stopwatch.GetElapsedTime(started), metrics.Elapsed);
            metrics.Add(Counter.VisitorMessagesAcked);
            pending = null;
            lock (gate) acked[clientMessageId] = ack.Sequence;
            See(ack.Sequence);
            return true;
        }
        catch (Exception) when (!ct.IsCancellationRequested || cluster)
        {
            metrics.Add(Counter.VisitorMessagesSendFailed);
            // One server: a failed send is given up. Cluster: kept and resent under the same id, as the widget does.
            if (!cluster) pending = null;
            return false;
        }
    }

    /// <summary>
    /// End of run: every message acknowledged in this conversation (ours, and the agent bots' replies) must be
    /// returned by GetMessages(0), once per clientMessageId.
    /// </summary>
    public async Task VerifyAsync()
    {
        if (ConversationId is not { } conversationId) return;
        var metrics = env.Metrics;
        if (pending is not null) metrics.Add(Counter.VisitorMessagesUnackedAtEnd);
        try { await session.Connected.WaitAsync(TimeSpan.FromSeconds(30)); } catch (TimeoutException) { }
        List<(string Id, long Sequence)> acked;
        lock (gate) acked = this.acked.Select(kv => (kv.Key, kv.Value)).ToList();
        if (env.AgentAcks.TryGetValue(conversationId, out var agent)) acked.AddRange(agent.Select(a => (a.ClientMessageId, a.Sequence)));
        for (var attempt = 0; attempt < 3; attempt++)
        {
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                var result = await session.Calls.GetMessages(new GetMessagesRequest(0), cts.Token);
                var stored = result.Where(m => m.ConversationId == conversationId).ToList();
                var bySequence = stored.ToDictionary(m => m.Sequence, m => m.ClientMessageId);
                var missing = acked.Count(a => !bySequence.TryGetValue(a.Sequence, out var id) || id != a.Id);
                var duplicated = stored.Where(m => m.ClientMessageId is not null).GroupBy(m => m.ClientMessageId).Sum(g => g.Count() - 1);
                metrics.Add(Counter.VerifiedConversations);
                metrics.Add(Counter.VerifiedAcked, acked.Count);
                metrics.Add(Counter.VerifiedMissing, missing);
                metrics.Add(Counter.StoredDuplicates, duplicated);
                if (missing > 0 && Environment.GetEnvironmentVariable("LOADTEST_DEBUG") == "1")
                    Console.Error.WriteLine($"verify {conversationId}: {missing} of {acked.Count} acknowledged messages missing");
                return;
            }
            catch (Exception)
            {
                await Task.Delay(1000);
            }
        }
        metrics.Add(Counter.VerifyFailedConversations);
        metrics.Add(Counter.VerifyUncheckedAcks, acked.Count);
    }

    private void Receive(ChatMessage message, bool recovered)
    {
        if (message.From == Senders.Agent) agentJoined.TrySetResult();
        var stamped = MessageStamp.TryRead(message.Text, out var age);
        lock (gate)
        {
            See(message.Sequence);
            if (message.From != Senders.Agent || !stamped) return;
            if (!agentSequences.Add(message.Sequence))
            {
                if (!recovered) env.Metrics.Add(Counter.AgentMessagesDuplicated);
                return;
            }
        }
        if (recovered)
        {
            env.Metrics.Add(Counter.AgentMessagesRecovered);
        }
        else
        {
            env.Metrics.Add(Counter.AgentMessagesDelivered);
            env.Metrics.RecordChat(env.Metrics.AgentToVisitor, age);
        }
    }

    private void See(long sequence)
    {
        lock (gate)
        {
            seen.Add(sequence);
            maxSeen = Math.Max(maxSeen, sequence);
            while (seen.Contains(contiguous + 1)) contiguous++;
        }
    }

    /// <summary>GetMessages after the last contiguous sequence: what a reconnecting widget does.</summary>
    public async Task ResyncAsync(CancellationToken ct)
    {
        long after;
        lock (gate) after = contiguous;
        var result = await session.Connection.InvokeCoreAsync("GetMessages", typeof(JsonElement), [new GetMessagesRequest(after)], ct);
        if (result is not JsonElement e) return;
        var list = e.ValueKind == JsonValueKind.Array ? e
            : e.ValueKind == JsonValueKind.Object && e.TryGetProperty("messages", out var m) ? m
            : default;
        if (list.ValueKind != JsonValueKind.Array) return;
        foreach (var item in list.EnumerateArray())
        {
            if (item.Deserialize<ChatMessage>(Json) is { } message) Receive(message, recovered: true);
        }
    }

    /// <summary>At the end: if pushes left holes in the sequence, fetch what's missing (counted as recovered, not live).</summary>
    public async Task FinalResyncAsync()
    {
        bool gaps;
        lock (gate) gaps = maxSeen > contiguous;
        if (!gaps) return;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try { await ResyncAsync(cts.Token); }
        catch (Exception) { /* counted as lost then */ }
    }
}
