using System.Diagnostics;
using System.Text.Json;
using LiveChat.LoadTests.Cli;
using LiveChat.LoadTests.Hosting;
using LiveChat.LoadTests.Live;
using LiveChat.LoadTests.Metrics;
using LiveChat.LoadTests.Reports;
using LiveChat.LoadTests.Scenarios;
using LiveChat.LoadTests.Simulations;
using LiveChat.LoadTests.Transport;
using LiveChat.LoadTests.Workers;

namespace LiveChat.LoadTests;

/// <summary>One run end to end: server, rules, agents, visitors (here or in workers), reports, exit code.</summary>
internal sealed class LoadRun(LoadOptions given, string[] args)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private LoadOptions options = given;
    private readonly List<string> notes = [.. given.Notes];
    private string phase = "starting";

    public async Task<int> RunAsync(CancellationToken ct)
    {
        var startedAt = DateTimeOffset.UtcNow;
        var wall = Stopwatch.StartNew();
        var reportsRoot = RepoPaths.ReportsRoot(options.ReportsDir);
        var runDirectory = Path.Combine(reportsRoot, startedAt.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(runDirectory);
        if (NativeMethods.RaiseOpenFileLimit() is { } limit)
            Say($"open files: soft limit {limit.Before} → {limit.After}");

        // Cluster mode: our own redis-server and N nodes; killed at the end whatever happens (await using, Ctrl+C
        // cancels the token and unwinds through here, the watchdog and process exit kill them too).
        await using var cluster = options.ClusterMode
            ? await LocalCluster.StartAsync(options.ServerDll, options.Nodes, options.Agents, runDirectory, Say, ct)
            : null;
        if (cluster is not null) Watchdog.OnFire(cluster.KillAll);
        await using var server = options.Url is null && cluster is null
            ? await EmbeddedServer.StartAsync(options.ServerDll, options.Agents, Path.Combine(runDirectory, "server.log"), Say, ct)
            : null;
        var started = server is not null || cluster is not null;
        options = options with
        {
            AgentIds = options.AgentIds ?? (started ? EmbeddedServer.LoadAgentPattern : "demo"),
            AgentPassword = options.AgentPassword ?? (started ? EmbeddedServer.LoadAgentPassword : "demo"),
        };
        if (cluster is not null) options = options with { AdminId = LocalCluster.AdminId, AdminPassword = LocalCluster.AdminPassword };
        if (server is not null) Watchdog.OnFire(() => LiveChat.Testing.ChildProcesses.Terminate(server.Pid));
        var url = cluster?.Urls[0] ?? server?.Url ?? options.Url!;
        var pid = cluster?.Pids[0] ?? server?.Pid ?? options.ServerPid;
        Say($"target {url} (server pid {(pid?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown")})");
        if (cluster is not null)
            notes.Add($"cluster: redis-server (append-only) + {cluster.Count} nodes {string.Join(", ", cluster.Urls)}; agents, echo clients{(options.Watchers > 0 ? ", watchers" : "")} and the admin API on node 0, visitors and chatters round-robin over all nodes{(options.Workers > 1 ? $" (in each of {options.Workers} worker processes)" : "")}; server cost below is node 0's alone, so its per-1,000-visitor figures divide one node by all visitors (each node holds about 1/N of them)"
                + (options.EffectiveKillAt is { } k ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"; node {options.KilledNodeIndex} SIGKILLed at {k.TotalSeconds:0} s") : ""));

        var metrics = new RunMetrics(options.RunLength + TimeSpan.FromMinutes(2), options.PhaseAt);
        using var connector = new LoopbackConnector(url, options.SourceAddresses, options.WorkerIndex);
        var admin = new AdminApi(url, connector);
        var env = new LoadEnvironment(options, new HubClientFactory(url, connector, cluster?.Urls), admin, metrics);

        string? adminCookie = null, previousRules = null;
        if (options.SetRules)
        {
            adminCookie = await admin.LoginAsync(options.AdminId, options.AdminPassword, ct);
            previousRules = await admin.GetRulesAsync(options.Site, adminCookie, ct);
            await admin.PutRulesAsync(options.Site, adminCookie, AdminApi.LoadRules(options.LingerSeconds), ct);
            Say($"rules set: load-linger ({options.LingerSeconds} s on /load/*)");
        }

        // Agents and echo clients first, so the first chatter finds someone.
        phase = "agents";
        var hold = options.RunLength + TimeSpan.FromMinutes(2);
        using var supportStop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var support = LoadPlan.Support(env, hold).Select(s => new ScenarioRunner(s, metrics).RunAsync(supportStop.Token)).ToList();
        await WaitForSupportAsync(metrics, ct);

        // The load itself.
        phase = "ramp";
        metrics.RestartClock();
        // browser-bench/run.sh waits for this line to time its console against the ramp.
        Say(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"visitors start: ramp {options.Ramp.TotalSeconds:0} s, then {options.Duration.TotalSeconds:0} s; the load ends {options.RunLength.TotalSeconds:0} s from now"));
        WorkerPool? workers = options.Workers > 1 ? new WorkerPool(options, url, cluster?.Urls ?? [], runDirectory, args) : null;
        Func<LiveStatus> status = () => CurrentStatus(metrics, workers);
        var sampler = pid is { } p ? new ProcessSampler(p, () => status().Gauges.AllVisitors, () => metrics.Elapsed) : null;
        // The load generator shares the 2 cores: its own CPU says whether it, not the server, was the limit.
        var self = new ProcessSampler(Environment.ProcessId, () => status().Gauges.AllVisitors, () => metrics.Elapsed);
        using var samplerStop = new CancellationTokenSource();
        var sampling = Task.WhenAll(sampler?.RunAsync(samplerStop.Token) ?? Task.CompletedTask, self.RunAsync(samplerStop.Token));
        var nodeSamplers = cluster?.Pids.Skip(1).Select(id => new ProcessSampler(id, () => 0, () => metrics.Elapsed)).ToList() ?? [];
        sampling = Task.WhenAll([sampling, .. nodeSamplers.Select(n => n.RunAsync(samplerStop.Token))]);
        List<Task> load;
        List<ProcessSampler> workerSamplers = [];
        if (workers is not null)
        {
            Watchdog.OnFire(workers.KillAll);
            workers.Start(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            workerSamplers = workers.Pids.Select(id => new ProcessSampler(id, () => 0, () => metrics.Elapsed)).ToList();
            sampling = Task.WhenAll([sampling, .. workerSamplers.Select(w => w.RunAsync(samplerStop.Token))]);
            // Only the echo calls stay here; visitors, chatters and their messages run in the workers.
            load = LoadPlan.Visitors(env, withVisitors: false, withEcho: true)
                .Select(s => new ScenarioRunner(s, metrics).RunAsync(ct)).ToList();
            load.Add(workers.CollectAsync(options.RunLength + TimeSpan.FromMinutes(3)));
        }
        else
        {
            var scenarios = LoadPlan.Visitors(env, withVisitors: true, withEcho: true).ToList();
            if (cluster is not null && options.EffectiveKillAt is { } killAt) scenarios.Add(NodeKill.Create(env, cluster, killAt, Say));
            load = scenarios.Select(s => new ScenarioRunner(s, metrics).RunAsync(ct)).ToList();
        }
        var loadDone = Task.WhenAll(load);
        if (options.Watchers > 0) _ = Task.Delay(options.Ramp + TimeSpan.FromSeconds(5), ct).ContinueWith(_ => WatchingAgent.Stats.SteadyStarts(), TaskScheduler.Default);
        var progress = ProgressView.RunAsync(options.Live, () => Phase(metrics.Elapsed), () => metrics.Elapsed, status, () => sampler?.Latest, loadDone);
        await loadDone;
        await progress;
        var workerSnapshots = workers is null ? [] : await (Task<IReadOnlyList<MetricsSnapshot>>)load[^1];

        phase = "stopping";
        samplerStop.Cancel();
        await sampling;
        supportStop.Cancel();
        await Task.WhenAll(support);

        if (options.SetRules && adminCookie is not null && previousRules is not null && options.Url is not null)
        {
            try { await admin.PutRulesAsync(options.Site, adminCookie, previousRules, CancellationToken.None); Say("rules restored"); }
            catch (Exception e) when (e is HttpRequestException or InvalidOperationException) { notes.Add($"could not restore the site's rules: {e.Message}"); }
        }

        var snapshot = MetricsSnapshot.Merge([metrics.Snapshot(), .. workerSnapshots]);
        if (workers is not null && workerSnapshots.Count < options.Workers)
            notes.Add($"only {workerSnapshots.Count} of {options.Workers} workers reported back");
        if (options.Chatters > 0 && AgentBot.AgentIds(options.AgentIds!, options.Agents).Distinct().Count() * 50 < options.Chatters)
            notes.Add($"{options.Chatters} chatters exceed what the agent ids can hold (50 chats each): some chats wait in the queue");
        if (SteadyCpu(self.Samples) is { } mine)
        {
            var workerCpu = workerSamplers.Select(w => SteadyCpu(w.Samples) ?? 0).ToList();
            var clients = options.Visitors + options.Chatters;
            // Per 1,000 visitors asked for: what the coordinator needs to size a run's workers (and the machine).
            var perThousand = clients > 0 ? string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"; {(mine + workerCpu.Sum()) * 1000 / clients:0.0}% per 1,000 visitors in all") : "";
            notes.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"load generator CPU at steady state (% of one core; it shares the machine's {Environment.ProcessorCount} cores with the server): coordinator {mine:0}%{(workerCpu.Count > 0 ? $", workers {string.Join(" + ", workerCpu.Select(c => c.ToString("0", System.Globalization.CultureInfo.InvariantCulture)))}%" : "")}") + perThousand);
        }
        if (workers is not null && options.ClusterMode && options.Chatters > 0)
        {
            // The agent bots' acknowledgements are held in this process, the chatters' end-of-run check runs in the workers.
            notes.Add("end-of-run check with workers: each chatter checks its own acknowledged messages; the agent bots' replies are not part of it");
        }
        if (cluster is not null)
        {
            var cpu = new[] { SteadyCpu(sampler!.Samples) }.Concat(nodeSamplers.Select(n => SteadyCpu(n.Samples)))
                .Select((c, i) => $"node {i} {(c is { } v ? v.ToString("0", System.Globalization.CultureInfo.InvariantCulture) + "%" : "–")}");
            var rss = new[] { sampler.Samples }.Concat(nodeSamplers.Select(n => n.Samples))
                .Select((x, i) => $"node {i} {(x.Count > 0 ? x.Max(v => v.RssMb).ToString("0", System.Globalization.CultureInfo.InvariantCulture) : "–")} MB");
            notes.Add($"nodes' CPU at steady state (% of one core): {string.Join(", ", cpu)}; peak RSS: {string.Join(", ", rss)}");
        }
        if (options.Watchers > 0)
        {
            var watch = System.Text.Json.JsonSerializer.Serialize(WatchingAgent.Stats.Summary(), Indented);
            File.WriteAllText(Path.Combine(runDirectory, "watchers.json"), watch);
            notes.Add("live-visitors watchers (issue 15): " + System.Text.Json.JsonSerializer.Serialize(WatchingAgent.Stats.Summary()));
        }
        var report = new RunReport(options, url.ToString(), "LiveChat.LoadTests " + string.Join(' ', args), startedAt, wall.Elapsed,
            snapshot, sampler?.Samples ?? [], pid, notes);
        var thresholds = ThresholdCheck.Evaluate(report).Concat(WatchingAgent.Thresholds(options)).ToList();
        var markdown = ReportWriter.Write(runDirectory, Path.Combine(reportsRoot, "latest"), report, thresholds);
        Console.WriteLine();
        Console.WriteLine(markdown);
        Say($"reports: {runDirectory} (and {Path.Combine(reportsRoot, "latest")})");
        return thresholds.All(t => t.Passed) ? 0 : 1;
    }

    /// <summary>A worker: visitors and chatters only, against a server the coordinator prepared; measurements to a file.</summary>
    public static async Task<int> RunWorkerAsync(LoadOptions options, CancellationToken ct)
    {
        NativeMethods.RaiseOpenFileLimit();
        var url = options.Url ?? throw new ArgumentException("a worker needs --url");
        var metrics = new RunMetrics(options.RunLength + TimeSpan.FromMinutes(2), options.PhaseAt);
        var origin = options.OriginUnixMs is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : DateTimeOffset.UtcNow;
        metrics.RestartClock(DateTimeOffset.UtcNow - origin);
        using var connector = new LoopbackConnector(url, options.SourceAddresses, options.WorkerIndex);
        var env = new LoadEnvironment(options, new HubClientFactory(url, connector, options.NodeUrls), new AdminApi(url, connector), metrics);
        var load = Task.WhenAll(LoadPlan.Visitors(env, withVisitors: true, withEcho: false).Select(s => new ScenarioRunner(s, metrics).RunAsync(ct)));
        while (!load.IsCompleted)
        {
            await Task.WhenAny(load, Task.Delay(1000, CancellationToken.None));
            Console.WriteLine(WorkerPool.StatusPrefix + JsonSerializer.Serialize(LiveStatus.Of(metrics), WorkerPool.Json));
        }
        await load;
        await using var file = File.Create(options.WorkerOutput!);
        await JsonSerializer.SerializeAsync(file, metrics.Snapshot(), WorkerPool.Json, CancellationToken.None);
        return 0;
    }

    private async Task WaitForSupportAsync(RunMetrics metrics, CancellationToken ct)
    {
        var wanted = options.Agents + options.EchoClients;
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            var c = metrics.Counters;
            var settled = c[Counter.AgentConnectEstablished] + c[Counter.AgentConnectFailed] + c[Counter.EchoConnectEstablished] + c[Counter.EchoConnectFailed];
            if (settled >= wanted) break;
            await Task.Delay(200, ct);
        }
        var m = metrics.Counters;
        Say($"agents online {m[Counter.AgentConnectEstablished]}/{options.Agents}, echo clients {m[Counter.EchoConnectEstablished]}/{options.EchoClients}");
        if (options.EchoClients > 0 && m[Counter.EchoConnectEstablished] == 0)
            notes.Add("the echo baseline hub /hubs/echo could not be reached: no chat-to-echo ratio");
        if (options.Agents > 0 && m[Counter.AgentConnectEstablished] == 0)
            notes.Add("no agent bot could sign in and connect: chats cannot reach an agent");
    }

    private string Phase(TimeSpan at) => phase != "ramp" ? phase : options.PhaseAt(at);

    /// <summary>Mean CPU % over the steady phase (any visitors connected or not: a worker reports none of its own here).</summary>
    private double? SteadyCpu(IReadOnlyList<ServerSample> samples)
    {
        var steady = samples.Where(s => options.PhaseAt(TimeSpan.FromSeconds(s.AtSeconds)) == RunPhases.Steady).ToList();
        return steady.Count == 0 ? null : steady.Average(s => s.CpuPercent);
    }

    private static LiveStatus CurrentStatus(RunMetrics metrics, WorkerPool? workers) =>
        workers is null ? LiveStatus.Of(metrics) : LiveStatus.Merge([LiveStatus.Of(metrics), .. workers.Statuses]);

    private static void Say(string text) => Console.WriteLine($"[load] {text}");
}
