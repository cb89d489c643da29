using System.Net;
using System.Net.Http.Json;
using LiveChat.Server.Auth;
using LiveChat.Server.Tests.Infrastructure;

namespace LiveChat.Server.Tests;

/// <summary>Sign-in, the rules API and health over real HTTP.</summary>
public sealed class RestTests(RestTests.Fixture fixture) : IClassFixture<RestTests.Fixture>
{
    public sealed class Fixture : ServerFixture
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["LiveChat:Sites:shop:AllowedOrigins:0"] = "loopback",
            ["LiveChat:Sites:shop:PhoneNumber"] = "+1 555 0199",
            ["LiveChat:Agents:0:Id"] = "admin",
            ["LiveChat:Agents:0:Name"] = "Admin",
            ["LiveChat:Agents:0:Sites:0"] = "shop",
            ["LiveChat:Agents:0:Roles:0"] = "admin",
            ["LiveChat:Agents:0:PasswordHash"] = AgentAccounts.Hash("s3cret-admin"),
            ["LiveChat:Agents:1:Id"] = "plain",
            ["LiveChat:Agents:1:Name"] = "Plain Agent",
            ["LiveChat:Agents:1:Sites:0"] = "shop",
            ["LiveChat:Agents:1:Roles:0"] = "agent",
            ["LiveChat:Agents:1:PasswordHash"] = AgentAccounts.Hash("s3cret-plain"),
            ["LiveChat:Agents:2:Id"] = "lockme",
            ["LiveChat:Agents:2:Sites:0"] = "shop",
            ["LiveChat:Agents:2:PasswordHash"] = AgentAccounts.Hash("right"),
        };
    }

    private TestServer Server => fixture.Server;

    private async Task<HttpClient> SignedIn(string agentId, string password)
    {
        var http = Server.Http();
        (await http.PostAsJsonAsync("/api/auth/login", new { agentId, password })).EnsureSuccessStatusCode();
        return http;
    }

    [Theory]
    [InlineData("admin", "wrong")]
    [InlineData("nobody", "s3cret-admin")]
    [InlineData("", "")]
    public async Task UnauthorizedForInvalidCredentials(string agentId, string password)
    {
        using var http = Server.Http();
        var response = await http.PostAsJsonAsync("/api/auth/login", new { agentId, password });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task LockedOutAfterRepeatedFailures()
    {
        using var http = Server.Http();
        for (var i = 0; i < AgentAccounts.MaxFailures; i++)
            await http.PostAsJsonAsync("/api/auth/login", new { agentId = "lockme", password = "wrong" });

        var response = await http.PostAsJsonAsync("/api/auth/login", new { agentId = "lockme", password = "right" });

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
    }

    [Fact]
    public async Task DemoAccountsAreNotSeededWhenSitesAreConfigured()
    {
        using var http = Server.Http();
        var response = await http.PostAsJsonAsync("/api/auth/login", new { agentId = "demo", password = "demo" });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task RulesNeedSignInAndTheAdminRole()
    {
        using var anonymous = Server.Http();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/sites/shop/rules")).StatusCode);

        using var plain = await SignedIn("plain", "s3cret-plain");
        Assert.Equal(HttpStatusCode.Forbidden, (await plain.GetAsync("/api/sites/shop/rules")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await plain.PutAsync("/api/sites/shop/rules", Json("[]"))).StatusCode);
    }

    public static TheoryData<string, string> BadRules => new()
    {
        { "{ not json", "invalid JSON" },
        { """[{"id":"a","when":{},"then":{"text":"x"},"colour":"red"}]""", "colour" },
        { """[{"id":"a","when":{"timeOnPageSeconds":"soon"},"then":{"text":"x"}}]""", "timeOnPageSeconds" },
        { """[{"id":"a","when":{"timeOnPageSeconds":-5},"then":{"text":"x"}}]""", "rule 'a': when.timeOnPageSeconds" },
        { """[{"id":"a","when":{"pageMatches":"regex:(unclosed"},"then":{"text":"x"}}]""", "rule 'a': when.pageMatches" },
        { """[{"id":"a","when":{},"then":{"text":"x"}},{"id":"a","when":{},"then":{"text":"y"}}]""", "rule 'a': id is used by another rule" },
        { """[{"id":"a","when":{},"then":{"text":""}}]""", "rule 'a': then.text" },
        { """[{"id":"a","when":{},"then":{"text":"x","offers":["fax"]}}]""", "rule 'a': then.offers" },
    };

    [Theory]
    [MemberData(nameof(BadRules))]
    public async Task RefusedRulesNameTheFieldAndChangeNothing(string body, string expected)
    {
        using var admin = await SignedIn("admin", "s3cret-admin");
        var before = await admin.GetFromJsonAsync<RulesBody>("/api/sites/shop/rules");

        var response = await admin.PutAsync("/api/sites/shop/rules", Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, (await response.Content.ReadFromJsonAsync<ErrorBody>())!.Detail);
        var after = await admin.GetFromJsonAsync<RulesBody>("/api/sites/shop/rules");
        Assert.Equal(before!.Version, after!.Version);
    }

    [Fact]
    public async Task AcceptedRulesGetANewVersion()
    {
        using var admin = await SignedIn("admin", "s3cret-admin");
        var before = await admin.GetFromJsonAsync<RulesBody>("/api/sites/shop/rules");

        var response = await admin.PutAsync("/api/sites/shop/rules", Json("""[{"id":"ok","when":{"pageMatches":"/x*"},"then":{"text":"Hi"}}]"""));

        response.EnsureSuccessStatusCode();
        var after = await admin.GetFromJsonAsync<RulesBody>("/api/sites/shop/rules");
        Assert.Equal(before!.Version + 1, after!.Version);
    }

    [Fact]
    public async Task AnotherSitesRulesAreNotFound()
    {
        using var admin = await SignedIn("admin", "s3cret-admin");
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/sites/demo/rules")).StatusCode);
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task HealthEndpointsAnswer(string path)
    {
        using var http = Server.Http();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task SecurityHeadersAreSent()
    {
        using var http = Server.Http();
        var response = await http.GetAsync("/agent/login");
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("default-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single());
    }

    private static StringContent Json(string body) => new(body, System.Text.Encoding.UTF8, "application/json");

    private sealed record RulesBody(long Version);
    private sealed record ErrorBody(string Detail);
}
