using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LiveChat.Cluster.Tests.Infrastructure;
using LiveChat.Contracts;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveChat.Cluster.Tests;

/// <summary>Service notices across nodes: an admin's change on one node reaches visitors connected to another, at once.</summary>
public sealed class NoticeClusterTests(TwoNodes fixture) : IClassFixture<TwoNodes>
{
    private LiveCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task NoticePostedOnOneNodeReachesAVisitorOnAnotherAndItsDeletionClearsIt()
    {
        // On node B: one visitor on the checkout (ClusterVisitor's page), one on a page the notice does not cover.
        await using var atCheckout = await Cluster.Visitor(Cluster[1]);
        var shown = new Inbox<NoticeView>(defaultSeconds: 15);
        var cleared = new Inbox<NoticeClearedView>(defaultSeconds: 15);
        atCheckout.Connection.On<NoticeView>("Notice", shown.Add);
        atCheckout.Connection.On<NoticeClearedView>("NoticeCleared", cleared.Add);
        Assert.Empty((await atCheckout.Hello()).Notices);

        await using var elsewhere = await Cluster.Visitor(Cluster[1]);
        var elsewhereGot = new ConcurrentQueue<string>();
        elsewhere.Connection.On<NoticeView>("Notice", n => elsewhereGot.Enqueue(n.NoticeId));
        await elsewhere.Connection.InvokeAsync<HelloResult>("Hello", new HelloRequest(null, null, new PageInfo("http://127.0.0.1/about", "About")));

        // The admin works on node A.
        using var admin = await SignIn(Cluster[0]);
        var posted = await admin.PostAsJsonAsync($"{Cluster[0].Url}/api/sites/{LiveCluster.Site}/notices",
            new { text = "Card payments are delayed; your order is safe.", severity = "outage", pageMatches = "/checkout*" });
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        var noticeId = (await posted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("noticeId").GetString()!;

        var pushed = await shown.Next(n => n.NoticeId == noticeId);
        Assert.Equal("Card payments are delayed; your order is safe.", pushed.Text);
        Assert.Equal("outage", pushed.Severity);

        // A visitor arriving on node B now gets it with Hello (each node may serve its copy of the list for a
        // couple of seconds, LiveChat:Timings:SiteRefresh, so a newcomer is allowed that long).
        Assert.True(await ArrivingVisitorSees(Cluster[1], noticeId, TimeSpan.FromSeconds(10)), "a new visitor on node B got the notice with Hello");

        var deleted = await admin.DeleteAsync($"{Cluster[0].Url}/api/sites/{LiveCluster.Site}/notices/{noticeId}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await cleared.Next(c => c.NoticeId == noticeId);

        // By now the create and the delete have both crossed to node B; the visitor on /about heard of neither.
        Assert.Empty(elsewhereGot);
    }

    private static async Task<bool> ArrivingVisitorSees(ServerNode node, string noticeId, TimeSpan limit)
    {
        var deadline = DateTimeOffset.UtcNow + limit;
        while (true)
        {
            await using (var visitor = await ClusterVisitor.Connect(node.Url, LiveCluster.Site))
                if ((await visitor.Hello()).Notices.Any(n => n.NoticeId == noticeId)) return true;
            if (DateTimeOffset.UtcNow > deadline) return false;
            await Task.Delay(500);
        }
    }

    /// <summary>An HTTP client holding the admin's auth cookie from this node.</summary>
    private static async Task<HttpClient> SignIn(ServerNode node)
    {
        var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { Timeout = TimeSpan.FromSeconds(20) };
        var response = await http.PostAsJsonAsync($"{node.Url}/api/auth/login", new { agentId = LiveCluster.AgentId, password = LiveCluster.Password });
        response.EnsureSuccessStatusCode();
        return http;
    }
}
