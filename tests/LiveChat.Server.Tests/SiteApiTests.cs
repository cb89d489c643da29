using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LiveChat.Server.Auth;
using LiveChat.Server.Hosting;
using LiveChat.Server.Notices;
using LiveChat.Server.Sites;
using LiveChat.Server.Tests.Infrastructure;
using LiveChat.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LiveChat.Server.Tests;

/// <summary>The <c>/api/sites/{siteId}</c> route group: site access checked once for every route, every error a problem, the OpenAPI document.</summary>
public sealed class SiteApiTests(SiteApiTests.Fixture fixture) : IClassFixture<SiteApiTests.Fixture>
{
    public sealed class Fixture : ServerFixture
    {
        protected override IDictionary<string, string?> Settings => Sites.Settings();
    }

    internal static class Sites
    {
        public static IDictionary<string, string?> Settings() => new Dictionary<string, string?>
        {
            ["LiveChat:Sites:shop:AllowedOrigins:0"] = "loopback",
            ["LiveChat:Sites:other:AllowedOrigins:0"] = "loopback",
            ["LiveChat:Agents:0:Id"] = "admin",
            ["LiveChat:Agents:0:Sites:0"] = "shop",
            ["LiveChat:Agents:0:Roles:0"] = "admin",
            ["LiveChat:Agents:0:PasswordHash"] = AgentAccounts.Hash("s3cret-admin"),
            ["LiveChat:Agents:1:Id"] = "plain",
            ["LiveChat:Agents:1:Sites:0"] = "shop",
            ["LiveChat:Agents:1:Roles:0"] = "agent",
            ["LiveChat:Agents:1:PasswordHash"] = AgentAccounts.Hash("s3cret-plain"),
            ["LiveChat:Agents:2:Id"] = "other-admin",
            ["LiveChat:Agents:2:Sites:0"] = "other",
            ["LiveChat:Agents:2:Roles:0"] = "admin",
            ["LiveChat:Agents:2:PasswordHash"] = AgentAccounts.Hash("s3cret-other"),
        };

        public static async Task<HttpClient> SignIn(TestServer server, string agentId, string password)
        {
            var http = server.Http();
            (await http.PostAsJsonAsync("/api/auth/login", new { agentId, password })).EnsureSuccessStatusCode();
            return http;
        }
    }

    private TestServer Server => fixture.Server;

    /// <summary>Every route of the group, and whether only admins may call it. <see cref="TheTableListsEveryRouteOfTheGroup"/> keeps it complete.</summary>
    public static TheoryData<string, string, bool> SiteRoutes => new()
    {
        { "GET", "/rules", true },
        { "PUT", "/rules", true },
        { "GET", "/stats", false },
        { "GET", "/stats.csv", false },
        { "GET", "/notices", false },
        { "POST", "/notices", true },
        { "PUT", "/notices/{noticeId}", true },
        { "DELETE", "/notices/{noticeId}", true },
        { "GET", "/webhooks/deliveries", true },
        { "GET", "/email/deliveries", true },
        { "DELETE", "/visitors/{visitorId}", true },
    };

    [Fact]
    public void TheTableListsEveryRouteOfTheGroup()
    {
        var mapped = ApiRoutes(Server).Where(r => r.Pattern.StartsWith(SitesApi.Prefix + "/", StringComparison.Ordinal))
            .Select(r => $"{r.Method} {r.Pattern[SitesApi.Prefix.Length..]}").Order().ToList();
        var table = SiteRoutes.Select(row => $"{row.Data.Item1} {row.Data.Item2}").Order().ToList();
        Assert.Equal(table, mapped);
    }

    [Theory]
    [MemberData(nameof(SiteRoutes))]
    public async Task AnAdminOfAnotherSiteIsRefusedWithAProblem(string method, string route, bool adminOnly)
    {
        _ = adminOnly;
        using var stranger = await Sites.SignIn(Server, "other-admin", "s3cret-other");

        var response = await stranger.SendAsync(Request(method, "shop", route));

        var problem = await Problem(response, HttpStatusCode.NotFound);
        Assert.Contains("siteId", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [MemberData(nameof(SiteRoutes))]
    public async Task ASiteThatIsNotConfiguredIsNotFoundEvenForItsAdmin(string method, string route, bool adminOnly)
    {
        _ = adminOnly;
        using var admin = await Sites.SignIn(Server, "admin", "s3cret-admin");
        await Problem(await admin.SendAsync(Request(method, "nowhere", route)), HttpStatusCode.NotFound);
    }

    [Theory]
    [MemberData(nameof(SiteRoutes))]
    public async Task APlainAgentIsRefusedAdminRoutesWithAProblem(string method, string route, bool adminOnly)
    {
        using var plain = await Sites.SignIn(Server, "plain", "s3cret-plain");

        var response = await plain.SendAsync(Request(method, "shop", route));

        if (adminOnly) await Problem(response, HttpStatusCode.Forbidden);
        else Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [MemberData(nameof(SiteRoutes))]
    public async Task AnonymousCallersAreRefusedWithAProblem(string method, string route, bool adminOnly)
    {
        _ = adminOnly;
        using var anonymous = Server.Http();
        await Problem(await anonymous.SendAsync(Request(method, "shop", route)), HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("/rules", """[{"id":"a","when":{"timeOnPageSeconds":-5},"then":{"text":"x"}}]""", "rules", "rule 'a': when.timeOnPageSeconds")]
    [InlineData("/notices", """{ "text": "Hi", "severity": "info", "link": "javascript:alert(1)" }""", "link", "link")]
    [InlineData("/notices", """{ "text": "Hi", "severity": "loud" }""", "severity", "severity")]
    [InlineData("/notices", """{ "text": "Hi", "severity": "info", "colour": "red" }""", "body", "colour")]
    public async Task ABadBodyIsAValidationProblemNamingTheField(string route, string body, string field, string detail)
    {
        using var admin = await Sites.SignIn(Server, "admin", "s3cret-admin");

        var response = await admin.SendAsync(Request(route == "/rules" ? "PUT" : "POST", "shop", route, body));

        var problem = await Problem(response, HttpStatusCode.BadRequest);
        Assert.Contains(detail, problem.GetProperty("detail").GetString());
        var errors = problem.GetProperty("errors").EnumerateObject().ToList();
        Assert.Equal(field, Assert.Single(errors).Name);
        Assert.Equal(problem.GetProperty("detail").GetString(), Assert.Single(errors[0].Value.EnumerateArray()).GetString());
    }

    [Fact]
    public async Task AWindowThatEndsBeforeItStartsIsAValidationProblem()
    {
        using var plain = await Sites.SignIn(Server, "plain", "s3cret-plain");
        var problem = await Problem(await plain.GetAsync("/api/sites/shop/stats?from=2026-03-02T10:00:00Z&to=2026-03-01T10:00:00Z"), HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("from", out _));
    }

    [Fact]
    public async Task AnUnknownNoticeIsAProblemNamingIt()
    {
        using var admin = await Sites.SignIn(Server, "admin", "s3cret-admin");
        var problem = await Problem(await admin.DeleteAsync("/api/sites/shop/notices/n-missing"), HttpStatusCode.NotFound);
        Assert.Contains("noticeId", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task AChangeFromAForeignOriginIsAProblem()
    {
        using var admin = await Sites.SignIn(Server, "admin", "s3cret-admin");
        var request = Request("PUT", "shop", "/rules");
        request.Headers.Add("Origin", "http://127.0.0.1:1");

        var problem = await Problem(await admin.SendAsync(request), HttpStatusCode.Forbidden);

        Assert.Contains("origin", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("/rules", RulesApi.MaxRulesBytes, true)]
    [InlineData("/rules", RulesApi.MaxRulesBytes, false)]
    [InlineData("/notices", NoticeRequest.MaxBodyBytes, true)]
    [InlineData("/notices", NoticeRequest.MaxBodyBytes, false)]
    public async Task ABodyOverTheBoundIsAProblemWithOrWithoutALength(string route, int maxBytes, bool withLength)
    {
        using var admin = await Sites.SignIn(Server, "admin", "s3cret-admin");
        var before = await admin.GetStringAsync("/api/sites/shop/rules");
        var bytes = Encoding.UTF8.GetBytes("[" + new string(' ', maxBytes) + "]");
        var request = new HttpRequestMessage(route == "/rules" ? HttpMethod.Put : HttpMethod.Post, "/api/sites/shop" + route)
        {
            // A stream of unknown length goes out chunked, with no Content-Length to trust.
            Content = withLength ? new ByteArrayContent(bytes) : new StreamContent(new MemoryStream(bytes)),
        };
        request.Content.Headers.ContentType = new("application/json");

        var problem = await Problem(await admin.SendAsync(request), HttpStatusCode.RequestEntityTooLarge);

        Assert.Contains($"{maxBytes} bytes", problem.GetProperty("detail").GetString());
        Assert.Equal(before, await admin.GetStringAsync("/api/sites/shop/rules"));
    }

    [Fact]
    public async Task ABodyJustUnderTheBoundIsRead()
    {
        using var admin = await Sites.SignIn(Server, "admin", "s3cret-admin");
        var rules = """[{"id":"pad","when":{},"then":{"text":"Hi"}}]""";
        var body = rules + new string(' ', RulesApi.MaxRulesBytes - rules.Length);
        var response = await admin.PutAsync("/api/sites/shop/rules", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task TheOpenApiDocumentListsEveryApiRoute()
    {
        using var anonymous = Server.Http();
        var response = await anonymous.GetAsync(ApiDocument.Path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var paths = document.RootElement.GetProperty("paths");

        var routes = ApiRoutes(Server);
        Assert.Contains(routes, r => r.Pattern == "/api/auth/login");
        Assert.True(routes.Count(r => r.Pattern.StartsWith(SitesApi.Prefix, StringComparison.Ordinal)) >= SiteRoutes.Count);
        var missing = routes.Where(r => !(paths.TryGetProperty(r.Pattern, out var path) && path.TryGetProperty(r.Method.ToLowerInvariant(), out _))).ToList();
        Assert.Empty(missing);

        // Every success but a 204 says what it returns (a handler returning a bare IResult would not).
        foreach (var route in routes)
        {
            var responses = paths.GetProperty(route.Pattern).GetProperty(route.Method.ToLowerInvariant()).GetProperty("responses");
            var success = responses.EnumerateObject().Where(r => r.Name.StartsWith('2')).ToList();
            Assert.True(success.Count > 0, $"{route.Method} {route.Pattern} documents no success");
            Assert.All(success.Where(r => r.Name != "204"), r => Assert.True(r.Value.TryGetProperty("content", out _), $"{route.Method} {route.Pattern}: {r.Name} has no content"));
        }

        // The group's refusals are documented on every site route, as problems.
        foreach (var route in routes.Where(r => r.Pattern.StartsWith(SitesApi.Prefix, StringComparison.Ordinal)))
        {
            var responses = paths.GetProperty(route.Pattern).GetProperty(route.Method.ToLowerInvariant()).GetProperty("responses");
            Assert.True(responses.TryGetProperty("404", out var notFound), $"{route.Method} {route.Pattern} documents no 404");
            Assert.True(notFound.GetProperty("content").TryGetProperty("application/problem+json", out _), $"{route.Method} {route.Pattern}: 404 is not a problem");
        }
        // Only the REST API: no hubs, pages or health checks.
        Assert.All(paths.EnumerateObject(), p => Assert.StartsWith("/api/", p.Name));
    }

    /// <summary>Every /api route the app maps, by method, from its endpoint data source.</summary>
    internal static List<(string Method, string Pattern)> ApiRoutes(TestServer server) =>
        server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (m, e.RoutePattern.RawText!)))
            .ToList();

    private static HttpRequestMessage Request(string method, string site, string route, string? body = null)
    {
        var path = "/api/sites/" + site + route.Replace("{noticeId}", "n-1").Replace("{visitorId}", "v-1");
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "PUT" or "POST")
            request.Content = new StringContent(body ?? (route == "/rules" ? "[]" : """{ "text": "Hi", "severity": "info" }"""), Encoding.UTF8, "application/json");
        return request;
    }

    /// <summary>Asserts an RFC 9457 problem with this status, and returns its body.</summary>
    internal static async Task<JsonElement> Problem(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode}, not {(int)status}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement.Clone();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        return problem;
    }
}

/// <summary>The API rate limit and the sign-in lockout answer 429 as problems (a class of its own: it spends the limiter's tokens).</summary>
public sealed class ApiRateLimitTests(ApiRateLimitTests.Fixture fixture) : IClassFixture<ApiRateLimitTests.Fixture>
{
    public sealed class Fixture : ServerFixture
    {
        protected override IDictionary<string, string?> Settings => SiteApiTests.Sites.Settings();
    }

    [Fact]
    public async Task TooManyApiCallsAreAProblem()
    {
        using var admin = await SiteApiTests.Sites.SignIn(fixture.Server, "admin", "s3cret-admin");

        // The bucket holds 100 calls; 400 at once cannot all be served.
        var responses = await Task.WhenAll(Enumerable.Range(0, 400).Select(_ => admin.GetAsync("/api/sites/nowhere/rules")));

        var refused = responses.FirstOrDefault(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.NotNull(refused);
        await SiteApiTests.Problem(refused, HttpStatusCode.TooManyRequests);
        Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta); // the bucket's next refill
    }

    [Fact]
    public async Task ARefusedAddressIsServedAgainOnceItsBucketRefillsAndNoTimerRunsWhileNobodyIsLimited()
    {
        await using var server = await TestServer.Start(SiteApiTests.Sites.Settings());
        var limits = server.Services.GetRequiredService<RateLimits>();
        Assert.False(limits.Ticking(RateLimits.Api)); // nothing wakes an idle node for rate limits
        using var admin = await SiteApiTests.Sites.SignIn(server, "admin", "s3cret-admin");
        async Task<HttpStatusCode> Call(string from)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/sites/nowhere/rules");
            request.Headers.Add("X-Forwarded-For", from);
            return (await admin.SendAsync(request)).StatusCode;
        }

        var burst = await Task.WhenAll(Enumerable.Range(0, 300).Select(_ => Call("198.51.100.20")));
        Assert.Contains(HttpStatusCode.TooManyRequests, burst);
        Assert.NotEqual(HttpStatusCode.TooManyRequests, await Call("198.51.100.21")); // another address has its own bucket
        Assert.True(limits.Ticking(RateLimits.Api));

        // 50 tokens a second into a bucket of 100: full again within ~2 s, then the address is forgotten and the timer stops.
        await Ports.Until(() => Task.FromResult(limits.Tracked(RateLimits.Api) == 0 && !limits.Ticking(RateLimits.Api)), TimeSpan.FromSeconds(10), "the API limiters full again and their timer stopped");
        var again = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => Call("198.51.100.20")));
        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, again); // a whole bucket once more
        Assert.True(limits.Ticking(RateLimits.Api));
    }

    [Fact]
    public async Task ALockedOutSignInIsAProblem()
    {
        using var http = fixture.Server.Http();
        for (var i = 0; i < AgentAccounts.MaxFailures; i++)
            await http.PostAsJsonAsync("/api/auth/login", new { agentId = "plain", password = "wrong" });

        var response = await http.PostAsJsonAsync("/api/auth/login", new { agentId = "plain", password = "s3cret-plain" });

        await SiteApiTests.Problem(response, HttpStatusCode.TooManyRequests);
        Assert.NotNull(response.Headers.RetryAfter);
    }
}
