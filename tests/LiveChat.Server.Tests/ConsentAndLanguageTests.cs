using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LiveChat.Contracts;
using LiveChat.Server.Auth;
using LiveChat.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveChat.Server.Tests;

/// <summary>
/// Issue 20: the public widget settings a consent-first widget reads before any socket, and the console's language
/// kept with the agent on the server.
/// </summary>
public sealed class ConsentAndLanguageTests(ConsentAndLanguageTests.Fixture fixture) : IClassFixture<ConsentAndLanguageTests.Fixture>
{
    public sealed class Fixture : ServerFixture
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["LiveChat:Sites:eu:AllowedOrigins:0"] = "loopback",
            ["LiveChat:Sites:eu:ConsentRequired"] = "true",
            ["LiveChat:Sites:eu:PhoneNumber"] = "+31 20 555 0100",
            ["LiveChat:Sites:shop:AllowedOrigins:0"] = "loopback",
            ["LiveChat:Agents:0:Id"] = "anna",
            ["LiveChat:Agents:0:Name"] = "Anna",
            ["LiveChat:Agents:0:Sites:0"] = "eu",
            ["LiveChat:Agents:0:Sites:1"] = "shop",
            ["LiveChat:Agents:0:PasswordHash"] = AgentAccounts.Hash("anna-pw"),
        };
    }

    private TestServer Server => fixture.Server;

    [Theory]
    [InlineData("eu", true, "+31 20 555 0100")]
    [InlineData("shop", false, null)]
    public async Task WidgetSettingsSayWhetherToWaitForConsentWithoutACookie(string site, bool consentRequired, string? phone)
    {
        using var http = Server.Http();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/widget/{site}");
        request.Headers.Add("Origin", "http://localhost:8080");
        var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new WidgetSiteView(consentRequired, phone), await response.Content.ReadFromJsonAsync<WidgetSiteView>(JsonSerializerOptions.Web));
        Assert.True(response.Headers.CacheControl?.Public);
        Assert.Equal(TimeSpan.FromMinutes(5), response.Headers.CacheControl?.MaxAge);
        Assert.False(response.Headers.Contains("Set-Cookie"));
        Assert.Equal("http://localhost:8080", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Fact]
    public async Task WidgetSettingsOfAnUnknownSiteAre404NamingTheField()
    {
        using var http = Server.Http();
        var response = await http.GetAsync("/api/widget/nope");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("siteId", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ConsoleLanguageIsKeptWithTheAgentAndAnsweredBySignInAndMe()
    {
        var cookies = new CookieContainer();
        using var http = Server.Http(cookies);
        var login = await (await http.PostAsJsonAsync("/api/auth/login", new { agentId = "anna", password = "anna-pw" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("en", login.GetProperty("language").GetString());

        await using var agent = await TestAgent.Connect(Server.Url, cookies);
        var refused = await Assert.ThrowsAsync<HubException>(() => agent.Connection.InvokeAsync<string>("SetLanguage", new SetLanguageRequest("de")));
        Assert.Contains("language must be \"en\" or \"nl\"", refused.Message);
        Assert.Equal("nl", await agent.Connection.InvokeAsync<string>("SetLanguage", new SetLanguageRequest("nl")));

        var me = await http.GetFromJsonAsync<JsonElement>("/api/auth/me");
        Assert.Equal("nl", me.GetProperty("language").GetString());
        // Another device signing in gets the same language.
        using var other = Server.Http();
        var again = await (await other.PostAsJsonAsync("/api/auth/login", new { agentId = "anna", password = "anna-pw" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("nl", again.GetProperty("language").GetString());
    }
}
