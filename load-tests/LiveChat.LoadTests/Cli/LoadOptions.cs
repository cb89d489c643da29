namespace LiveChat.LoadTests.Cli;

/// <summary>Everything a run can be told from the command line; <see cref="OptionsParser"/> fills it and checks it.</summary>
internal sealed record LoadOptions
{
    public Uri? Url { get; init; }
    public int? ServerPid { get; init; }
    public string Site { get; init; } = "demo";
    public int Visitors { get; init; } = 1000;
    public int Chatters { get; init; } = 50;
    public int Agents { get; init; } = 5;
    public TimeSpan Ramp { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>Visitor chat messages per second over all chatters; null: one every 5 s per chatter.</summary>
    public double? Rate { get; init; }
    public int EchoClients { get; init; } = 20;
    /// <summary>Agent consoles watching the live-visitors list (issue 15), and the account they sign in with.</summary>
    public int Watchers { get; init; }
    public string? WatcherId { get; init; }
    public string? WatcherPassword { get; init; }
    /// <summary>Echo calls per second; null: the same as the chat message rate.</summary>
    public double? EchoRate { get; init; }
    public int LingerSeconds { get; init; } = 5;
    /// <summary>How long after its due instant an invitation counts as missed.</summary>
    public TimeSpan InvitationTimeout { get; init; } = TimeSpan.FromSeconds(15);
    public double StormShare { get; init; } = 0.1;
    public TimeSpan? StormAt { get; init; }
    /// <summary>Server nodes the harness starts (cluster mode with its own redis-server) when &gt; 1.</summary>
    public int Nodes { get; init; } = 1;
    /// <summary>SIGKILL one node at this instant (since the visitors started) ...</summary>
    public TimeSpan? KillNodeAt { get; init; }
    /// <summary>... or at this share of ramp + duration ("50%").</summary>
    public double? KillNodeAtShare { get; init; }
    public TimeSpan Grace { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan AgentWait { get; init; } = TimeSpan.FromSeconds(60);
    public int Workers { get; init; } = 1;
    public int SourceAddresses { get; init; } = 8;
    public int ConnectConcurrency { get; init; } = 200;
    /// <summary>Agent ids: a list ("a,b") or a pattern with {0} for 1..N ("load-agent-{0}"). Default: the embedded
    /// server's load-agent-{0} accounts, or "demo" against --url.</summary>
    public string? AgentIds { get; init; }
    public string? AgentPassword { get; init; }
    public string AdminId { get; init; } = "demo";
    public string AdminPassword { get; init; } = "demo";
    public bool SetRules { get; init; } = true;
    public string? ServerDll { get; init; }
    public string? ReportsDir { get; init; }
    public bool Live { get; init; } = true;
    public bool Smoke { get; init; }
    /// <summary><c>--compare-baseline</c>: the bare hub and LiveChat back to back (Baseline/CompareRun.cs).</summary>
    public bool CompareBaseline { get; init; }
    public string? BaselineDll { get; init; }
    /// <summary>Keep the visitors connected this long after the measurement (to take a gcdump or trace of the server).</summary>
    public TimeSpan CompareHold { get; init; }
    /// <summary><c>--warm-up N</c>: visitors per warm-up round before a comparison is measured (six rounds; 0: none).</summary>
    public int WarmUpVisitors { get; init; } = 500;
    /// <summary><c>--cpu-batches N</c>: measured batches per server in a comparison; the CPU figure is their median.</summary>
    public int CpuBatches { get; init; } = 3;
    /// <summary>Free text for the report's notes (e.g. what was special about the server under test).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
    public Thresholds Thresholds { get; init; } = new();

    // Set by the coordinator for worker processes only.
    public int WorkerIndex { get; init; }
    public string? WorkerOutput { get; init; }
    public long? OriginUnixMs { get; init; }
    /// <summary>Cluster run with workers: every node's URL (node 0 first); the worker spreads its visitors over them.</summary>
    public IReadOnlyList<Uri> NodeUrls { get; init; } = [];
    public bool IsWorker => WorkerOutput is not null;

    public double ChatRate => Rate ?? Chatters / 5.0;
    public double EffectiveEchoRate => EchoRate ?? Math.Max(1, ChatRate);
    public TimeSpan EffectiveStormAt => StormAt ?? Ramp + (Duration - Grace) / 2;
    public bool ClusterMode => Nodes > 1;
    /// <summary>When the node is killed, or null for no kill.</summary>
    public TimeSpan? EffectiveKillAt => KillNodeAt ?? (KillNodeAtShare is { } share ? RunLength * share : null);
    /// <summary>The node that is killed: the last one (node 0 holds the agents, the echo clients and the site's first activation).</summary>
    public int KilledNodeIndex => Nodes - 1;
    /// <summary>How long after the kill its effects are attributed to it (failure detection, reconnects, resends).</summary>
    public static readonly TimeSpan FailoverWindow = TimeSpan.FromSeconds(20);

    /// <summary>Whole run from first visitor to last, plus grace; a watchdog ends the process past this plus slack.</summary>
    public TimeSpan RunLength => Ramp + Duration;

    /// <summary>Which part of the run an instant (since the visitors started) falls in; latency is also reported per phase.</summary>
    public string PhaseAt(TimeSpan at)
    {
        if (EffectiveKillAt is { } kill && at >= kill && at < kill + FailoverWindow) return RunPhases.Failover;
        var stormStart = EffectiveStormAt;
        if (StormShare > 0 && at >= stormStart && at < stormStart + StormWindow) return RunPhases.Storm;
        if (at < Ramp) return RunPhases.Ramp;
        return at < RunLength - Grace ? RunPhases.Steady : RunPhases.Grace;
    }

    /// <summary>How long after the storm its effects are attributed to it.</summary>
    public static readonly TimeSpan StormWindow = TimeSpan.FromSeconds(15);

    /// <summary>The small shape CI runs (about a minute).</summary>
    public static LoadOptions SmokeShape(LoadOptions given) => given with
    {
        Smoke = true,
        Visitors = 200,
        Chatters = 10,
        Agents = 2,
        Ramp = TimeSpan.FromSeconds(10),
        Duration = TimeSpan.FromSeconds(40),
        Rate = 5,
        EchoClients = 5,
        EchoRate = 5,
        StormShare = 0.2,
        Workers = 1,
    };
}

internal static class RunPhases
{
    public const string Ramp = "ramp";
    public const string Steady = "steady";
    public const string Storm = "storm";
    public const string Grace = "grace";
    public const string Failover = "failover";
    public static readonly string[] All = [Ramp, Steady, Storm, Failover, Grace];
}

/// <summary>Pass/fail limits; each one broken makes the exit code non-zero.</summary>
internal sealed record Thresholds
{
    public long MaxFailedConnections { get; init; }
    public long MaxDroppedConnections { get; init; }
    public long MaxLostMessages { get; init; }
    public long MaxDuplicatedMessages { get; init; }
    public double MaxMissedInvitationsPercent { get; init; }
    public double ChatP99Ms { get; init; } = 1000;
    public double InvitationLatenessP99Ms { get; init; } = 2000;
    public double ReconnectP99Ms { get; init; } = 5000;
    // --compare-baseline: LiveChat against the bare hub measured in the same run.
    public double MaxMemoryRatio { get; init; } = 1.5;
    public double MaxCpuRatio { get; init; } = 2.0;
    public double MaxLatenessOverBareMs { get; init; } = 25;
}
