using System.Net;
using System.Net.Http.Json;
using LiveChat.Contracts;
using LiveChat.Server.Auth;
using LiveChat.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveChat.Server.Tests;

/// <summary>
/// Every visitor's language (issue 20) on the wire: system messages as codes with parameters, the site's language and
/// currency in Hello, site-written text (rules, notices, canned responses) per language, and validation that names the
/// field and the bad tag. Site "winkel" speaks Dutch by default.
/// </summary>
public sealed class LanguageTests(LanguageTests.Fixture fixture) : IClassFixture<LanguageTests.Fixture>
{
    private const string Site = "winkel";

    public sealed class Fixture : ServerFixture
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["LiveChat:Sites:winkel:AllowedOrigins:0"] = "loopback",
            ["LiveChat:Sites:winkel:Language"] = "nl",
            ["LiveChat:Sites:winkel:Currency"] = "EUR",
            ["LiveChat:Sites:winkel:CannedResponses:0:Shortcut"] = "/hoi",
            ["LiveChat:Sites:winkel:CannedResponses:0:Text:nl"] = "Hoi! Waarmee kan ik je helpen?",
            ["LiveChat:Sites:winkel:CannedResponses:0:Text:en"] = "Hi! How can I help?",
            ["LiveChat:Sites:winkel:CannedResponses:1:Shortcut"] = "/bye",
            ["LiveChat:Sites:winkel:CannedResponses:1:Text"] = "Tot ziens!",
            ["LiveChat:Agents:0:Id"] = "anna",
            ["LiveChat:Agents:0:Name"] = "Anna",
            ["LiveChat:Agents:0:Sites:0"] = "winkel",
            ["LiveChat:Agents:0:Roles:0"] = "admin",
            ["LiveChat:Agents:0:PasswordHash"] = AgentAccounts.Hash("s3cret-anna"),
        };

        protected override async Task OnStarted(TestServer server)
        {
            using var admin = await SignIn(server);
            var rules = """
                [ { "id": "talen", "when": { "pageMatches": "/talen/*" },
                    "then": { "text": { "nl": "Kunnen we helpen?", "en": "Can we help?", "de-AT": "Können wir helfen?" } },
                    "onlyIfAgentAvailable": false, "maxPerVisit": null } ]
                """;
            (await admin.PutAsync($"/api/sites/{Site}/rules", Json(rules))).EnsureSuccessStatusCode();
        }
    }

    private TestServer Server => fixture.Server;

    [Fact]
    public async Task HelloCarriesTheSitesLanguageAndCurrency()
    {
        await using var visitor = await Server.Visitor(Site);
        var hello = await visitor.Hello("/", languages: ["en-GB"]);
        Assert.Equal(("nl", "EUR"), (hello.Site.Language, hello.Site.Currency));
    }

    [Theory]
    [InlineData(new[] { "nl-BE", "en" }, "Kunnen we helpen?")]
    [InlineData(new[] { "en-GB" }, "Can we help?")]
    [InlineData(new[] { "de-AT", "de" }, "Können wir helfen?")]
    [InlineData(new[] { "fr-FR", "fr" }, "Kunnen we helpen?")] // none of theirs: the site's default
    [InlineData(new string[0], "Kunnen we helpen?")]
    public async Task RuleTextComesInTheVisitorsLanguageElseTheSitesDefault(string[] languages, string expected)
    {
        await using var visitor = await Server.Visitor(Site);
        await visitor.Hello("/talen/a", languages: languages);
        var invitation = await visitor.Invitations.Next();
        Assert.Equal(expected, invitation.Text);
    }

    [Theory]
    [InlineData("nl_NL", "languages[0]: 'nl_NL' is not a language tag")]
    [InlineData("<script>", "languages[0]: '<script>' is not a language tag")]
    public async Task HelloRefusesABadLanguageTagByName(string tag, string message)
    {
        await using var visitor = await Server.Visitor(Site);
        var e = await Assert.ThrowsAsync<HubException>(() => visitor.Hello("/", languages: [tag]));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public async Task SystemMessagesTravelAsCodesWithParametersAndTheirEnglish()
    {
        await using var agent = await Agent();
        await agent.Online(capacity: 5);
        await using var visitor = await Server.Visitor(Site);
        await visitor.Hello("/help", languages: ["nl"]);
        var started = await visitor.StartChat("Hallo");
        await agent.Assigned.Next(a => a.Conversation.ConversationId == started.ConversationId);

        var joined = await visitor.Messages.Next(m => m.From == Senders.System);
        Assert.Equal((SystemText.AgentJoined, "Anna", "Anna joined the chat."), (joined.Code, joined.Params?["agent"], joined.Text));
        var resynced = await visitor.GetMessages();
        Assert.Contains(resynced, m => m.Code == SystemText.AgentJoined && m.Params?["agent"] == "Anna");
        await agent.Close(started.ConversationId);
        var ended = await visitor.Messages.Next(m => m.From == Senders.System && m.Code == SystemText.ChatEnded);
        Assert.Equal("The chat has ended.", ended.Text);
        Assert.Null(ended.Params);

        // The same codes in the agent's copy of the conversation.
        var detail = await agent.GetConversation(started.ConversationId);
        Assert.Contains(detail.Conversation.Messages, m => m.Code == SystemText.AgentJoined && m.Params?["agent"] == "Anna");
        // The agent's console picks canned responses in the visitor's language: it knows them from the summary.
        Assert.Equal(["nl"], detail.Visitor?.Languages);
    }

    [Theory]
    [InlineData("""{ "dutch": "Hoi" }""", "rule 'bad': then.text: 'dutch' is not a language tag")]
    [InlineData("""{ "nl": 5 }""", "rule 'bad': then.text.nl must be a string")]
    [InlineData("""{ "nl": "Hoi", "NL": "Hallo" }""", "rule 'bad': then.text: 'NL' is given twice")]
    [InlineData("""{ "nl": " " }""", "rule 'bad': then.text.nl is required")]
    [InlineData("""{ }""", "rule 'bad': then.text must name at least one language")]
    [InlineData("""[ "Hoi" ]""", "rule 'bad': then.text must be a string or an object of language")]
    public async Task RuleTextPerLanguageIsValidatedByFieldAndTag(string text, string message)
    {
        using var admin = await Admin();
        var response = await admin.PutAsync($"/api/sites/{Site}/rules",
            Json($$"""[ { "id": "bad", "when": { "pageMatches": "/x" }, "then": { "text": {{text}} } } ]"""));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task RulesGivenPerLanguageReadBackInTheSameShape()
    {
        using var admin = await Admin();
        using var rules = System.Text.Json.JsonDocument.Parse(await admin.GetStringAsync($"/api/sites/{Site}/rules"));
        var text = rules.RootElement.GetProperty("rules")[0].GetProperty("then").GetProperty("text");
        Assert.Equal(["nl", "en", "de-AT"], text.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Können wir helfen?", text.GetProperty("de-AT").GetString());
    }

    [Fact]
    public async Task NoticeTextPerLanguageReachesVisitorsWithTheSitesDefaultAsText()
    {
        using var admin = await Admin();
        await using var visitor = await Server.Visitor(Site);
        await visitor.Hello("/notice/a", languages: ["en"]);
        var response = await admin.PostAsync($"/api/sites/{Site}/notices",
            JsonOf(new { text = new Dictionary<string, string> { ["en"] = "Payments are delayed.", ["nl"] = "Betalingen zijn vertraagd." }, severity = "warning", pageMatches = "/notice/*" }));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var notice = await visitor.Notices.Next();
        Assert.Equal("Betalingen zijn vertraagd.", notice.Text);
        Assert.Equal("Payments are delayed.", notice.Texts?["en"]);
        var listed = await admin.GetStringAsync($"/api/sites/{Site}/notices");
        Assert.Contains("\"en\":\"Payments are delayed.\"", listed);
    }

    [Theory]
    [InlineData("""{ "nederlands": "Hoi" }""", "text: 'nederlands' is not a language tag")]
    [InlineData("""{ "nl": "" }""", "text.nl is required")]
    [InlineData("""{ "nl": ["Hoi"] }""", "text.nl must be a string")]
    [InlineData("""5""", "text must be a string or an object of language")]
    public async Task NoticeTextPerLanguageIsValidatedByFieldAndTag(string text, string message)
    {
        using var admin = await Admin();
        var response = await admin.PostAsync($"/api/sites/{Site}/notices", Json($$"""{ "text": {{text}}, "severity": "info" }"""));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task CannedResponsesComePerLanguageWithTheSitesDefaultAsText()
    {
        await using var agent = await Agent();
        var canned = await agent.Connection.InvokeAsync<IReadOnlyList<CannedResponseView>>("GetCannedResponses");
        var hoi = Assert.Single(canned, c => c.Shortcut == "/hoi");
        Assert.Equal("Hoi! Waarmee kan ik je helpen?", hoi.Text);
        Assert.Equal("Hi! How can I help?", hoi.Texts?["en"]);
        var bye = Assert.Single(canned, c => c.Shortcut == "/bye");
        Assert.Equal(("Tot ziens!", null), (bye.Text, bye.Texts));
    }

    [Theory]
    [InlineData("LiveChat:Sites:winkel:Language", "dutch", "LiveChat:Sites:winkel:Language: 'dutch' is not a language tag")]
    [InlineData("LiveChat:Sites:winkel:CannedResponses:0:Text:dutch", "Hoi", "LiveChat:Sites:winkel:CannedResponses:0:Text: 'dutch' is not a language tag")]
    public async Task ABadLanguageInConfigurationStopsTheStartNamingTheKey(string key, string value, string message)
    {
        var settings = new Dictionary<string, string?>
        {
            ["LiveChat:Sites:winkel:AllowedOrigins:0"] = "loopback",
            ["LiveChat:Sites:winkel:CannedResponses:0:Shortcut"] = "/hoi",
            ["LiveChat:Agents:0:Id"] = "anna",
            ["LiveChat:Agents:0:Sites:0"] = "winkel",
            ["LiveChat:Agents:0:PasswordHash"] = AgentAccounts.Hash("s3cret-anna"),
            [key] = value,
        };
        var e = await Assert.ThrowsAnyAsync<Exception>(async () => { await using var _ = await TestServer.Start(settings); });
        Assert.Contains(message, e.Message);
    }

    private sealed record CannedResponseView(string Shortcut, string Text, Dictionary<string, string>? Texts);

    private async Task<TestAgent> Agent()
    {
        var cookies = new CookieContainer();
        using var http = Server.Http(cookies);
        (await http.PostAsJsonAsync("/api/auth/login", new { agentId = "anna", password = "s3cret-anna" })).EnsureSuccessStatusCode();
        return await TestAgent.Connect(Server.Url, cookies);
    }

    private Task<HttpClient> Admin() => SignIn(Server);

    private static async Task<HttpClient> SignIn(TestServer server)
    {
        var http = server.Http();
        (await http.PostAsJsonAsync("/api/auth/login", new { agentId = "anna", password = "s3cret-anna" })).EnsureSuccessStatusCode();
        return http;
    }

    private static StringContent Json(string body) => new(body, System.Text.Encoding.UTF8, "application/json");
    private static StringContent JsonOf(object body) => Json(System.Text.Json.JsonSerializer.Serialize(body, System.Text.Json.JsonSerializerOptions.Web));
}
