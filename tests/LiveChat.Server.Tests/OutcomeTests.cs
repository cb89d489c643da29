using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LiveChat.Contracts;
using LiveChat.Engagement;
using LiveChat.Grains;
using LiveChat.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace LiveChat.Server.Tests;

/// <summary>Through the real hubs and REST: Rate, ReportContact, repeat contact shown to the agent, and the stats endpoints.</summary>
public sealed class OutcomeTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private TestServer Server => fixture.Server;

    private static Task Rate(TestVisitor visitor, string conversationId, int score, string? comment = null) =>
        visitor.Connection.InvokeAsync("Rate", new { conversationId, score, comment });

    /// <summary>Constructed figures straight into the site's stats book, as one counted batch (no aggregator delay).</summary>
    private Task Put(StatEvent stat) =>
        Server.Services.GetRequiredService<IGrainFactory>().GetGrain<ISiteStatsGrain>("demo")
            .Apply(new StatBatch(Guid.NewGuid(), [new StatCount(stat, 1)], new Dictionary<string, long>(), []));

    private async Task<HttpClient> SignedIn()
    {
        var http = Server.Http();
        (await http.PostAsJsonAsync("/api/auth/login", new { agentId = "demo", password = "demo" })).EnsureSuccessStatusCode();
        return http;
    }

    [Fact]
    public async Task RateIsRefusedForAnotherVisitorsChatTwiceAndOutOfRange()
    {
        var (visitor, agent, id) = await Server.ChatWithAgent("my parcel is late");
        await using var _ = visitor;
        await using var __ = agent;
        var rated = new Inbox<ConversationRatedView>();
        agent.Connection.On<ConversationRatedView>("ConversationRated", rated.Add);
        await agent.Close(id);
        await visitor.Ended.Next();

        await using var stranger = await Server.Visitor();
        await stranger.Hello("/other");
        Assert.Contains("conversationId: no such conversation", (await Assert.ThrowsAsync<HubException>(() => Rate(stranger, id, 5))).Message);

        foreach (var score in new[] { 0, 6, -1 })
            Assert.Contains("score must be between 1 and 5", (await Assert.ThrowsAsync<HubException>(() => Rate(visitor, id, score))).Message);
        Assert.Contains("comment is longer than 1000 characters", (await Assert.ThrowsAsync<HubException>(() => Rate(visitor, id, 3, new string('x', 1001)))).Message);
        Assert.Contains("conversationId is required", (await Assert.ThrowsAsync<HubException>(() => Rate(visitor, "", 3))).Message);

        await Rate(visitor, id, 5, "Sorted in two minutes");
        Assert.Contains("already been rated", (await Assert.ThrowsAsync<HubException>(() => Rate(visitor, id, 1))).Message);

        // The agent sees the rating in the conversation: pushed at once, and in the conversation's detail.
        var push = await rated.Next(r => r.ConversationId == id);
        Assert.Equal(5, push.Rating.Score);
        var detail = await agent.GetConversation(id);
        Assert.Equal((5, "Sorted in two minutes"), (detail.Conversation.Rating!.Score, detail.Conversation.Rating.Comment));
    }

    [Fact]
    public async Task ReportContactTakesThePhoneChannelOnly()
    {
        await using var visitor = await Server.Visitor();
        await visitor.Hello("/contact");
        await visitor.Connection.InvokeAsync("ReportContact", new { channel = "phone" });
        Assert.Contains("channel must be \"phone\"", (await Assert.ThrowsAsync<HubException>(() => visitor.Connection.InvokeAsync("ReportContact", new { channel = "fax" }))).Message);
    }

    [Fact]
    public async Task AgentSeesEarlierContactsOfTheSamePhoneFromAnotherVisitorId()
    {
        await using var first = await Server.Visitor();
        var firstHello = await first.Hello("/returns");
        var callback = await first.Connection.InvokeAsync<ReferenceResult>("RequestCallback", new RequestCallbackRequest("+46 70 123 45 67", "Eva", "return label"));

        var agent = await Server.Agent();
        await using var _ = agent;
        await agent.Online(capacity: 50);
        await using var second = await Server.Visitor(); // another device: a new visitor id
        var secondHello = await second.Hello("/returns");
        Assert.NotEqual(firstHello.VisitorId, secondHello.VisitorId);
        await second.Connection.InvokeAsync<ReferenceResult>("RequestCallback", new RequestCallbackRequest("0046701234567", "Eva", null));
        var chat = await second.StartChat("I asked for a call yesterday");
        await agent.Assigned.Next(a => a.Conversation.ConversationId == chat.ConversationId);

        var detail = await agent.GetConversation(chat.ConversationId);
        var earlier = Assert.Single(detail.EarlierContacts!, c => c.VisitorId == firstHello.VisitorId);
        Assert.Equal(("callback", callback.Reference, "phone"), (earlier.Kind, earlier.Reference, earlier.Via));
        Assert.Contains(detail.EarlierContacts!, c => c.VisitorId == secondHello.VisitorId && c.Kind == "callback");
    }

    [Fact]
    public async Task StatsReturnUpliftWithItsIntervalAndTheSameAsCsv()
    {
        // Constructed data straight into the book: 400 invited (40 ordered), 100 held out (5 ordered).
        var at = DateTimeOffset.UtcNow.AddMinutes(-5);
        const string Situation = "Constructed, cart";
        for (var i = 0; i < 400; i++) await Put(new StatEvent(StatKind.Invited, "constructed", Situation, at, Variant: i % 2));
        for (var i = 0; i < 40; i++) await Put(new StatEvent(StatKind.ConversionInvited, "constructed", Situation, at, Variant: 0));
        for (var i = 0; i < 100; i++) await Put(new StatEvent(StatKind.HeldOut, "constructed", Situation, at));
        for (var i = 0; i < 5; i++) await Put(new StatEvent(StatKind.ConversionHeldOut, "constructed", Situation, at));
        await Put(new StatEvent(StatKind.Rated, "constructed", Situation, at, AgentId: "demo", Score: 5));
        await Put(new StatEvent(StatKind.Rated, "constructed", Situation, at, AgentId: "demo", Score: 2));
        await Put(new StatEvent(StatKind.Contact, "constructed", Situation, at, Channel: ContactChannels.Callback));
        await Put(new StatEvent(StatKind.Contact, "constructed", Situation, at, Channel: ContactChannels.Phone));
        await Put(new StatEvent(StatKind.RepeatContact, "constructed", Situation, at, Channel: ContactChannels.Phone));
        var expected = Uplift.Estimate(400, 40, 100, 5)!;

        using var http = await SignedIn();
        using var json = JsonDocument.Parse(await http.GetStringAsync("/api/sites/demo/stats"));
        Assert.Equal(100, json.RootElement.GetProperty("minimumPerGroup").GetInt32());
        var s = json.RootElement.GetProperty("situations").EnumerateArray().Single(x => x.GetProperty("situation").GetString() == Situation);
        Assert.Equal((400, 100, 40, 5), (s.GetProperty("invited").GetInt32(), s.GetProperty("heldOut").GetInt32(),
            s.GetProperty("conversionsInvited").GetInt32(), s.GetProperty("conversionsHeldOut").GetInt32()));
        var uplift = s.GetProperty("uplift");
        Assert.Equal(0.05, uplift.GetProperty("value").GetDouble(), 10);
        Assert.Equal(expected.Low, uplift.GetProperty("low").GetDouble(), 10);
        Assert.Equal(expected.High, uplift.GetProperty("high").GetDouble(), 10);
        Assert.True(uplift.GetProperty("low").GetDouble() < 0.05 && uplift.GetProperty("high").GetDouble() > 0.05);
        Assert.Equal(2, s.GetProperty("variants").GetArrayLength());
        Assert.Equal(200, s.GetProperty("variants")[0].GetProperty("invited").GetInt32());
        Assert.Equal(40, s.GetProperty("variants")[0].GetProperty("conversions").GetInt32());
        Assert.Equal(2, s.GetProperty("satisfaction").GetProperty("responses").GetInt32());
        Assert.Equal(3.5, s.GetProperty("satisfaction").GetProperty("average").GetDouble());
        Assert.Equal(1, s.GetProperty("channels").GetProperty("callback").GetInt32());
        Assert.Equal(1, s.GetProperty("channels").GetProperty("phone").GetInt32());
        Assert.Equal(0, s.GetProperty("channels").GetProperty("chatFromInvitation").GetInt32());
        Assert.Equal(0.5, s.GetProperty("repeatContactRate").GetDouble());
        Assert.Contains(json.RootElement.GetProperty("agents").EnumerateArray(), a => a.GetProperty("agentId").GetString() == "demo");

        var csv = await http.GetAsync("/api/sites/demo/stats.csv");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');
        var row = lines.Single(l => l.Contains(Situation, StringComparison.Ordinal));
        var cells = row.Replace($"\"{Situation}\"", "SITUATION").Split(',');
        string Cell(string name) => cells[Array.IndexOf(header, name)];
        Assert.Equal(("400", "100", "40", "5", "0.05"), (Cell("invited"), Cell("heldOut"), Cell("conversionsInvited"), Cell("conversionsHeldOut"), Cell("upliftValue")));
        Assert.Equal(Math.Round(expected.Low, 6).ToString("0.######", System.Globalization.CultureInfo.InvariantCulture), Cell("upliftLow"));
        Assert.Equal(("2", "3.5", "0.5", "1"), (Cell("satisfactionResponses"), Cell("satisfactionAverage"), Cell("repeatContactRate"), Cell("channels.phone")));
        Assert.Contains(lines, l => l.StartsWith("agent,demo,", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UpliftIsNullUntilBothGroupsHaveEnoughVisitors()
    {
        var at = DateTimeOffset.UtcNow.AddMinutes(-5);
        for (var i = 0; i < 150; i++) await Put(new StatEvent(StatKind.Invited, "small", "Too few held out", at));
        for (var i = 0; i < 99; i++) await Put(new StatEvent(StatKind.HeldOut, "small", "Too few held out", at));

        using var http = await SignedIn();
        using var json = JsonDocument.Parse(await http.GetStringAsync("/api/sites/demo/stats"));
        var s = json.RootElement.GetProperty("situations").EnumerateArray().Single(x => x.GetProperty("situation").GetString() == "Too few held out");
        Assert.Equal(JsonValueKind.Null, s.GetProperty("uplift").ValueKind);
        Assert.Equal(99, s.GetProperty("heldOut").GetInt32());
    }

    [Fact]
    public async Task CsvQuotesTextAndDefusesFormulas()
    {
        await Put(new StatEvent(StatKind.HeldOut, "formula", "=HYPERLINK(\"http://x\",\"a, b\")", DateTimeOffset.UtcNow.AddMinutes(-1)));
        using var http = await SignedIn();
        var csv = await http.GetStringAsync("/api/sites/demo/stats.csv");
        Assert.Contains("\r\nsituation,\"'=HYPERLINK(\"\"http://x\"\",\"\"a, b\"\")\",formula,", csv);
    }

    [Fact]
    public async Task StatsCsvNeedsAnAgentOfTheSite()
    {
        using var anonymous = Server.Http();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/sites/demo/stats.csv")).StatusCode);
        using var http = await SignedIn();
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/api/sites/elsewhere/stats.csv")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("/api/sites/demo/stats.csv?from=2026-03-02T10:00:00Z&to=2026-03-01T10:00:00Z")).StatusCode);
    }
}
