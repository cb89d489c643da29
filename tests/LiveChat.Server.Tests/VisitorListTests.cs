using LiveChat.Contracts;
using LiveChat.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveChat.Server.Tests;

/// <summary>The live-visitors list as a subscription: a view's first page and totals, then batched diffs (issue 15).</summary>
public sealed class VisitorListTests : IAsyncLifetime
{
    private TestServer server = null!;

    public async ValueTask InitializeAsync() => server = await TestServer.Start();
    public async ValueTask DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task ManyPageViewsReachAWatcherAsFewDiffsEndingWithTheLatestState()
    {
        await using var agent = await server.Agent();
        await agent.Watch();
        await using var visitor = await server.Visitor();
        var id = (await visitor.Hello("/start")).VisitorId;
        await agent.VisitorChanges.Next(d => d.Upserts.Any(v => v.VisitorId == id), 15);

        const int pageViews = 30;
        for (var i = 1; i <= pageViews; i++) await visitor.PageView($"/page-{i}");

        var last = await agent.VisitorChanges.Next(d => d.Upserts.Any(v => v.VisitorId == id && v.CurrentUrl!.EndsWith($"/page-{pageViews}")), 15);
        var mine = agent.VisitorChanges.All.SelectMany(d => d.Upserts).Where(v => v.VisitorId == id).ToList();
        // Per-event pushes would be 31; batching sends the latest state once per tick at most.
        Assert.True(mine.Count < pageViews / 2, $"{mine.Count} upserts for {pageViews + 1} events");
        Assert.All(agent.VisitorChanges.All, d => Assert.Equal(d.Upserts.Count, d.Upserts.Select(v => v.VisitorId).Distinct().Count()));
        Assert.Equal(pageViews + 1, last.Upserts.Single(v => v.VisitorId == id).PagesThisVisit);
    }

    [Fact]
    public async Task AViewHasItsFilterSortLimitAndTheTotalsOfEveryone()
    {
        await using var big = await server.Visitor();
        await using var small = await server.Visitor();
        await using var browsing = await server.Visitor();
        var bigId = (await big.Hello("/cart")).VisitorId;
        var smallId = (await small.Hello("/cart")).VisitorId;
        await browsing.Hello("/home");
        await big.Track("cart_add", new { sku = "SOFA", price = 900, quantity = 1 });
        await small.Track("cart_add", new { sku = "PEN", price = 3, quantity = 2 });

        await using var agent = await server.Agent();
        var page = await Eventually(() => agent.Watch(VisitorFilters.Cart, VisitorSorts.CartValue, limit: 1), p => p.Counts.WithCart == 2);

        Assert.Equal((VisitorFilters.Cart, VisitorSorts.CartValue, 1), (page.Filter, page.Sort, page.Limit));
        Assert.Equal(bigId, Assert.Single(page.Visitors).VisitorId);
        Assert.Equal((3, 2, 2), (page.Counts.Online, page.Counts.WithCart, page.Counts.Matching));

        // The rest of the view follows as diffs: the small cart grows past the big one and takes the only row.
        await small.Track("cart_add", new { sku = "PIANO", price = 5000, quantity = 1 });
        var diff = await agent.VisitorChanges.Next(d => d.Upserts.Any(v => v.VisitorId == smallId), 15);
        Assert.Equal(bigId, Assert.Single(diff.Removals).VisitorId);
        Assert.Equal([$"demo/{smallId}"], diff.Order);

        var byTime = await agent.Watch(VisitorFilters.Online, VisitorSorts.TimeOnPage);
        Assert.Equal(3, byTime.Visitors.Count);
        Assert.Equal(byTime.Visitors.OrderBy(v => v.PageEnteredAt).Select(v => v.VisitorId), byTime.Visitors.Select(v => v.VisitorId));
    }

    [Fact]
    public async Task AVisitorWhoLeavesIsRemovedFromTheView()
    {
        await using var agent = await server.Agent();
        await agent.Watch();
        var visitor = await server.Visitor();
        var id = (await visitor.Hello("/leaving")).VisitorId;
        await agent.VisitorChanges.Next(d => d.Upserts.Any(v => v.VisitorId == id), 15);
        await visitor.DisposeAsync();
        await agent.VisitorChanges.Next(d => d.Removals.Any(r => r.VisitorId == id), 30);
    }

    [Theory]
    [InlineData("{\"filter\":\"everyone\"}", "filter must be one of")]
    [InlineData("{\"sort\":\"name\"}", "sort must be one of")]
    [InlineData("{\"limit\":5000}", "limit must be between 1 and 200")]
    public async Task ABadViewIsRefusedNamingTheField(string json, string error)
    {
        await using var agent = await server.Agent();
        var request = System.Text.Json.JsonSerializer.Deserialize<WatchVisitorsRequest>(json, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web))!;
        var refused = await Assert.ThrowsAsync<HubException>(() => agent.Connection.InvokeAsync<VisitorsPage>("WatchVisitors", request));
        Assert.Contains(error, refused.Message);
    }

    [Fact]
    public async Task ARowOpensTheVisitorsJourneyBeforeAnyChat()
    {
        await using var visitor = await server.Visitor();
        var id = (await visitor.Hello("/products/7")).VisitorId;
        await visitor.PageView("/cart");
        await using var agent = await server.Agent();
        var detail = await agent.Connection.InvokeAsync<VisitorDetail>("GetVisitor", new VisitorRequest("demo", id));
        Assert.Equal(["/products/7", "/cart"], detail.Journey.Where(j => j.Kind == "page").Select(j => j.Detail.Split(' ')[0]));
        Assert.Null(detail.Visitor.ConversationId);
        var refused = await Assert.ThrowsAsync<HubException>(() => agent.Connection.InvokeAsync<VisitorDetail>("GetVisitor", new VisitorRequest("elsewhere", id)));
        Assert.Contains("siteId", refused.Message);
    }

    private static async Task<T> Eventually<T>(Func<Task<T>> get, Func<T, bool> done, double seconds = 15)
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
