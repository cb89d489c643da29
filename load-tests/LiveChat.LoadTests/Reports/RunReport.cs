using LiveChat.LoadTests.Cli;
using LiveChat.LoadTests.Metrics;

namespace LiveChat.LoadTests.Reports;

/// <summary>A finished run: its options, measurements and server samples, and the figures derived from them.</summary>
internal sealed record RunReport(
    LoadOptions Options,
    string Target,
    string CommandLine,
    DateTimeOffset StartedAt,
    TimeSpan WallTime,
    MetricsSnapshot Metrics,
    IReadOnlyList<ServerSample> Server,
    int? ServerPid,
    IReadOnlyList<string> Notes)
{
    public long this[Counter c] => Metrics[c];

    public LatencySummary Latency(string name) => Metrics.Latency(name).Histogram.Summarize();

    public LatencySummary Latency(string name, string phase) =>
        Metrics.Latency(name).Phases?.TryGetValue(phase, out var h) == true ? h.Summarize() : LatencySummary.Empty;

    /// <summary>Chat vs echo in the steady phase only: the figure least disturbed by ramp and storm.</summary>
    public (double P50, double P99)? SteadyChatToEchoRatio
    {
        get
        {
            var chat = Latency(LatencyNames.Chat, RunPhases.Steady);
            var echo = Latency(EchoBaseline.Name == "echo push" ? LatencyNames.EchoPush : LatencyNames.EchoInvoke, RunPhases.Steady);
            if (chat.Count == 0 || echo.Count == 0 || echo.P50 <= 0 || echo.P99 <= 0) return null;
            return (chat.P50 / echo.P50, chat.P99 / echo.P99);
        }
    }

    public IReadOnlyList<ConnectionRow> Connections =>
    [
        new("visitors (browsing)", this[Counter.VisitorConnectAttempted], this[Counter.VisitorConnectEstablished], this[Counter.VisitorConnectFailed], this[Counter.VisitorDropped]),
        new("visitors (chatting)", this[Counter.ChatterConnectAttempted], this[Counter.ChatterConnectEstablished], this[Counter.ChatterConnectFailed], this[Counter.ChatterDropped]),
        new("agents", this[Counter.AgentConnectAttempted], this[Counter.AgentConnectEstablished], this[Counter.AgentConnectFailed], this[Counter.AgentDropped]),
        new("echo baseline", this[Counter.EchoConnectAttempted], this[Counter.EchoConnectEstablished], this[Counter.EchoConnectFailed], this[Counter.EchoDropped]),
    ];

    /// <summary>Failed connections that count against the threshold: the echo hub is a baseline, reported apart.</summary>
    public long FailedConnections => Connections.Take(3).Sum(r => r.Failed);
    public long DroppedConnections => Connections.Take(3).Sum(r => r.Dropped);

    public long VisitorToAgentLost => Math.Max(0, this[Counter.VisitorMessagesAcked] - this[Counter.VisitorMessagesDelivered]);
    public long AgentToVisitorLost => Math.Max(0, this[Counter.AgentMessagesAcked] - this[Counter.AgentMessagesDelivered] - this[Counter.AgentMessagesRecovered]);
    /// <summary>
    /// One server: acknowledged but never delivered (live or recovered). Cluster: acknowledged but not returned by the
    /// end-of-run GetMessages(0) of its conversation (acks whose conversation could not be checked count as lost too);
    /// pushes a dying node never sent are reported apart as "not delivered live".
    /// </summary>
    public long LostMessages => Options.ClusterMode
        ? this[Counter.VerifiedMissing] + this[Counter.VerifyUncheckedAcks]
        : VisitorToAgentLost + AgentToVisitorLost;
    public long DuplicatedMessages => this[Counter.VisitorMessagesDuplicated] + this[Counter.AgentMessagesDuplicated] + this[Counter.StoredDuplicates];

    public long NodeKillDropped => this[Counter.NodeKillDroppedVisitors] + this[Counter.NodeKillDroppedChatters];
    public long NodeKillResumed => this[Counter.NodeKillResumedVisitors] + this[Counter.NodeKillResumedChatters];
    /// <summary>Clients of the killed node that had not said Hello on another node by the end of the run.</summary>
    public long NeverResumed => Math.Max(0, NodeKillDropped - NodeKillResumed);

    public double MissedInvitationsPercent =>
        this[Counter.InvitationsDue] == 0 ? 0 : 100.0 * this[Counter.InvitationsMissed] / this[Counter.InvitationsDue];

    /// <summary>The baseline chat is compared to: echo push latency when the hub pushes, else the invoke round trip.</summary>
    public (string Name, LatencySummary Summary) EchoBaseline
    {
        get
        {
            var push = Latency(LatencyNames.EchoPush);
            return push.Count > 0 ? ("echo push", push) : ("echo invoke round trip", Latency(LatencyNames.EchoInvoke));
        }
    }

    public (double P50, double P99)? ChatToEchoRatio
    {
        get
        {
            var chat = Latency(LatencyNames.Chat);
            var echo = EchoBaseline.Summary;
            if (chat.Count == 0 || echo.Count == 0 || echo.P50 <= 0 || echo.P99 <= 0) return null;
            return (chat.P50 / echo.P50, chat.P99 / echo.P99);
        }
    }

    /// <summary>Seconds during which chat messages were injected (the steady part of the run).</summary>
    public double MessageWindowSeconds => Math.Max(1, (Options.Duration - Options.Grace - TimeSpan.FromSeconds(10)).TotalSeconds);

    public double ChatDeliveriesPerSecond =>
        (this[Counter.VisitorMessagesDelivered] + this[Counter.AgentMessagesDelivered]) / MessageWindowSeconds;

    public double VisitorEventsPerSecond =>
        (this[Counter.Hellos] + this[Counter.PageViews] + this[Counter.VisibilityChanges] + this[Counter.TrackEvents])
        / Math.Max(1, Options.RunLength.TotalSeconds);

    public ServerFigures? ServerFigures => ServerFigures.From(Server, Options);
}

internal sealed record ConnectionRow(string Kind, long Attempted, long Established, long Failed, long Dropped);

/// <summary>The server's cost: CPU and memory at steady state, absolute and per 1,000 connected visitors.</summary>
internal sealed record ServerFigures(
    double CpuPercentSteady, double CpuPercentPeak, double RssMbBaseline, double RssMbSteady, double RssMbPeak,
    double VisitorsSteady, double CpuPercentPer1000, double RssMbPer1000, double RssMbPer1000AboveBaseline, int Threads,
    double MachineBusyPercent, double LoadAverage)
{
    public static ServerFigures? From(IReadOnlyList<ServerSample> samples, LoadOptions o)
    {
        if (samples.Count < 3) return null;
        var baseline = samples[0].RssMb;
        // Steady: all visitors connected (a few seconds after the ramp), outside the storm and the grace period.
        var steady = samples.Where(s => s.AtSeconds >= o.Ramp.TotalSeconds + 5 && s.ConnectedVisitors > 0
            && o.PhaseAt(TimeSpan.FromSeconds(s.AtSeconds)) == Cli.RunPhases.Steady).ToList();
        if (steady.Count == 0) steady = samples.Where(s => s.ConnectedVisitors > 0).ToList();
        if (steady.Count == 0) return null;
        var cpu = steady.Average(s => s.CpuPercent);
        var rss = steady.Average(s => s.RssMb);
        var visitors = steady.Average(s => (double)s.ConnectedVisitors);
        var thousands = Math.Max(visitors / 1000.0, 0.001);
        return new ServerFigures(
            cpu, samples.Max(s => s.CpuPercent), baseline, rss, samples.Max(s => s.RssMb), visitors,
            cpu / thousands, rss / thousands, (rss - baseline) / thousands, steady[^1].Threads,
            steady.Average(s => s.MachineBusyPercent), steady.Average(s => s.LoadAverage));
    }
}
