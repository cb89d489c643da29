using System.Net;
using System.Net.Http.Json;
using LiveChat.Server.Tests.Infrastructure;

namespace LiveChat.Server.Tests;

/// <summary>The Orleans dashboard at /ops/orleans is for admins only.</summary>
public sealed class OpsDashboardTests(RestTests.Fixture fixture) : IClassFixture<RestTests.Fixture>
{
    private async Task<HttpClient> SignedIn(string agentId, string password)
    {
        var http = fixture.Server.Http();
        (await http.PostAsJsonAsync("/api/auth/login", new { agentId, password })).EnsureSuccessStatusCode();
        return http;
    }

    [Fact]
    public async Task AnonymousCallersAndNonAdminAgentsAreRefusedTheDashboard()
    {
        using var anonymous = fixture.Server.Http();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/ops/orleans/")).StatusCode);

        using var plain = await SignedIn("plain", "s3cret-plain");
        Assert.Equal(HttpStatusCode.Forbidden, (await plain.GetAsync("/ops/orleans/")).StatusCode);
    }

    [Fact]
    public async Task AnAdminGetsTheDashboard()
    {
        using var admin = await SignedIn("admin", "s3cret-admin");
        var response = await admin.GetAsync("/ops/orleans/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Orleans", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }
}
