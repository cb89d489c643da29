using System.Collections.Concurrent;
using System.Diagnostics;
using LiveChat.Contracts;
using LiveChat.Testing;
using LiveChat.LoadTests.Metrics;
using LiveChat.LoadTests.Simulations;
using LiveChat.LoadTests.Transport;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveChat.LoadTests.Scenarios;

/// <summary>
/// An agent that signs in, goes online, takes conversations from the queue (or is assigned them) and
/// answers every stamped visitor message at once with a stamped reply.
/// </summary>
internal sealed class AgentBot
{
    private readonly LoadEnvironment env;
    private readonly int index;
    private readonly string agentId;
    private readonly int capacity;
    private readonly ConcurrentDictionary<string, byte> open = new();
    private readonly ConcurrentDictionary<string, byte> tried = new();
    private readonly ConcurrentDictionary<(string, long), byte> delivered = new();
    private volatile IReadOnlyList<QueueEntry> waiting = [];
    private HubClient? client;
    private int replies;

    private AgentBot(LoadEnvironment env, int index)
    {
        this.env = env;
        this.index = index;
        var ids = AgentIds(env.Options.AgentIds ?? "demo", env.Options.Agents);
        agentId = ids[index % ids.Count];
        var distinct = Math.Min(ids.Count, Math.Max(1, env.Options.Agents));
        capacity = Math.Clamp((int)Math.Ceiling(env.Options.Chatters / (double)distinct) + 2, 1, 50);
    }

    public static Scenario Create(LoadEnvironment env) =>
        Scenario.Create("agents", ctx => new AgentBot(env, (int)ctx.Number).RunAsync(ctx.Stop));

    /// <summary>"a,b,c" → those ids; "load-agent-{0}" → load-agent-1 … load-agent-N.</summary>
    public static IReadOnlyList<string> AgentIds(string spec, int count) =>
        spec.Contains("{0}", StringComparison.Ordinal)
            ? Enumerable.Range(1, Math.Max(1, count)).Select(i => spec.Replace("{0}", i.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)).ToList()
            : spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private async Task RunAsync(CancellationToken ct)
    {
        var metrics = env.Metrics;
        metrics.Add(Counter.AgentConnectAttempted);
        try
        {
            var cookie = await env.Admin.LoginAsync(agentId, env.Options.AgentPassword ?? "demo", ct);
            this.client = env.Hubs.Create("/hubs/agent", cookie);
            var c = this.client.Connection;
            var on = new AgentHubPushes(c);
            on.QueueChanged(OnQueueChanged);
            on.ConversationAssigned(a =>
            {
                metrics.Add(Counter.AgentAssignments);
                open.TryAdd(a.Conversation.ConversationId, 0);
                Claim(a.Conversation.ConversationId);
            });
            on.Message(OnMessage);
            on.ConversationClosed(x => open.TryRemove(x.ConversationId, out _));
            on.Typing(_ => { });
            var started = Stopwatch.GetTimestamp();
            await c.StartAsync(ct);
            metrics.Connect.Record(Stopwatch.GetElapsedTime(started), metrics.Elapsed);
            await new AgentHubCalls(c).SetStatus(new SetStatusRequest(AgentStatus.Online, capacity), ct);
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            metrics.Add(Counter.AgentConnectFailed);
            if (this.client is not null) { this.client.Intentional = true; await this.client.DisposeAsync(); }
            return;
        }
        metrics.Add(Counter.AgentConnectEstablished);
        metrics.Connected(ClientKind.Agent, +1);
        var client = this.client;
        client.Connection.Closed += _ =>
        {
            metrics.Connected(ClientKind.Agent, -1);
            if (!client.Intentional) metrics.Add(Counter.AgentDropped);
            return Task.CompletedTask;
        };
        try
        {
            await Task.Delay(Timeout.Infinite, ct);
        }
        finally
        {
            client.Intentional = true;
            await client.DisposeAsync();
        }
    }

    /// <summary>
    /// Exactly one bot answers a conversation, even when several bots share an agent id and all of them
    /// see its messages: the first to be assigned it (or to see it) claims it.
    /// </summary>
    private bool Claim(string conversationId) => env.ConversationOwners.GetOrAdd(conversationId, index) == index;

    private void OnQueueChanged(QueueChangedView view)
    {
        waiting = view.Waiting;
        foreach (var entry in view.Waiting)
        {
            if (open.Count >= capacity || !tried.TryAdd(entry.ConversationId, 0)) continue;
            // The bot the hash picks accepts at once; the others step in only if it's still waiting 2 s later.
            var preferred = (uint)StableHash(entry.ConversationId) % (uint)Math.Max(1, env.Options.Agents) == (uint)index;
            _ = AcceptAsync(entry.ConversationId, preferred ? TimeSpan.Zero : TimeSpan.FromSeconds(2));
        }
    }

    private async Task AcceptAsync(string conversationId, TimeSpan delay)
    {
        if (this.client is not { } client) return;
        try
        {
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay);
                if (!waiting.Any(w => w.ConversationId == conversationId)) return;
            }
            await new AgentHubCalls(client.Connection).Accept(new ConversationRequest(conversationId));
            open.TryAdd(conversationId, 0);
            Claim(conversationId);
            env.Metrics.Add(Counter.AgentAccepts);
        }
        catch (Exception)
        {
            env.Metrics.Add(Counter.AgentAcceptsRefused); // someone else was quicker, or it's gone
        }
    }

    private void OnMessage(ChatMessage message)
    {
        if (message.From != Senders.Visitor || !Claim(message.ConversationId)) return;
        if (!MessageStamp.TryRead(message.Text, out var age)) return;
        var metrics = env.Metrics;
        if (!delivered.TryAdd((message.ConversationId, message.Sequence), 0))
        {
            metrics.Add(Counter.VisitorMessagesDuplicated);
            return;
        }
        metrics.Add(Counter.VisitorMessagesDelivered);
        metrics.RecordChat(metrics.VisitorToAgent, age);
        _ = ReplyAsync(message.ConversationId);
    }

    private async Task ReplyAsync(string conversationId)
    {
        if (this.client is not { } client) return;
        var metrics = env.Metrics;
        var clientMessageId = $"a.{env.IdPrefix}.{index}.{Interlocked.Increment(ref replies)}";
        metrics.Add(Counter.AgentMessagesSent);
        var text = MessageStamp.Create(clientMessageId);
        // Cluster: while a dead node's grains are re-placed the server asks to retry; the console resends under the same id.
        var attempts = env.Options.ClusterMode ? 20 : 1;
        for (var attempt = 1; attempt <= attempts; attempt++)
        {
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                var ack = await new AgentHubCalls(client.Connection).SendMessage(new AgentSendMessageRequest(conversationId, clientMessageId, text), cts.Token);
                metrics.Add(Counter.AgentMessagesAcked);
                env.AgentAcks.GetOrAdd(conversationId, _ => []).Add((clientMessageId, ack.Sequence));
                return;
            }
            catch (Exception)
            {
                metrics.Add(Counter.AgentMessagesSendFailed);
                if (attempt < attempts) { metrics.Add(Counter.MessagesResent); await Task.Delay(1000); }
            }
        }
    }

    private static int StableHash(string s)
    {
        unchecked
        {
            var h = (int)2166136261;
            foreach (var ch in s) h = (h ^ ch) * 16777619;
            return h & int.MaxValue;
        }
    }
}
