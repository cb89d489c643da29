using LiveChat.Grains;
using LiveChat.Server.Agents;
using LiveChat.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Core.Internal;

namespace LiveChat.Server.Tests;

/// <summary>
/// The live list's presence shards are volatile: one that restarts comes back empty. The node holding the visitors'
/// connections sees the shard's new epoch on its next lease renewal and re-reports them, so visitors who make no further
/// event come back into the list; a visitor who leaves afterwards is still removed at once (issue 15).
/// </summary>
public sealed class PresenceRecoveryTests : IAsyncLifetime
{
    private TestServer server = null!;

    public async ValueTask InitializeAsync() =>
        server = await TestServer.Start(new Dictionary<string, string?> { ["LiveChat:Timings:PresenceLease"] = "00:00:01.500" });

    public async ValueTask DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task QuietVisitorsComeBackIntoTheListAfterTheirShardsRestartedEmpty()
    {
        await using var agent = await server.Agent();
        await agent.Watch();
        await using var staying = await server.Visitor();
        var leaving = await server.Visitor();
        var ids = new[] { (await staying.Hello("/a")).VisitorId, (await leaving.Hello("/b")).VisitorId };
        await agent.VisitorChanges.Next(d => d.Counts.Online == 2, 15);

        var grains = server.Services.GetRequiredService<IGrainFactory>();
        var shards = Enumerable.Range(0, PresenceShards.Count).Select(i => grains.GetGrain<IPresenceShardGrain>(PresenceShards.Key("demo", i))).ToList();
        var before = await Task.WhenAll(shards.Select(s => s.Changes(Guid.Empty, 0)));
        foreach (var shard in shards) await shard.AsReference<IGrainManagementExtension>().DeactivateOnIdle();

        // New activations, empty (or already refilled by the re-report), then a tick or two for this node's mirror to read them.
        var after = await Eventually(() => Task.WhenAll(shards.Select(s => s.Changes(Guid.Empty, 0))),
            a => Enumerable.Range(0, PresenceShards.Count).All(i => a[i].Epoch != before[i].Epoch), 10);
        Assert.All(Enumerable.Range(0, PresenceShards.Count), i => Assert.NotEqual(before[i].Epoch, after[i].Epoch));
        await Task.Delay(VisitorWatch.Tick * 2);

        // Both visitors stay quiet: only the re-report can list them again.
        var page = await Eventually(() => agent.Watch(), p => p.Counts.Online == 2 && p.Visitors.Count == 2, 10);
        Assert.Equal(ids.Order(), page.Visitors.Select(v => v.VisitorId).Order());

        // The re-report did not keep a closed tab: a visitor who leaves now still leaves the list.
        await leaving.DisposeAsync();
        await agent.VisitorChanges.Next(d => d.Removals.Any(r => r.VisitorId == ids[1]), 30);
        Assert.Equal([ids[0]], (await agent.Watch()).Visitors.Select(v => v.VisitorId));
    }

    private static async Task<T> Eventually<T>(Func<Task<T>> get, Func<T, bool> done, double seconds)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var value = await get();
            if (done(value) || DateTime.UtcNow > deadline) return value;
            await Task.Delay(200);
        }
    }
}
