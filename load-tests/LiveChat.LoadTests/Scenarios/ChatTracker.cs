using System.Diagnostics;
using System.Text.Json;
using LiveChat.Contracts;
using LiveChat.LoadTests.Metrics;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveChat.LoadTests.Scenarios;

/// <summary>
/// The visitor's side of one conversation: sends stamped messages, counts agent messages delivered
/// (live or recovered by GetMessages), duplicates (a sequence pushed twice) and gaps in the sequence.
/// </summary>
internal sealed class ChatTracker
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly object _gate = new();
    private readonly VisitorSession _session;
    private readonly LoadEnvironment _env;
    private readonly string _idPrefix;
    private readonly HashSet<long> _seen = [];
    private readonly HashSet<long> _agentSequences = [];
    private readonly TaskCompletionSource _agentJoined = new(TaskCreationOptions.RunContinuationsAsynchronously);
    // One send at a time, and none while the storm has the connection cut.
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private long _contiguous;
    private long _maxSeen;
    private int _sent;

    public ChatTracker(VisitorSession session, LoadEnvironment env, string idPrefix)
    {
        _session = session;
        _env = env;
        _idPrefix = idPrefix;
        session.OnMessage = m => Receive(m, recovered: false);
        session.OnAgentJoined = _ => _agentJoined.TrySetResult();
        session.BeforeDrop = async () =>
        {
            Ready = false;
            await _sendLock.WaitAsync();
        };
        session.AfterResume = async hello =>
        {
            try
            {
                _env.Metrics.Add(hello.Conversation is not null ? Counter.StormResumedConversation : Counter.StormLostConversation);
                await ResyncAsync(CancellationToken.None);
            }
            finally
            {
                _sendLock.Release();
                Ready = true;
            }
        };
    }

    public string? ConversationId { get; set; }
    public volatile bool Ready;

    public async Task<bool> WaitForAgentAsync(TimeSpan limit, CancellationToken ct)
    {
        var done = await Task.WhenAny(_agentJoined.Task, Task.Delay(limit, ct));
        ct.ThrowIfCancellationRequested();
        return done == _agentJoined.Task;
    }

    public async Task SendNextAsync(CancellationToken ct)
    {
        if (!await _sendLock.WaitAsync(TimeSpan.FromSeconds(10), ct))
        {
            _env.Metrics.Add(Counter.MessagesSkippedNoChatter);
            return;
        }
        var metrics = _env.Metrics;
        try
        {
            var clientMessageId = $"v.{_idPrefix}.{Interlocked.Increment(ref _sent)}";
            metrics.Add(Counter.VisitorMessagesSent);
            var started = Stopwatch.GetTimestamp();
            var ack = await _session.Connection.InvokeAsync<MessageAck>(
                "SendMessage", new SendMessageRequest(clientMessageId, MessageStamp.Create(clientMessageId)), ct);
            metrics.SendAck.Record(Stopwatch.GetElapsedTime(started), metrics.Elapsed);
            metrics.Add(Counter.VisitorMessagesAcked);
            See(ack.Sequence);
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            metrics.Add(Counter.VisitorMessagesSendFailed);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private void Receive(ChatMessage message, bool recovered)
    {
        if (message.From == Senders.Agent) _agentJoined.TrySetResult();
        var stamped = MessageStamp.TryRead(message.Text, out var age);
        lock (_gate)
        {
            See(message.Sequence);
            if (message.From != Senders.Agent || !stamped) return;
            if (!_agentSequences.Add(message.Sequence))
            {
                if (!recovered) _env.Metrics.Add(Counter.AgentMessagesDuplicated);
                return;
            }
        }
        if (recovered)
        {
            _env.Metrics.Add(Counter.AgentMessagesRecovered);
        }
        else
        {
            _env.Metrics.Add(Counter.AgentMessagesDelivered);
            _env.Metrics.RecordChat(_env.Metrics.AgentToVisitor, age);
        }
    }

    private void See(long sequence)
    {
        lock (_gate)
        {
            _seen.Add(sequence);
            _maxSeen = Math.Max(_maxSeen, sequence);
            while (_seen.Contains(_contiguous + 1)) _contiguous++;
        }
    }

    /// <summary>GetMessages after the last contiguous sequence: what a reconnecting widget does.</summary>
    public async Task ResyncAsync(CancellationToken ct)
    {
        long after;
        lock (_gate) after = _contiguous;
        var result = await _session.Connection.InvokeCoreAsync("GetMessages", typeof(JsonElement), [new GetMessagesRequest(after)], ct);
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
        lock (_gate) gaps = _maxSeen > _contiguous;
        if (!gaps) return;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try { await ResyncAsync(cts.Token); }
        catch (Exception) { /* counted as lost then */ }
    }
}
