using System.Net;
using System.Net.Http.Json;

namespace LiveChat.Cluster.Tests.Infrastructure;

/// <summary>
/// A real cluster for one test: its own redis-server and N server processes sharing it, with a unique cluster id,
/// one site (<see cref="Site"/>) and one agent configured through environment variables as an operator would.
/// Nodes start one after another, so grains the first node seeds (the site) live on node 0.
/// Disposing kills every process, whatever state the test left them in, and writes the nodes' logs to the test output.
/// </summary>
public sealed class LiveCluster : IAsyncDisposable
{
    public const string Site = "shop";
    public const string AgentId = "alice";
    public const string AgentName = "Alice";
    public const string Password = "cluster-test-password-7f3a";
    private static readonly Lazy<Dictionary<string, string>> Agents =
        new(() => new AgentSettings().Add(AgentId, Password, name: AgentName, sites: [Site], roles: ["admin"]).ToEnvironment());
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(90);

    private readonly List<ServerNode> nodes = [];
    private readonly string clusterId = "test-" + Guid.NewGuid().ToString("n")[..10];

    private readonly IReadOnlyDictionary<string, string> extra;

    private LiveCluster(RedisServer redis, IReadOnlyDictionary<string, string>? environment) { Redis = redis; extra = environment ?? new Dictionary<string, string>(); }

    public RedisServer Redis { get; }
    public ServerNode this[int index] => nodes[index];

    /// <param name="environment">Extra settings for every node, on top of (or instead of) the cluster's own.</param>
    public static async Task<LiveCluster> Start(int nodeCount, bool redisAppendOnly = false, IReadOnlyDictionary<string, string>? environment = null)
    {
        var cluster = new LiveCluster(await RedisServer.Start(redisAppendOnly), environment);
        try
        {
            for (var i = 0; i < nodeCount; i++) await cluster.AddNode();
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
        return cluster;
    }

    public async Task<ServerNode> AddNode()
    {
        for (var attempt = 1; ; attempt++)
        {
            var environment = Environment();
            foreach (var (key, value) in extra) environment[key] = value;
            var node = ServerNode.Start(((char)('A' + nodes.Count)).ToString(), environment);
            nodes.Add(node);
            try
            {
                await node.WaitReady(StartLimit);
                return node;
            }
            // A free port can be taken by another process between choosing it and binding it (the machine is shared): new ports.
            catch (InvalidOperationException) when (attempt < 3 && node.LogTail().Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                nodes.Remove(node);
                await node.DisposeAsync();
            }
        }
    }

    private Dictionary<string, string> Environment()
    {
        var environment = new Dictionary<string, string>(Agents.Value)
        {
            ["LiveChat__Redis"] = Redis.ConnectionString,
            ["LiveChat__Orleans__SiloPort"] = Ports.Free().ToString(),
            ["LiveChat__Orleans__GatewayPort"] = Ports.Free().ToString(),
            ["LiveChat__Orleans__AdvertisedIP"] = "127.0.0.1",
            ["LiveChat__Orleans__ClusterId"] = clusterId,
            ["LiveChat__Orleans__ServiceId"] = clusterId,
            [$"LiveChat__Sites__{Site}__AllowedOrigins__0"] = "loopback",
        };
        return environment;
    }

    public Task<ClusterVisitor> Visitor(ServerNode node) => ClusterVisitor.Connect(node.Url, Site);

    /// <summary>Signs in over HTTP on one node and opens the agent hub on another: the cookie must be valid cluster-wide.</summary>
    public async Task<ClusterAgent> Agent(ServerNode signInOn, ServerNode hubOn)
    {
        var cookies = new CookieContainer();
        using (var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { Timeout = TimeSpan.FromSeconds(20) })
        {
            var response = await http.PostAsJsonAsync($"{signInOn.Url}/api/auth/login", new { agentId = AgentId, password = Password });
            response.EnsureSuccessStatusCode();
        }
        return await ClusterAgent.Connect(hubOn.Url, cookies);
    }

    public async ValueTask DisposeAsync()
    {
        var output = TestContext.Current.TestOutputHelper;
        foreach (var node in nodes)
        {
            await node.DisposeAsync();
            output?.WriteLine($"---- node {node.Name} ({node.Url}) log tail ----{System.Environment.NewLine}{node.LogTail()}");
        }
        await Redis.DisposeAsync();
    }
}
