using System.Net;
using System.Net.Http.Json;
using LiveChat.Cluster.Tests.Infrastructure;
using StackExchange.Redis;

namespace LiveChat.Cluster.Tests;

/// <summary>In a cluster no visitor key lives forever, and forgetting a visitor deletes their keys.</summary>
public sealed class RetentionClusterTests
{
    [Fact]
    public async Task EveryVisitorKeyHasATtlAndForgettingDeletesTheVisitorsKeys()
    {
        await using var cluster = await LiveCluster.Start(nodeCount: 1);
        await using var redis = await ConnectionMultiplexer.ConnectAsync($"{cluster.Redis.ConnectionString},allowAdmin=true");
        var db = redis.GetDatabase();
        await using var anonymous = await cluster.Visitor(cluster[0]);
        await anonymous.Hello();
        await using var chatting = await cluster.Visitor(cluster[0]);
        var identity = await chatting.Hello();
        var chat = await chatting.StartChat("please forget me afterwards");

        var visitorKeys = new List<RedisKey>();
        await foreach (var key in redis.GetServers()[0].KeysAsync(pattern: "*visitor/*")) visitorKeys.Add(key);
        Assert.Equal(2, visitorKeys.Count);
        foreach (var key in visitorKeys)
        {
            var ttl = await db.KeyTimeToLiveAsync(key);
            Assert.True(ttl is { } t && t > TimeSpan.Zero && t <= TimeSpan.FromDays(365), $"{key} has TTL {ttl}");
        }
        var messagesKey = (RedisKey)$"livechat:*messages:{chat.ConversationId}";
        var found = new List<RedisKey>();
        await foreach (var key in redis.GetServers()[0].KeysAsync(pattern: messagesKey.ToString())) found.Add(key);
        Assert.Single(found);

        var cookies = new CookieContainer();
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = new Uri(cluster[0].Url) };
        (await http.PostAsJsonAsync("/api/auth/login", new { agentId = LiveCluster.AgentId, password = LiveCluster.Password })).EnsureSuccessStatusCode();
        (await http.DeleteAsync($"/api/sites/{LiveCluster.Site}/visitors/{identity.VisitorId}")).EnsureSuccessStatusCode();

        Assert.False(await db.KeyExistsAsync(found[0]));
        var left = new List<RedisKey>();
        await foreach (var key in redis.GetServers()[0].KeysAsync(pattern: $"*{identity.VisitorId}*")) left.Add(key);
        Assert.Empty(left);
    }
}
