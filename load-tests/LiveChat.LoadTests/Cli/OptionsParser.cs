using System.Globalization;

namespace LiveChat.LoadTests.Cli;

/// <summary>Reads <c>--name value</c> pairs and flags into <see cref="LoadOptions"/>; throws with the bad option named.</summary>
internal static class OptionsParser
{
    public const string Usage = """
        LiveChat load harness (our own NBomber-style runner).

          dotnet load-tests/LiveChat.LoadTests/bin/Release/net10.0/LiveChat.LoadTests.dll [options]

          --smoke                    the ~1 minute CI shape (must pass)
          --compare-baseline         (or --baseline) the bare SignalR hub (load-tests/LiveChat.Baseline), then LiveChat:
                                     --visitors (default 5000) each Hello and one invitation --linger s later (default 10);
                                     fails over --max-memory-ratio 1.5, --max-cpu-ratio 2, --max-lateness-over-bare-ms 25
          --compare-hold 30s         keep the visitors connected after the measurement (for dotnet-gcdump / dotnet-trace)
          --warm-up N                visitors per warm-up round before a comparison (6 rounds through the whole path; default 500)
          --cpu-batches N            measured batches per server in a comparison; CPU is their median (default 3)
          --baseline-dll PATH        the baseline server to start (default: the newest build in load-tests/LiveChat.Baseline)
          --url URL                  a running server (loopback only); without it an embedded server is started
          --server-pid PID           sample that process's CPU/memory (with --url)
          --visitors N --chatters N --agents N
          --ramp 60s --duration 5m   RampingConstant over ramp, then KeepConstant for duration
          --rate R                   visitor chat messages per second in all (Inject); default chatters/5
          --echo-clients N --echo-rate R
          --watchers K [--watcher-id ID --watcher-password P]   K consoles watching the live-visitors list
          --linger S                 the load rule's time on page (s)
          --storm-share 0.1 --storm-at 90s
          --nodes N                  2–3: start redis-server and N cluster nodes, spread clients over them
                                     (with --workers M: each worker spreads its visitors over every node)
          --kill-node-at 50% | 45s   SIGKILL the last node then (share of ramp+duration, or time since the visitors started)
          --workers N                split visitors over N worker processes
          --source-addresses N       loopback source addresses per process (127.0.x.y)
          --agent-ids "demo" | "load-agent-{0}"   --agent-password demo
          --admin-id demo --admin-password demo --no-rules
          --max-failed-connections N --max-dropped-connections N --max-lost-messages N
          --max-duplicated-messages N --max-missed-invitations-percent P
          --chat-p99-ms MS --lateness-p99-ms MS --reconnect-p99-ms MS
          --reports DIR --server-dll PATH --no-live --note TEXT
        """;

    public static LoadOptions Parse(string[] args)
    {
        var o = new LoadOptions();
        var t = new Thresholds();
        var smoke = false;
        var stormGiven = false;
        bool visitorsGiven = false, lingerGiven = false;
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value");
            int Int() => int.TryParse(Value(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= 0
                ? v : throw new ArgumentException($"{name} must be a whole number ≥ 0");
            double Num() => double.TryParse(Value(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= 0
                ? v : throw new ArgumentException($"{name} must be a number ≥ 0");
            TimeSpan Time() => ParseDuration(name, Value());
            switch (name)
            {
                case "--smoke": smoke = true; break;
                case "--url": o = o with { Url = ParseUrl(Value()) }; break;
                case "--server-pid": o = o with { ServerPid = Int() }; break;
                case "--site": o = o with { Site = Value() }; break;
                case "--visitors": o = o with { Visitors = Int() }; visitorsGiven = true; break;
                case "--chatters": o = o with { Chatters = Int() }; break;
                case "--agents": o = o with { Agents = Int() }; break;
                case "--ramp": o = o with { Ramp = Time() }; break;
                case "--duration": o = o with { Duration = Time() }; break;
                case "--rate": o = o with { Rate = Num() }; break;
                case "--echo-clients": o = o with { EchoClients = Int() }; break;
                case "--watchers": o = o with { Watchers = Int() }; break;
                case "--watcher-id": o = o with { WatcherId = Value() }; break;
                case "--watcher-password": o = o with { WatcherPassword = Value() }; break;
                case "--echo-rate": o = o with { EchoRate = Num() }; break;
                case "--linger": o = o with { LingerSeconds = Int() }; lingerGiven = true; break;
                case "--compare-baseline" or "--baseline": o = o with { CompareBaseline = true }; break;
                case "--baseline-dll": o = o with { BaselineDll = Value() }; break;
                case "--compare-hold": o = o with { CompareHold = Time() }; break;
                case "--warm-up": o = o with { WarmUpVisitors = Int() }; break;
                case "--cpu-batches": o = o with { CpuBatches = Int() }; break;
                case "--max-memory-ratio": t = t with { MaxMemoryRatio = Num() }; break;
                case "--max-cpu-ratio": t = t with { MaxCpuRatio = Num() }; break;
                case "--max-lateness-over-bare-ms": t = t with { MaxLatenessOverBareMs = Num() }; break;
                case "--invitation-timeout": o = o with { InvitationTimeout = Time() }; break;
                case "--storm-share": o = o with { StormShare = Num() }; stormGiven = true; break;
                case "--storm-at": o = o with { StormAt = Time() }; break;
                case "--grace": o = o with { Grace = Time() }; break;
                case "--agent-wait": o = o with { AgentWait = Time() }; break;
                case "--nodes": o = o with { Nodes = Int() }; break;
                case "--kill-node-at":
                    var at = Value();
                    o = at.EndsWith('%')
                        ? o with { KillNodeAtShare = double.TryParse(at[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var pc) && pc is > 0 and < 100
                            ? pc / 100 : throw new ArgumentException("--kill-node-at: a share must be between 0% and 100%") }
                        : o with { KillNodeAt = ParseDuration(name, at) };
                    break;
                case "--workers": o = o with { Workers = Int() }; break;
                case "--source-addresses": o = o with { SourceAddresses = Int() }; break;
                case "--connect-concurrency": o = o with { ConnectConcurrency = Int() }; break;
                case "--agent-ids": o = o with { AgentIds = Value() }; break;
                case "--agent-password": o = o with { AgentPassword = Value() }; break;
                case "--admin-id": o = o with { AdminId = Value() }; break;
                case "--admin-password": o = o with { AdminPassword = Value() }; break;
                case "--no-rules": o = o with { SetRules = false }; break;
                case "--server-dll": o = o with { ServerDll = Value() }; break;
                case "--reports": o = o with { ReportsDir = Value() }; break;
                case "--no-live": o = o with { Live = false }; break;
                case "--note": o = o with { Notes = [.. o.Notes, Value()] }; break;
                case "--max-failed-connections": t = t with { MaxFailedConnections = Int() }; break;
                case "--max-dropped-connections": t = t with { MaxDroppedConnections = Int() }; break;
                case "--max-lost-messages": t = t with { MaxLostMessages = Int() }; break;
                case "--max-duplicated-messages": t = t with { MaxDuplicatedMessages = Int() }; break;
                case "--max-missed-invitations-percent": t = t with { MaxMissedInvitationsPercent = Num() }; break;
                case "--chat-p99-ms": t = t with { ChatP99Ms = Num() }; break;
                case "--lateness-p99-ms": t = t with { InvitationLatenessP99Ms = Num() }; break;
                case "--reconnect-p99-ms": t = t with { ReconnectP99Ms = Num() }; break;
                // Worker plumbing, set by the coordinator.
                case "--worker-index": o = o with { WorkerIndex = Int() }; break;
                case "--worker-output": o = o with { WorkerOutput = Value() }; break;
                case "--origin-unix-ms": o = o with { OriginUnixMs = long.Parse(Value(), CultureInfo.InvariantCulture) }; break;
                case "--node-urls": o = o with { NodeUrls = Value().Split(',', StringSplitOptions.RemoveEmptyEntries).Select(ParseUrl).ToList() }; break;
                default: throw new ArgumentException($"unknown option {name}");
            }
        }
        o = o with { Thresholds = t };
        if (smoke) o = LoadOptions.SmokeShape(o);
        // The comparison's shape: 5,000 visitors, a 10 s rule; the watchdog gets room for two servers' runs.
        if (o.CompareBaseline)
            o = o with
            {
                Visitors = visitorsGiven ? o.Visitors : 5000,
                LingerSeconds = lingerGiven ? o.LingerSeconds : 10,
                Duration = TimeSpan.FromMinutes(Math.Clamp(o.Visitors / 1000, 5, 25)),
            };
        // A node kill is the disruption of a cluster run: no storm on top unless asked for.
        if (o.EffectiveKillAt is not null && !stormGiven) o = o with { StormShare = 0 };
        Validate(o);
        return o;
    }

    private static void Validate(LoadOptions o)
    {
        if (o.Duration <= o.Grace + TimeSpan.FromSeconds(10)) throw new ArgumentException("--duration must be at least --grace + 10s");
        if (o.Duration > TimeSpan.FromMinutes(30) || o.Ramp > TimeSpan.FromMinutes(10))
            throw new ArgumentException("--duration is limited to 30m and --ramp to 10m");
        if (o.Visitors + o.Chatters > 200_000) throw new ArgumentException("--visitors + --chatters is limited to 200000");
        if (o.Workers is < 1 or > 16) throw new ArgumentException("--workers must be 1..16");
        if (o.SourceAddresses is < 1 or > 200) throw new ArgumentException("--source-addresses must be 1..200");
        if (o.StormShare > 1) throw new ArgumentException("--storm-share must be between 0 and 1");
        if (o.Chatters > 0 && o.Agents == 0) throw new ArgumentException("--chatters needs --agents ≥ 1");
        if (o.Nodes is < 1 or > 3) throw new ArgumentException("--nodes must be 1..3");
        // A worker of a cluster run is handed the node URLs (and --url, node 0) by its coordinator.
        if (o.ClusterMode && o.Url is not null && !o.IsWorker) throw new ArgumentException("--nodes starts its own cluster: leave out --url");
        if (o.IsWorker && o.ClusterMode && o.NodeUrls.Count != o.Nodes)
            throw new ArgumentException($"a worker of a {o.Nodes}-node run needs --node-urls with {o.Nodes} URLs");
        // The kill's bookkeeping (which drops it caused, kill → Hello) lives in the process that kills.
        if (o.ClusterMode && o.Workers > 1 && o.EffectiveKillAt is not null)
            throw new ArgumentException("--kill-node-at runs its clients in this process: leave out --workers");
        if (o.EffectiveKillAt is { } k && (!o.ClusterMode || k >= o.RunLength))
            throw new ArgumentException("--kill-node-at needs --nodes ≥ 2 and an instant within ramp + duration");
        if (o.CompareBaseline && (o.Url is not null || o.ClusterMode || o.Workers > 1 || o.Smoke))
            throw new ArgumentException("--compare-baseline starts both servers itself: leave out --url, --nodes, --workers and --smoke");
        if (o.ConnectConcurrency < 1) throw new ArgumentException("--connect-concurrency must be ≥ 1");
        if (o.WarmUpVisitors < 0) throw new ArgumentException("--warm-up must be ≥ 0");
        if (o.CpuBatches < 1) throw new ArgumentException("--cpu-batches must be ≥ 1");
    }

    public static TimeSpan ParseDuration(string name, string text)
    {
        var s = text.Trim().ToLowerInvariant();
        var total = TimeSpan.Zero;
        var number = "";
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (char.IsDigit(c) || c == '.') { number += c; continue; }
            if (number.Length == 0) throw new ArgumentException($"{name}: cannot read duration '{text}'");
            var value = double.Parse(number, CultureInfo.InvariantCulture);
            number = "";
            if (c == 'm' && i + 1 < s.Length && s[i + 1] == 's') { total += TimeSpan.FromMilliseconds(value); i++; }
            else if (c == 'h') total += TimeSpan.FromHours(value);
            else if (c == 'm') total += TimeSpan.FromMinutes(value);
            else if (c == 's') total += TimeSpan.FromSeconds(value);
            else throw new ArgumentException($"{name}: unknown unit '{c}' in '{text}' (use ms, s, m, h)");
        }
        if (number.Length > 0) total += TimeSpan.FromSeconds(double.Parse(number, CultureInfo.InvariantCulture));
        return total;
    }

    private static Uri ParseUrl(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new ArgumentException($"--url must be an absolute http(s) URL; got '{text}'");
        if (uri.IsLoopback is false) throw new ArgumentException($"--url must point at this machine's loopback; got '{uri.Host}'");
        // 'localhost' may resolve to ::1 while our sockets bind 127.0.0.x: pin it to IPv4.
        return uri.Host == "localhost" ? new UriBuilder(uri) { Host = "127.0.0.1" }.Uri : uri;
    }
}
