using System.Diagnostics;

namespace LiveChat.LoadTests.Metrics;

/// <summary>All measurements of one process's share of the run; <see cref="Snapshot"/> turns them into plain data.</summary>
internal sealed class RunMetrics
{
    private long startedAt = Stopwatch.GetTimestamp();
    private long connectedVisitors, connectedChatters, connectedAgents, connectedEcho;

    public RunMetrics(TimeSpan runLength, Func<TimeSpan, string>? phaseOf = null)
    {
        LatencyRecorder New(string name) => new(name, runLength, phaseOf);
        ChatLatency = New(LatencyNames.Chat);
        VisitorToAgent = New(LatencyNames.VisitorToAgent);
        AgentToVisitor = New(LatencyNames.AgentToVisitor);
        EchoPush = New(LatencyNames.EchoPush);
        EchoInvoke = New(LatencyNames.EchoInvoke);
        InvitationLateness = New(LatencyNames.InvitationLateness);
        Connect = New(LatencyNames.Connect);
        Reconnect = New(LatencyNames.Reconnect);
        TimeToAgent = New(LatencyNames.TimeToAgent);
        SendAck = New(LatencyNames.SendAck);
        NodeKillResume = New(LatencyNames.NodeKillResume);
        NodeKillRecovery = New(LatencyNames.NodeKillRecovery);
    }

    public Counters Counters { get; } = new();
    public LatencyRecorder ChatLatency { get; }
    public LatencyRecorder VisitorToAgent { get; }
    public LatencyRecorder AgentToVisitor { get; }
    public LatencyRecorder EchoPush { get; }
    public LatencyRecorder EchoInvoke { get; }
    public LatencyRecorder InvitationLateness { get; }
    public LatencyRecorder Connect { get; }
    public LatencyRecorder Reconnect { get; }
    public LatencyRecorder TimeToAgent { get; }
    public LatencyRecorder SendAck { get; }
    public LatencyRecorder NodeKillResume { get; }
    public LatencyRecorder NodeKillRecovery { get; }

    /// <summary>Time since the load started (the x axis of every timeline).</summary>
    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(Interlocked.Read(ref startedAt));

    /// <summary>Zero the clock when the visitors start; a worker passes how long ago the coordinator did.</summary>
    public void RestartClock(TimeSpan alreadyElapsed = default) =>
        Interlocked.Exchange(ref startedAt, Stopwatch.GetTimestamp() - (long)(alreadyElapsed.TotalSeconds * Stopwatch.Frequency));

    public void Add(Counter counter, long by = 1) => Counters.Add(counter, by);

    /// <summary>Records a one-way chat delivery both in its direction's histogram and in the overall chat one.</summary>
    public void RecordChat(LatencyRecorder direction, TimeSpan latency)
    {
        var at = Elapsed;
        direction.Record(latency, at);
        ChatLatency.Record(latency, at);
    }

    public void Connected(ClientKind kind, int delta)
    {
        switch (kind)
        {
            case ClientKind.Visitor: Interlocked.Add(ref connectedVisitors, delta); break;
            case ClientKind.Chatter: Interlocked.Add(ref connectedChatters, delta); break;
            case ClientKind.Agent: Interlocked.Add(ref connectedAgents, delta); break;
            case ClientKind.Echo: Interlocked.Add(ref connectedEcho, delta); break;
        }
    }

    public Gauges CurrentGauges() => new(
        Interlocked.Read(ref connectedVisitors), Interlocked.Read(ref connectedChatters),
        Interlocked.Read(ref connectedAgents), Interlocked.Read(ref connectedEcho));

    public MetricsSnapshot Snapshot() => new(
        Counters.Snapshot(),
        new[] { ChatLatency, VisitorToAgent, AgentToVisitor, EchoPush, EchoInvoke, InvitationLateness, Connect, Reconnect, TimeToAgent, SendAck, NodeKillResume, NodeKillRecovery }
            .Select(r => r.Snapshot()).ToDictionary(s => s.Name),
        CurrentGauges());
}

internal enum ClientKind { Visitor, Chatter, Agent, Echo }

/// <summary>Clients connected right now.</summary>
internal sealed record Gauges(long Visitors, long Chatters, long Agents, long Echo)
{
    public long AllVisitors => Visitors + Chatters;
    public static Gauges Sum(IEnumerable<Gauges> parts) => parts.Aggregate(
        new Gauges(0, 0, 0, 0), (a, b) => new(a.Visitors + b.Visitors, a.Chatters + b.Chatters, a.Agents + b.Agents, a.Echo + b.Echo));
}

internal static class LatencyNames
{
    public const string Chat = "chat";
    public const string VisitorToAgent = "chat-visitor-to-agent";
    public const string AgentToVisitor = "chat-agent-to-visitor";
    public const string EchoPush = "echo-push";
    public const string EchoInvoke = "echo-invoke";
    public const string InvitationLateness = "invitation-lateness";
    public const string Connect = "connect";
    public const string Reconnect = "reconnect-resume";
    public const string TimeToAgent = "time-to-agent";
    public const string SendAck = "send-ack";
    public const string NodeKillResume = "node-kill-resume";
    public const string NodeKillRecovery = "node-kill-recovery";
}

/// <summary>A process's measurements as plain, JSON-friendly data; snapshots of several workers add up.</summary>
internal sealed record MetricsSnapshot(
    Dictionary<string, long> Counters, Dictionary<string, LatencySnapshot> Latencies, Gauges Gauges)
{
    public long this[Counter c] => Counters.TryGetValue(c.ToString(), out var v) ? v : 0;

    public LatencySnapshot Latency(string name) =>
        Latencies.TryGetValue(name, out var l) ? l : new LatencySnapshot(name, new HistogramData([]), []);

    public static MetricsSnapshot Merge(IReadOnlyList<MetricsSnapshot> parts)
    {
        if (parts.Count == 1) return parts[0];
        var counters = parts.SelectMany(p => p.Counters)
            .GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => g.Sum(kv => kv.Value));
        var latencies = parts.SelectMany(p => p.Latencies.Values)
            .GroupBy(l => l.Name).ToDictionary(g => g.Key, g => LatencySnapshot.Merge(g.Key, g));
        return new MetricsSnapshot(counters, latencies, Gauges.Sum(parts.Select(p => p.Gauges)));
    }
}
