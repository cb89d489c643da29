using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace LiveChat.LoadTests.Hosting;

/// <summary>
/// Issue 9's cluster shape on this machine: a real <c>redis-server</c> (append-only, in a temp folder) on a free loopback
/// port and N <c>dotnet LiveChat.Server.dll</c> processes in cluster mode (same ClusterId, own Orleans ports and HOME),
/// configured by environment variables only. Node 0 starts first (it seeds the site grain), the others together.
/// Every process is killed at the end, on failure, on Ctrl+C (the run's token) and on process exit.
/// </summary>
internal sealed class LocalCluster : IAsyncDisposable
{
    /// <summary>Cluster mode refuses the demo password, so the harness brings its own admin.</summary>
    public const string AdminId = "load-admin";
    public const string AdminPassword = "load-admin-password-9c1e";
    private const string Site = "demo";

    private static readonly ConcurrentDictionary<int, Process> Live = new();
    private static int hooked;

    private readonly string directory = Directory.CreateTempSubdirectory("livechat-load-cluster-").FullName;
    private readonly string clusterId = "load-" + Guid.NewGuid().ToString("n")[..10];
    private readonly List<Node> nodes = [];
    private readonly string logDirectory;
    private Process? redis;

    private LocalCluster(string logDirectory) => this.logDirectory = logDirectory;

    public int RedisPort { get; private set; }
    public IReadOnlyList<Uri> Urls => nodes.Select(n => n.Url).ToList();
    public IReadOnlyList<int> Pids => nodes.Select(n => n.Pid).ToList();
    public int Count => nodes.Count;

    public static async Task<LocalCluster> StartAsync(string? serverDll, int nodes, int loadAgents, string logDirectory, Action<string> say, CancellationToken ct)
    {
        HookExit();
        var cluster = new LocalCluster(logDirectory);
        try
        {
            await cluster.StartRedisAsync(say, ct);
            var env = cluster.Environment(loadAgents);
            var first = cluster.StartNode(0, serverDll, env, say);
            await first.WaitReadyAsync(TimeSpan.FromSeconds(120), ct);
            var rest = Enumerable.Range(1, nodes - 1).Select(i => cluster.StartNode(i, serverDll, env, say)).ToList();
            await Task.WhenAll(rest.Select(n => n.WaitReadyAsync(TimeSpan.FromSeconds(120), ct)));
            say($"cluster {cluster.clusterId} ready: redis 127.0.0.1:{cluster.RedisPort}, nodes {string.Join(", ", cluster.Urls)}");
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
        return cluster;
    }

    /// <summary>SIGKILL: the node cannot leave the cluster or close its sockets politely (the kernel resets them).</summary>
    public void Kill(int index)
    {
        var node = nodes[index];
        try { if (!node.Process.HasExited) node.Process.Kill(entireProcessTree: false); }
        catch (InvalidOperationException) { }
        Live.TryRemove(node.Pid, out _);
    }

    public bool Running(int index) => !nodes[index].Process.HasExited;

    /// <summary>Kill everything now, without waiting (watchdog).</summary>
    public void KillAll()
    {
        foreach (var n in nodes) TryKill(n.Process);
        if (redis is not null) TryKill(redis);
    }

    private async Task StartRedisAsync(Action<string> say, CancellationToken ct)
    {
        RedisPort = LocalProcess.FreePort();
        var info = new ProcessStartInfo("redis-server") { WorkingDirectory = directory };
        foreach (var arg in new[] { "--port", RedisPort.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", directory,
                     "--save", "", "--appendonly", "yes", "--appendfsync", "everysec", "--daemonize", "no" })
            info.ArgumentList.Add(arg);
        try { redis = StartProcess(info, Path.Combine(logDirectory, "redis.log")); }
        catch (System.ComponentModel.Win32Exception e) { throw new InvalidOperationException("redis-server is not installed (apt-get install -y redis-server)", e); }
        say($"redis-server on 127.0.0.1:{RedisPort} (append-only, {directory})");
        var waited = Stopwatch.StartNew();
        while (!await PingAsync())
        {
            if (redis.HasExited) throw new InvalidOperationException("redis-server exited at start (see redis.log)");
            if (waited.Elapsed > TimeSpan.FromSeconds(15)) throw new TimeoutException("redis-server did not answer PING within 15 s");
            await Task.Delay(100, ct);
        }
    }

    private async Task<bool> PingAsync()
    {
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, RedisPort, cts.Token);
            var stream = client.GetStream();
            await stream.WriteAsync("*1\r\n$4\r\nPING\r\n"u8.ToArray(), cts.Token);
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer, cts.Token);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException) { return false; }
    }

    /// <summary>What every node shares: Redis, the cluster id, the site and the accounts (Identity v3 hashes, no demo password).</summary>
    private Dictionary<string, string> Environment(int loadAgents)
    {
        var env = new Dictionary<string, string>
        {
            ["LiveChat__Redis"] = $"127.0.0.1:{RedisPort}",
            ["LiveChat__Orleans__AdvertisedIP"] = "127.0.0.1",
            ["LiveChat__Orleans__ClusterId"] = clusterId,
            ["LiveChat__Orleans__ServiceId"] = clusterId,
            [$"LiveChat__Sites__{Site}__AllowedOrigins__0"] = "loopback",
            [$"LiveChat__Sites__{Site}__PhoneNumber"] = "+1 555 0100",
        };
        void Agent(int i, string id, string name, string hash, bool admin)
        {
            var prefix = $"LiveChat__Agents__{i}__";
            env[prefix + "Id"] = id;
            env[prefix + "Name"] = name;
            env[prefix + "Sites__0"] = Site;
            env[prefix + "Roles__0"] = "agent";
            if (admin) env[prefix + "Roles__1"] = "admin";
            env[prefix + "PasswordHash"] = hash;
        }
        Agent(0, AdminId, "Load Admin", PasswordHash.Create(AdminPassword), admin: true);
        var hash = PasswordHash.Create(EmbeddedServer.LoadAgentPassword);
        for (var n = 1; n <= Math.Max(1, loadAgents); n++)
            Agent(n, string.Format(CultureInfo.InvariantCulture, EmbeddedServer.LoadAgentPattern, n), $"Load Agent {n}", hash, admin: false);
        return env;
    }

    private Node StartNode(int index, string? serverDll, Dictionary<string, string> shared, Action<string> say)
    {
        var dll = serverDll ?? EmbeddedServer.FindServerDll()
            ?? throw new InvalidOperationException("no built LiveChat.Server.dll found: run dotnet build -c Release, or pass --server-dll");
        var url = new Uri($"http://127.0.0.1:{LocalProcess.FreePort()}/");
        var home = Directory.CreateDirectory(Path.Combine(directory, $"home-{index}")).FullName;
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.GetDirectoryName(Path.GetFullPath(dll))! };
        info.ArgumentList.Add(dll);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add(url.ToString().TrimEnd('/'));
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["DOTNET_gcServer"] = "0";
        // Its own HOME, as on a separate machine: the key ring is shared only through Redis.
        info.Environment["HOME"] = home;
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        foreach (var (k, v) in shared) info.Environment[k] = v;
        info.Environment["LiveChat__Orleans__SiloPort"] = LocalProcess.FreePort().ToString(CultureInfo.InvariantCulture);
        info.Environment["LiveChat__Orleans__GatewayPort"] = LocalProcess.FreePort().ToString(CultureInfo.InvariantCulture);
        var process = StartProcess(info, Path.Combine(logDirectory, $"node-{index}.log"));
        say($"node {index}: {url} (pid {process.Id}, silo {info.Environment["LiveChat__Orleans__SiloPort"]})");
        var node = new Node(index, url, process);
        nodes.Add(node);
        return node;
    }

    private static Process StartProcess(ProcessStartInfo info, string logPath)
    {
        info.UseShellExecute = false;
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        Directory.CreateDirectory(Path.GetDirectoryName(logPath)!);
        var log = new StreamWriter(logPath) { AutoFlush = true };
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.Exited += (_, _) => { lock (log) log.Flush(); };
        process.Start();
        Live[process.Id] = process;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void HookExit()
    {
        if (Interlocked.Exchange(ref hooked, 1) == 1) return;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => { foreach (var p in Live.Values) TryKill(p); };
    }

    private static void TryKill(Process p)
    {
        try { if (!p.HasExited) p.Kill(entireProcessTree: true); } catch (Exception) { /* gone */ }
    }

    /// <summary>Nodes get SIGTERM (30 s to leave the cluster, then SIGKILL); Redis is killed last; the temp folder goes.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var n in nodes.Where(n => !n.Process.HasExited))
            Transport.NativeMethods.Terminate(n.Pid);
        using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20)))
        {
            foreach (var n in nodes)
            {
                try { await n.Process.WaitForExitAsync(cts.Token); }
                catch (OperationCanceledException) { TryKill(n.Process); }
            }
        }
        foreach (var n in nodes) { TryKill(n.Process); Live.TryRemove(n.Pid, out _); n.Process.Dispose(); }
        if (redis is not null)
        {
            TryKill(redis);
            try { await redis.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(5)).Token); } catch (OperationCanceledException) { }
            Live.TryRemove(redis.Id, out _);
            redis.Dispose();
        }
        try { Directory.Delete(directory, recursive: true); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    private sealed record Node(int Index, Uri Url, Process Process)
    {
        public int Pid { get; } = Process.Id;

        public Task WaitReadyAsync(TimeSpan limit, CancellationToken ct) =>
            LocalProcess.WaitReadyAsync(Process, Url, $"node {Index} ({Url})", $"node-{Index}.log", limit, ct);
    }
}
