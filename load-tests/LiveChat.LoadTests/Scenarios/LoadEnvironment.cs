using System.Collections.Concurrent;
using LiveChat.LoadTests.Cli;
using LiveChat.LoadTests.Hosting;
using LiveChat.LoadTests.Metrics;
using LiveChat.LoadTests.Transport;

namespace LiveChat.LoadTests.Scenarios;

/// <summary>What every scenario of one process shares: where the server is, where to count, who is online.</summary>
internal sealed class LoadEnvironment(LoadOptions options, HubClientFactory hubs, AdminApi admin, RunMetrics metrics)
{
    public LoadOptions Options { get; } = options;
    public HubClientFactory Hubs { get; } = hubs;
    public AdminApi Admin { get; } = admin;
    public RunMetrics Metrics { get; } = metrics;
    /// <summary>Bounds connection attempts in flight, so a ramp can't open thousands of handshakes at once.</summary>
    public SemaphoreSlim ConnectGate { get; } = new(options.ConnectConcurrency);
    public ConcurrentDictionary<VisitorSession, byte> Sessions { get; } = new();
    public RoundRobinPool<ChatTracker> Chatters { get; } = new();
    public RoundRobinPool<EchoClient> EchoClients { get; } = new();
    /// <summary>Which agent bot answers which conversation (all bots live in one process).</summary>
    public ConcurrentDictionary<string, int> ConversationOwners { get; } = new();

    /// <summary>Page URLs live on the target's own origin (the demo site accepts any loopback origin).</summary>
    public PageUrl Pages { get; } = new(hubs.BaseUrl);

    public string IdPrefix => $"w{Options.WorkerIndex}";

    private int nextNode = -1;
    /// <summary>Visitors and chatters are spread round-robin over the nodes.</summary>
    public int NextNode() => (int)((uint)Interlocked.Increment(ref nextNode) % (uint)Hubs.Nodes.Count);

    /// <summary>The node SIGKILLed (-1: none yet) and when (Stopwatch ticks), set just before the kill.</summary>
    public volatile int KilledNode = -1;
    public long NodeKilledAt;

    /// <summary>Agent replies the server acknowledged, per conversation: (clientMessageId, sequence), checked at the end.</summary>
    public ConcurrentDictionary<string, ConcurrentBag<(string ClientMessageId, long Sequence)>> AgentAcks { get; } = new();
}

internal sealed class PageUrl(Uri origin)
{
    public string For(string path) => new Uri(origin, "/load/" + path).ToString();
}

/// <summary>A thread-safe set handed out in turn; used to spread injected messages over ready clients.</summary>
internal sealed class RoundRobinPool<T> where T : class
{
    private readonly List<T> items = [];
    private int next;

    public int Count { get { lock (items) return items.Count; } }

    public void Add(T item) { lock (items) items.Add(item); }

    public void Remove(T item) { lock (items) items.Remove(item); }

    public T? Next(Func<T, bool> usable)
    {
        lock (items)
        {
            for (var tries = 0; tries < items.Count; tries++)
            {
                var item = items[next++ % items.Count];
                if (usable(item)) return item;
            }
            return null;
        }
    }
}
