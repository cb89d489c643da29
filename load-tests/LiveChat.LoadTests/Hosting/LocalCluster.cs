using System.Globalization;
using LiveChat.Testing;

namespace LiveChat.LoadTests.Hosting;

/// <summary>
/// Issue 9's cluster shape on this machine: a real <c>redis-server</c> (append-only, in a temp folder) on a free loopback
/// port and N <c>dotnet LiveChat.Server.dll</c> processes in cluster mode (same ClusterId, own Orleans ports and HOME),
/// configured by environment variables only; all started with the test kit's launcher. Node 0 starts first (it seeds the
/// site grain), the others together. Every process is killed at the end, on failure, on Ctrl+C (the run's token) and on
/// process exit.
/// </summary>
internal sealed class LocalCluster : IAsyncDisposable
{
    /// <summary>Cluster mode refuses the demo password, so the harness brings its own admin.</summary>
    public const string AdminId = "load-admin";
    public const string AdminPassword = "load-admin-password-9c1e";
    private const string Site = "demo";

    private readonly string directory = Directory.CreateTempSubdirectory("livechat-load-cluster-").FullName;
    private readonly string clusterId = "load-" + Guid.NewGuid().ToString("n")[..10];
    private readonly List<NodeProcess> nodes = [];
    private readonly string logDirectory;
    private RedisServer? redis;
    private LogFile? redisLog;

    private LocalCluster(string logDirectory) => this.logDirectory = logDirectory;

    public int RedisPort => redis?.Port ?? 0;
    public IReadOnlyList<Uri> Urls => nodes.Select(n => n.Url).ToList();
    public IReadOnlyList<int> Pids => nodes.Select(n => n.Pid).ToList();
    public int Count => nodes.Count;

    public static async Task<LocalCluster> StartAsync(string? serverDll, int nodes, int loadAgents, string logDirectory, Action<string> say, CancellationToken ct)
    {
        var cluster = new LocalCluster(logDirectory);
        try
        {
            await cluster.StartRedisAsync(say);
            var env = cluster.Environment(loadAgents);
            var first = cluster.StartNode(0, serverDll, env, say);
            await WaitReady(first, 0, ct);
            var rest = Enumerable.Range(1, nodes - 1).Select(i => (Index: i, Node: cluster.StartNode(i, serverDll, env, say))).ToList();
            await Task.WhenAll(rest.Select(n => WaitReady(n.Node, n.Index, ct)));
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
    public void Kill(int index) => nodes[index].Kill();

    public bool Running(int index) => nodes[index].Running;

    /// <summary>Kill everything now, without waiting (watchdog).</summary>
    public void KillAll()
    {
        foreach (var n in nodes) n.Kill();
        redis?.Kill();
    }

    private async Task StartRedisAsync(Action<string> say)
    {
        redisLog = new LogFile(Path.Combine(logDirectory, "redis.log"));
        redis = await RedisServer.Start(appendOnly: true, redisLog.Write);
        say($"redis-server on 127.0.0.1:{RedisPort} (append-only)");
    }

    /// <summary>What every node shares: Redis, the cluster id, the site and the accounts (Identity v3 hashes, no demo password).</summary>
    private Dictionary<string, string> Environment(int loadAgents)
    {
        var env = EmbeddedServer.Accounts(AdminId, "Load Admin", AdminPassword, Math.Max(1, loadAgents)).ToEnvironment();
        env["LiveChat__Redis"] = $"127.0.0.1:{RedisPort}";
        env["LiveChat__Orleans__AdvertisedIP"] = "127.0.0.1";
        env["LiveChat__Orleans__ClusterId"] = clusterId;
        env["LiveChat__Orleans__ServiceId"] = clusterId;
        env[$"LiveChat__Sites__{Site}__AllowedOrigins__0"] = "loopback";
        env[$"LiveChat__Sites__{Site}__PhoneNumber"] = "+1 555 0100";
        return env;
    }

    private NodeProcess StartNode(int index, string? serverDll, Dictionary<string, string> shared, Action<string> say)
    {
        var dll = Path.GetFullPath(serverDll ?? EmbeddedServer.FindServerDll()
            ?? throw new InvalidOperationException("no built LiveChat.Server.dll found: run dotnet build -c Release, or pass --server-dll"));
        var url = NodeProcess.FreeUrl();
        var home = Directory.CreateDirectory(Path.Combine(directory, $"home-{index}")).FullName;
        var info = NodeProcess.Command(dll, url, ContentRoot(dll));
        info.Environment["DOTNET_gcServer"] = "0";
        // Its own HOME, as on a separate machine: the key ring is shared only through Redis.
        info.Environment["HOME"] = home;
        info.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        foreach (var (k, v) in shared) info.Environment[k] = v;
        NodeProcess.AddFreeOrleansPorts(info.Environment);
        var node = NodeProcess.Start($"node {index} ({url})", url, info, new LogFile(Path.Combine(logDirectory, $"node-{index}.log")));
        say($"node {index}: {url} (pid {node.Pid}, silo {info.Environment["LiveChat__Orleans__SiloPort"]})");
        nodes.Add(node);
        return node;
    }

    /// <summary>
    /// A build (bin/&lt;config&gt;/net10.0) has no wwwroot (only a publish copies it): run a node from its project folder, as
    /// run.sh and the browser tests run the server, so /agent serves the console (browser-bench opens it on node 0).
    /// </summary>
    private static string? ContentRoot(string dll)
    {
        var project = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(dll))!, "..", "..", ".."));
        return Directory.Exists(Path.Combine(project, "wwwroot")) && File.Exists(Path.Combine(project, Path.GetFileNameWithoutExtension(dll) + ".csproj"))
            ? project : null;
    }

    private static async Task WaitReady(NodeProcess node, int index, CancellationToken ct)
    {
        var limit = TimeSpan.FromSeconds(120);
        try { await node.WaitReady(limit, () => $"{node.Name} exited with code {node.ExitCode} before it was ready (see node-{index}.log)", ct: ct); }
        catch (TimeoutException) { throw new TimeoutException($"{node.Name} was not ready within {limit.TotalSeconds:0} s (GET /health/ready)"); }
    }

    /// <summary>Nodes get SIGTERM (20 s to leave the cluster, then SIGKILL); Redis is killed last; the temp folder goes.</summary>
    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(nodes.Select(n => n.Stop(TimeSpan.FromSeconds(20))));
        if (redis is not null) await redis.DisposeAsync();
        redisLog?.Dispose();
        try { Directory.Delete(directory, recursive: true); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }
}
