using System.Diagnostics;
using LiveChat.Cluster.Tests.Infrastructure;
using LiveChat.Contracts;
using LiveChat.Grains;
using LiveChat.Server.Messages;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LiveChat.Cluster.Tests;

/// <summary>
/// "Acknowledged = persisted" with <c>LiveChat:Durability:ReplicaAcks</c>: a message is acknowledged only after a
/// replica has it (Redis WAIT), so SIGKILLing the primary right after and promoting the replica loses nothing
/// acknowledged. Tested at the storage level (the same RedisMessageStore the conversation grains use).
/// </summary>
public sealed class ReplicaDurabilityTests
{
    /// <summary>With 0 (the control, not asserted) the kill may take acknowledged messages with it; with 1 it must not.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(0)]
    public async Task EveryMessageAcknowledgedWithAReplicaAckSurvivesKillingThePrimary(int replicaAcks)
    {
        await using var primary = await RedisServer.Start(appendOnly: true);
        await using var replica = await RedisServer.Start(appendOnly: true, "--replicaof", "127.0.0.1", primary.Port.ToString());
        await using var toPrimary = await ConnectionMultiplexer.ConnectAsync($"{primary.ConnectionString},allowAdmin=true,connectTimeout=2000,syncTimeout=3000");
        await WaitForReplicaLink(toPrimary);
        var store = new RedisMessageStore(toPrimary, "test", Options.Create(new DurabilityOptions { ReplicaAcks = replicaAcks, ReplicaAckTimeout = TimeSpan.FromSeconds(1) }));

        // 20 conversations writing at once; the primary dies in the middle of it.
        var acknowledged = new System.Collections.Concurrent.ConcurrentBag<(string Conversation, long Sequence)>();
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 20).Select(c => Task.Run(async () =>
        {
            var id = $"c-{c}";
            for (long seq = 1; !stop.IsCancellationRequested; seq++)
            {
                try { await store.Append(id, Message(id, seq)); }
                catch (Exception) { return; } // not acknowledged: the client would retry elsewhere
                acknowledged.Add((id, seq));
            }
        })).ToList();
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        primary.Kill();
        stop.Cancel();
        await Task.WhenAll(writers);

        await using var toReplica = await ConnectionMultiplexer.ConnectAsync($"{replica.ConnectionString},allowAdmin=true");
        await toReplica.GetServers()[0].ExecuteAsync("REPLICAOF", "NO", "ONE");
        var promoted = new RedisMessageStore(toReplica, "test", Options.Create(new DurabilityOptions()));
        var missing = 0;
        foreach (var group in acknowledged.GroupBy(a => a.Conversation))
        {
            var stored = (await promoted.Read(group.Key)).Select(m => m.Message.Sequence).ToHashSet();
            missing += group.Count(a => !stored.Contains(a.Sequence));
        }
        var line = $"ReplicaAcks={replicaAcks}: {acknowledged.Count} acknowledged, {missing} missing after SIGKILL of the primary and promoting the replica";
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        MessageStorageTests.Report(line);
        Assert.True(acknowledged.Count > 100, $"only {acknowledged.Count} messages were acknowledged before the kill");
        if (replicaAcks > 0) Assert.Equal(0, missing);
    }

    [Fact]
    public async Task AppendThroughputWithEverysecAlwaysAndWait1()
    {
        await using var primary = await RedisServer.Start(appendOnly: true);
        await using var replica = await RedisServer.Start(appendOnly: true, "--replicaof", "127.0.0.1", primary.Port.ToString());
        await using var redis = await ConnectionMultiplexer.ConnectAsync($"{primary.ConnectionString},allowAdmin=true");
        await WaitForReplicaLink(redis);
        var server = redis.GetServers()[0];
        var results = new List<string>();
        foreach (var (name, fsync, acks) in new[] { ("appendfsync everysec", "everysec", 0), ("appendfsync always", "always", 0), ("everysec + WAIT 1", "everysec", 1) })
        {
            await server.ConfigSetAsync("appendfsync", fsync);
            var store = new RedisMessageStore(redis, "bench-" + fsync + acks, Options.Create(new DurabilityOptions { ReplicaAcks = acks }));
            var rate = await Throughput(store, conversations: 20, perConversation: 100);
            results.Add($"{name}: {rate:F0} msg/s");
        }
        var line = "Message appends (20 conversations x 100 x 200-char messages, one redis-server primary + one replica on loopback): " + string.Join("; ", results);
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        MessageStorageTests.Report(line);
    }

    private static async Task<double> Throughput(RedisMessageStore store, int conversations, int perConversation)
    {
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, conversations).Select(async c =>
        {
            var id = $"c-{c}";
            for (long seq = 1; seq <= perConversation; seq++) await store.Append(id, Message(id, seq));
        }));
        return conversations * perConversation / watch.Elapsed.TotalSeconds;
    }

    private static StoredMessage Message(string conversationId, long sequence) =>
        new(new ChatMessage(conversationId, $"m-{sequence}", sequence, Senders.Visitor, new string('x', 200), DateTimeOffset.UtcNow, $"cm-{sequence}", null), "v-1");

    private static async Task WaitForReplicaLink(ConnectionMultiplexer primary)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            var info = await primary.GetServers()[0].InfoAsync("replication");
            if (info.SelectMany(g => g).Any(kv => kv.Key == "slave0" && kv.Value.Contains("state=online"))) return;
            await Task.Delay(100);
        }
        throw new TimeoutException("the replica did not connect to the primary");
    }
}
