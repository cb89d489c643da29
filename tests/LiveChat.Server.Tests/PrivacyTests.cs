using System.Net;
using System.Net.Http.Json;
using LiveChat.Grains;
using LiveChat.Server.Tests.Infrastructure;
using LiveChat.Server.Visitors;
using Microsoft.Extensions.DependencyInjection;

namespace LiveChat.Server.Tests;

/// <summary>Visitor data does not grow forever: anonymous visitors expire, and an admin can delete one visitor's data.</summary>
public sealed class PrivacyTests
{
    private static Dictionary<string, string?> ShortRetention() => new()
    {
        ["LiveChat:Retention:AnonymousVisitor"] = "00:00:01",
        ["LiveChat:Retention:SweepEvery"] = "00:00:00.200",
        ["LiveChat:Timings:VisitorLeaveGrace"] = "00:00:00.100",
    };

    private static Task<VisitorSummaryOf> Summary(TestServer server, string visitorId) =>
        server.Services.GetRequiredService<IGrainFactory>().GetGrain<IVisitorGrain>(Keys.Of("demo", visitorId)).GetSummary()
            .ContinueWith(t => new VisitorSummaryOf(t.Result.Visits, t.Result.ConversationId));

    private sealed record VisitorSummaryOf(int Visits, string? ConversationId);

    [Fact]
    public async Task AnAnonymousVisitorWithoutAConversationExpiresAfterTheRetentionPeriod()
    {
        await using var server = await TestServer.Start(ShortRetention());
        string anonymousId, chattedId;
        await using (var anonymous = await server.Visitor())
            anonymousId = (await anonymous.Hello("/just-looking")).VisitorId;
        await using (var chatted = await server.Visitor())
        {
            chattedId = (await chatted.Hello("/help")).VisitorId;
            await chatted.StartChat("a question");
        }

        // Not polled: a call would keep the grain active. The visitor leaves (0.1 s), expires (1 s), is swept (0.2 s).
        await Task.Delay(TimeSpan.FromSeconds(3));

        Assert.Equal(0, (await Summary(server, anonymousId)).Visits); // a fresh, empty state
        Assert.Equal(1, (await Summary(server, chattedId)).Visits); // kept: it has a conversation
    }

    [Fact]
    public async Task AnAdminDeletesEverythingKeptAboutOneVisitor()
    {
        await using var server = await TestServer.Start();
        var (visitor, agent, conversationId) = await server.ChatWithAgent("my address is 1 Main St");
        await using var _ = visitor;
        await using var __ = agent;
        await visitor.Send("and my phone is 555-0100");
        var visitorId = visitor.Identity!.VisitorId;
        var store = server.Services.GetRequiredService<IMessageStore>();
        Assert.NotEmpty(await store.Read(conversationId));

        using var admin = server.Http(new CookieContainer());
        (await admin.PostAsJsonAsync("/api/auth/login", new { agentId = "demo", password = "demo" })).EnsureSuccessStatusCode();
        var response = await admin.DeleteAsync($"/api/sites/demo/visitors/{visitorId}");

        response.EnsureSuccessStatusCode();
        Assert.Equal(1, (await response.Content.ReadFromJsonAsync<PrivacyApi.ForgetResult>())!.ConversationsDeleted);
        Assert.Empty(await store.Read(conversationId));
        var grains = server.Services.GetRequiredService<IGrainFactory>();
        await AbuseTests.Eventually(async () => Assert.Null(await grains.GetGrain<IConversationGrain>(conversationId).GetView()));
        await agent.Closed.Next(c => c.ConversationId == conversationId);
        await using var again = await server.Visitor();
        var hello = await again.Hello("/back", visitorId, visitor.Identity.Token);
        Assert.Null(hello.Conversation);
        Assert.Equal(1, (await Summary(server, visitorId)).Visits); // a fresh start: nothing of the old visits is left
    }

    [Fact]
    public async Task OnlyAnAdminOfTheSiteMayDeleteAVisitor()
    {
        await using var server = await TestServer.Start();
        using var anonymous = server.Http();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.DeleteAsync("/api/sites/demo/visitors/v-1")).StatusCode);
        using var admin = server.Http(new CookieContainer());
        (await admin.PostAsJsonAsync("/api/auth/login", new { agentId = "demo", password = "demo" })).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync("/api/sites/elsewhere/visitors/v-1")).StatusCode);
    }
}
