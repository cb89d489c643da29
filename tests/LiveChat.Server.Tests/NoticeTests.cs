using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using LiveChat.Contracts;
using LiveChat.Server.Auth;
using LiveChat.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Time.Testing;
using static LiveChat.Server.Notices.NoticesApi;

namespace LiveChat.Server.Tests;

/// <summary>Proactive service notices through the admin API and real visitor connections. Each test uses its own pages.</summary>
public sealed class NoticeTests(NoticeTests.Fixture fixture) : IClassFixture<NoticeTests.Fixture>
{
    private const string Site = "shop";

    public sealed class Fixture : ServerFixture
    {
        /// <summary>The server's clock: the status rule's 1 s and a notice's expiry are <c>Advance</c>s, not waits.</summary>
        public FakeTimeProvider FakeClock { get; } = new(DateTimeOffset.UtcNow);

        protected override TimeProvider Clock => FakeClock;

        protected override IDictionary<string, string?> Settings
        {
            get
            {
                var settings = new Dictionary<string, string?> { ["LiveChat:Sites:shop:AllowedOrigins:0"] = "loopback" };
                new AgentSettings()
                    .Add("admin", "s3cret-admin", sites: ["shop"], roles: ["admin"])
                    .Add("plain", "s3cret-plain", sites: ["shop"], roles: ["agent"])
                    .AddTo(settings);
                return settings;
            }
        }

        protected override async Task OnStarted(TestServer server)
        {
            using var admin = await SignIn(server, "admin", "s3cret-admin");
            var rules = """
            [ { "id": "status-help", "when": { "pageMatches": "/status/*", "timeOnPageSeconds": 1 },
                "then": { "text": "Can we help?" }, "onlyIfAgentAvailable": false, "maxPerVisit": null, "suppressDuringNotice": true } ]
            """;
            (await admin.PutAsync($"/api/sites/{Site}/rules", Json(rules))).EnsureSuccessStatusCode();
        }
    }

    private TestServer Server => fixture.Server;

    [Fact]
    public async Task PostedNoticeReachesExactlyTheVisitorsOnMatchingPages()
    {
        await using var onSale = await Visitor("/live/sale");
        await using var onSaleToo = await Visitor("/live/sale/shoes?size=42");
        await using var elsewhere = await Visitor("/elsewhere");
        using var admin = await Admin();

        var clock = Stopwatch.StartNew();
        var created = await Post(admin, new { text = "Card payments are down; we are on it.", severity = "outage", pageMatches = "/live/*", link = "https://status.example/" });

        var first = await onSale.Notices.Next();
        var second = await onSaleToo.Notices.Next();
        var latency = clock.Elapsed;
        Assert.Equal(new NoticeView(created.NoticeId, "Card payments are down; we are on it.", "outage", "https://status.example/", "/live/*", null), first);
        Assert.Equal(first, second);
        Assert.True(latency < TimeSpan.FromSeconds(3), $"pushed after {latency}");
        Assert.True(await elsewhere.Notices.StaysEmpty(1.5));
        Assert.True(await onSale.Notices.StaysEmpty(0.2), "each visitor hears it once");
    }

    [Fact]
    public async Task NewVisitorGetsTheActiveMatchingNoticesInHello()
    {
        using var admin = await Admin();
        var created = await Post(admin, new { text = "Deliveries are a day late this week.", severity = "warning", pageMatches = "/hello/*" });

        await using var matching = await Server.Visitor(Site);
        var hello = await matching.Hello("/hello/checkout");
        await using var other = await Server.Visitor(Site);
        var otherHello = await other.Hello("/not-hello");

        var notice = Assert.Single(hello.Notices);
        Assert.Equal(created.NoticeId, notice.NoticeId);
        Assert.Equal("warning", notice.Severity);
        Assert.DoesNotContain(otherHello.Notices, n => n.NoticeId == created.NoticeId);
        Assert.True(await matching.Notices.StaysEmpty(1), "Hello's result carries it; no push on top");
    }

    [Fact]
    public async Task NavigatingOntoAMatchingPageDeliversItAndLeavingClearsIt()
    {
        using var admin = await Admin();
        var created = await Post(admin, new { text = "Sale prices apply at checkout.", severity = "info", pageMatches = "/nav/sale*" });
        await using var visitor = await Visitor("/nav/home");

        await visitor.PageView("/nav/sale/today");
        Assert.Equal(created.NoticeId, (await visitor.Notices.Next()).NoticeId);

        await visitor.PageView("/nav/sale/tomorrow");
        Assert.True(await visitor.Notices.StaysEmpty(0.5), "still shown: not sent again");

        await visitor.PageView("/nav/home");
        Assert.Equal(created.NoticeId, (await visitor.NoticesCleared.Next()).NoticeId);
    }

    [Fact]
    public async Task DeletingClearsItLiveAndUpdatingResendsIt()
    {
        await using var visitor = await Visitor("/del/page");
        using var admin = await Admin();
        var created = await Post(admin, new { text = "Old words", severity = "info", pageMatches = "/del/*" });
        Assert.Equal("Old words", (await visitor.Notices.Next()).Text);

        var updated = await admin.PutAsync($"/api/sites/{Site}/notices/{created.NoticeId}", JsonOf(new { text = "New words", severity = "warning", pageMatches = "/del/*" }));
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        var resent = await visitor.Notices.Next();
        Assert.Equal((created.NoticeId, "New words", "warning"), (resent.NoticeId, resent.Text, resent.Severity));

        var deleted = await admin.DeleteAsync($"/api/sites/{Site}/notices/{created.NoticeId}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(created.NoticeId, (await visitor.NoticesCleared.Next()).NoticeId);
        Assert.DoesNotContain((await List(admin)).Notices, n => n.NoticeId == created.NoticeId);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"/api/sites/{Site}/notices/{created.NoticeId}")).StatusCode);
    }

    [Fact]
    public async Task ExpiryClearsItAtItsInstant()
    {
        await using var visitor = await Visitor("/expiry/page");
        using var admin = await Admin();
        var expiresAt = fixture.FakeClock.GetUtcNow().AddSeconds(2);
        var created = await Post(admin, new { text = "Maintenance until 2 pm.", severity = "info", pageMatches = "/expiry/*", expiresAt });
        Assert.Equal(created.NoticeId, (await visitor.Notices.Next()).NoticeId);
        fixture.FakeClock.Advance(TimeSpan.FromSeconds(1.9));
        Assert.True(await visitor.NoticesCleared.StaysEmpty(0.4), "cleared before its expiry");

        fixture.FakeClock.Advance(TimeSpan.FromSeconds(0.1));
        var cleared = await visitor.NoticesCleared.Next();

        Assert.Equal(created.NoticeId, cleared.NoticeId);
        Assert.DoesNotContain((await List(admin)).Notices, n => n.NoticeId == created.NoticeId);
    }

    [Fact]
    public async Task OutageNoticeHoldsBackSuppressibleInvitationsUntilItIsGone()
    {
        using var admin = await Admin();
        var created = await Post(admin, new { text = "Our status page is down.", severity = "outage", pageMatches = "/status/down*" });
        await using var visitor = await Server.Visitor(Site);
        var hello = await visitor.Hello("/status/down");
        Assert.Contains(hello.Notices, n => n.NoticeId == created.NoticeId);

        fixture.FakeClock.Advance(TimeSpan.FromSeconds(5));
        Assert.True(await visitor.Invitations.StaysEmpty(0.4), "the rule waits 1 s, but the outage covers the page");

        (await admin.DeleteAsync($"/api/sites/{Site}/notices/{created.NoticeId}")).EnsureSuccessStatusCode();
        Assert.Equal("status-help", (await visitor.Invitations.Next(seconds: 5)).RuleId);
    }

    [Fact]
    public async Task InfoNoticeDoesNotHoldBackInvitations()
    {
        using var admin = await Admin();
        await Post(admin, new { text = "New opening hours from Monday.", severity = "info", pageMatches = "/status/info*" });
        await using var visitor = await Visitor("/status/info");
        fixture.FakeClock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal("status-help", (await visitor.Invitations.Next(seconds: 5)).RuleId);
    }

    [Fact]
    public async Task StatsCountVisitorsWhoSawItAndThoseWhoStillContactedUs()
    {
        using var admin = await Admin();
        var created = await Post(admin, new { text = "Phones are busy today.", severity = "warning", pageMatches = "/stats/*" });
        await using var reader = await Visitor("/stats/a");
        await reader.PageView("/stats/b"); // the same visitor on another page counts once
        await using var chatter = await Visitor("/stats/c");
        await chatter.StartChat("Is my order affected?");
        await using var caller = await Visitor("/stats/d");
        await caller.Connection.InvokeAsync<ReferenceResult>("RequestCallback", new RequestCallbackRequest("+46 70 123 45 67", "Ada", null));
        await using var unaware = await Visitor("/no-stats");
        await unaware.StartChat("Hello?");

        var stats = await Eventually(async () => (await List(admin)).Notices.Single(n => n.NoticeId == created.NoticeId).Stats,
            s => s is { Seen: 3, ContactedAfter: 2 });

        Assert.Equal(new NoticeStats(3, 2), stats);
    }

    public static TheoryData<string, string> BadNotices => new()
    {
        { """{ "severity": "info" }""", "text" },
        { $$"""{ "text": "{{new string('x', 501)}}", "severity": "info" }""", "text" },
        { """{ "text": 42, "severity": "info" }""", "text" },
        { """{ "text": "Hi" }""", "severity" },
        { """{ "text": "Hi", "severity": "fatal" }""", "severity" },
        { """{ "text": "Hi", "severity": "info", "pageMatches": "regex:(unclosed" }""", "pageMatches" },
        { """{ "text": "Hi", "severity": "info", "pageMatches": "loans/*" }""", "pageMatches" },
        { """{ "text": "Hi", "severity": "info", "link": "javascript:alert(1)" }""", "link" },
        { """{ "text": "Hi", "severity": "info", "link": "/relative" }""", "link" },
        { """{ "text": "Hi", "severity": "info", "expiresAt": "2001-01-01T00:00:00Z" }""", "expiresAt" },
        { $$"""{ "text": "Hi", "severity": "info", "expiresAt": "{{DateTimeOffset.UtcNow.AddDays(31):O}}" }""", "expiresAt" },
        { """{ "text": "Hi", "severity": "info", "expiresAt": "tomorrow" }""", "expiresAt" },
        { """{ "text": "Hi", "severity": "info", "colour": "red" }""", "colour" },
        { """[ "not", "an", "object" ]""", "JSON object" },
    };

    [Theory]
    [MemberData(nameof(BadNotices))]
    public async Task RefusedNoticesNameTheField(string body, string field)
    {
        using var admin = await Admin();

        var response = await admin.PostAsync($"/api/sites/{Site}/notices", Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, (await response.Content.ReadFromJsonAsync<ErrorBody>())!.Detail);
    }

    [Fact]
    public async Task NoticesNeedSignInAndTheAdminRole()
    {
        using var anonymous = Server.Http();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/sites/{Site}/notices")).StatusCode);

        using var plain = await SignIn(Server, "plain", "s3cret-plain");
        var body = new { text = "Hi", severity = "info" };
        Assert.Equal(HttpStatusCode.OK, (await plain.GetAsync($"/api/sites/{Site}/notices")).StatusCode); // agents read, to answer customers
        Assert.Equal(HttpStatusCode.Forbidden, (await plain.PostAsync($"/api/sites/{Site}/notices", JsonOf(body))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await plain.PutAsync($"/api/sites/{Site}/notices/n-1", JsonOf(body))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await plain.DeleteAsync($"/api/sites/{Site}/notices/n-1")).StatusCode);

        using var admin = await Admin();
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/sites/elsewhere/notices")).StatusCode);
    }

    private async Task<TestVisitor> Visitor(string path)
    {
        var visitor = await Server.Visitor(Site);
        await visitor.Hello(path);
        return visitor;
    }

    private Task<HttpClient> Admin() => SignIn(Server, "admin", "s3cret-admin");

    private static async Task<HttpClient> SignIn(TestServer server, string agentId, string password)
    {
        var http = server.Http();
        (await http.PostAsJsonAsync("/api/auth/login", new { agentId, password })).EnsureSuccessStatusCode();
        return http;
    }

    private static async Task<NoticeResponse> Post(HttpClient admin, object notice)
    {
        var response = await admin.PostAsync($"/api/sites/{Site}/notices", JsonOf(notice));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var created = (await response.Content.ReadFromJsonAsync<NoticeResponse>())!;
        Assert.Equal($"/api/sites/{Site}/notices/{created.NoticeId}", response.Headers.Location?.ToString());
        return created;
    }

    private static async Task<NoticeList> List(HttpClient admin) => (await admin.GetFromJsonAsync<NoticeList>($"/api/sites/{Site}/notices"))!;

    /// <summary>Stats arrive one-way: poll briefly until they settle.</summary>
    private static async Task<T> Eventually<T>(Func<Task<T>> read, Func<T, bool> done, double seconds = 5)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var value = await read();
            if (done(value) || DateTime.UtcNow > deadline) return value;
            await Task.Delay(100);
        }
    }

    private static StringContent Json(string body) => new(body, System.Text.Encoding.UTF8, "application/json");
    private static StringContent JsonOf(object body) => Json(System.Text.Json.JsonSerializer.Serialize(body, System.Text.Json.JsonSerializerOptions.Web));

    private sealed record ErrorBody(string Detail);
}
