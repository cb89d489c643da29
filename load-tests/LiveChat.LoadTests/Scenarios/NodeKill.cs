using System.Diagnostics;
using LiveChat.LoadTests.Hosting;
using LiveChat.LoadTests.Simulations;

namespace LiveChat.LoadTests.Scenarios;

/// <summary>
/// Cluster runs: at one instant one node (the last: node 0 keeps the agents, the echo clients and the admin API)
/// gets SIGKILL, like a machine dying. Its visitors and chatters notice the reset connection and resume on another node.
/// </summary>
internal static class NodeKill
{
    public static Scenario Create(LoadEnvironment env, LocalCluster cluster, TimeSpan at, Action<string> say) =>
        Scenario.Create("node-kill", _ =>
        {
            var index = env.Options.KilledNodeIndex;
            // Set before the kill, so every drop it causes is attributed to it.
            Interlocked.Exchange(ref env.NodeKilledAt, Stopwatch.GetTimestamp());
            env.KilledNode = index;
            cluster.Kill(index);
            say($"SIGKILL node {index} ({cluster.Urls[index]}) at {env.Metrics.Elapsed.TotalSeconds:0.0} s");
            return Task.CompletedTask;
        }).WithLoadSimulations(Simulation.Pause(at), Simulation.Inject(1, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)));
}
