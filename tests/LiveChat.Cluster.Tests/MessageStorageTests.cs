using LiveChat.Cluster.Tests.Infrastructure;
using StackExchange.Redis;

namespace LiveChat.Cluster.Tests;

/// <summary>Messages are stored append-only: the bytes Redis receives per message do not grow with the conversation.</summary>
public sealed class MessageStorageTests
{
    [Fact]
    public async Task BytesWrittenPerMessageStayConstantAsTheConversationGrows()
    {
        await using var cluster = await LiveCluster.Start(nodeCount: 1);
        await using var redis = await ConnectionMultiplexer.ConnectAsync($"{cluster.Redis.ConnectionString},allowAdmin=true");
        await using var visitor = await cluster.Visitor(cluster[0]);
        await visitor.Hello();
        await visitor.StartChat("hello");
        var text = new string('x', 2000);

        // Three batches of 100: with a whole-conversation rewrite, each batch would cost far more than the one before.
        var perMessage = new List<double>();
        for (var batch = 0; batch < 3; batch++)
        {
            var before = await InputBytes(redis);
            for (var i = 0; i < 100; i++)
            {
                await visitor.Send(text);
                await Task.Delay(55); // under a visitor connection's 20 calls/s
            }
            perMessage.Add((await InputBytes(redis) - before) / 100.0);
        }
        var report = string.Join(", ", perMessage.Select(b => $"{b:F0} B ({b / text.Length:F1}× the text)"));
        TestContext.Current.TestOutputHelper?.WriteLine($"bytes Redis received per 2,000-char message, batches of 100: {report}");
        Report($"MessageStorage: Redis total_net_input_bytes per 2,000-char message (messages 1-100, 101-200, 201-300): {report}");

        // Everything Redis received counts: the append, the backplane's publish of the push, cluster pings.
        Assert.All(perMessage, b => Assert.True(b < 5 * text.Length, $"{b:F0} bytes per message"));
        Assert.True(perMessage[2] < perMessage[0] * 1.5, $"bytes per message grew from {perMessage[0]:F0} to {perMessage[2]:F0}");
        Assert.Equal(301, (await visitor.GetMessages()).Count); // "hello" and 300 more
    }

    private static async Task<long> InputBytes(ConnectionMultiplexer redis)
    {
        var stats = await redis.GetServers()[0].InfoAsync("stats");
        return long.Parse(stats.SelectMany(g => g).Single(kv => kv.Key == "total_net_input_bytes").Value);
    }

    internal static void Report(string line)
    {
        var dir = Path.Combine(ServerBuild.RepositoryRoot(), "artifacts");
        Directory.CreateDirectory(dir);
        File.AppendAllText(Path.Combine(dir, "cluster-measurements.txt"), $"{DateTime.UtcNow:O} {line}{Environment.NewLine}");
    }
}
