using System.Net;
using System.Net.Http.Json;
using LiveChat.Server.Tests.Infrastructure;
using Microsoft.Extensions.FileProviders;

namespace LiveChat.Server.Tests;

/// <summary>The widget as a browser downloads it: precompressed at bundle time, within its budget.</summary>
public sealed class WebFrontTests(WebFrontTests.Fixture fixture) : IClassFixture<WebFrontTests.Fixture>
{
    /// <summary>The widget's budget, as served (brotli); widget/build.mjs holds the same number.</summary>
    private const int WidgetBudget = 24 * 1024;

    public sealed class Fixture : IAsyncLifetime
    {
        public TestServer Server { get; private set; } = null!;
        public string WebRoot { get; } = Path.Combine(RepoRoot(), "src", "LiveChat.Server", "wwwroot");

        public async ValueTask InitializeAsync() => Server = await TestServer.Start(configure: b =>
        {
            b.Environment.WebRootPath = WebRoot;
            b.Environment.WebRootFileProvider = new PhysicalFileProvider(WebRoot);
        });
        public async ValueTask DisposeAsync() { if (Server is not null) await Server.DisposeAsync(); }

        private static string RepoRoot()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "LiveChat.sln"))) return dir.FullName;
            throw new InvalidOperationException("LiveChat.sln not found above " + AppContext.BaseDirectory);
        }
    }

    private async Task<HttpResponseMessage> Get(string path, string? acceptEncoding, string? ifNoneMatch = null)
    {
        using var http = fixture.Server.Http();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (acceptEncoding is not null) request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        if (ifNoneMatch is not null) request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        return await http.SendAsync(request);
    }

    [Theory]
    [InlineData("/widget.js", "gzip, deflate, br, zstd", "br", ".br")]
    [InlineData("/widget.js", "gzip", "gzip", ".gz")]
    [InlineData("/widget.js", "br;q=0, gzip", "gzip", ".gz")]
    [InlineData("/widget.js", null, null, "")]
    [InlineData("/widget.js", "identity", null, "")]
    [InlineData("/agent/console.js", "br", "br", ".br")]
    public async Task BundlesAreServedPrecompressedByAcceptEncoding(string path, string? accept, string? encoding, string suffix)
    {
        var response = await Get(path, accept);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(encoding is null ? [] : [encoding], response.Content.Headers.ContentEncoding);
        Assert.Contains("Accept-Encoding", response.Headers.Vary);
        Assert.StartsWith("text/javascript", response.Content.Headers.ContentType?.ToString());
        var expected = await File.ReadAllBytesAsync(Path.Combine(fixture.WebRoot, path.TrimStart('/') + suffix));
        Assert.Equal(expected, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task WidgetIsWithinItsBudgetAsServed()
    {
        var response = await Get("/widget.js", "gzip, deflate, br");
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal("br", response.Content.Headers.ContentEncoding.Single());
        Assert.True(bytes.Length <= WidgetBudget, $"widget.js is {bytes.Length} bytes brotli as served; the budget is {WidgetBudget}.");
    }

    [Fact]
    public async Task RevalidationGetsNotModifiedPerEncoding()
    {
        var first = await Get("/widget.js", "br");
        var etag = first.Headers.ETag?.ToString();
        Assert.NotNull(etag);
        Assert.Equal(HttpStatusCode.NotModified, (await Get("/widget.js", "br", etag)).StatusCode);
        // The gzip copy is another representation: the brotli tag does not validate it.
        Assert.Equal(HttpStatusCode.OK, (await Get("/widget.js", "gzip", etag)).StatusCode);
        Assert.Equal("public, max-age=300", first.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task AWrongPasswordKeepsTheAgentIdFilledInAndEncoded()
    {
        using var http = fixture.Server.Http();
        var page = await (await http.GetAsync("/agent/login")).Content.ReadAsStringAsync();
        var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"([^\"]+)\" value=\"([^\"]+)\"");
        var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [token.Groups[1].Value] = System.Net.WebUtility.HtmlDecode(token.Groups[2].Value), ["agentId"] = "ann\"<b>", ["password"] = "wrong",
        });
        var answer = await (await http.PostAsync("/agent/login", form)).Content.ReadAsStringAsync();
        Assert.Contains("Wrong agent id or password.", answer);
        Assert.Contains("name=\"agentId\" autocomplete=\"username\" required value=\"ann&quot;&lt;b&gt;\"", answer);
        Assert.Contains("current-password\" required autofocus", answer);
    }

    [Fact]
    public async Task TheSignInPageSpeaksTheBrowsersLanguageWhenTheConsoleDoes()
    {
        using var http = fixture.Server.Http();
        async Task<string> Page(string? acceptLanguage)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/agent/login");
            if (acceptLanguage is not null) request.Headers.Add("Accept-Language", acceptLanguage);
            return await (await http.SendAsync(request)).Content.ReadAsStringAsync();
        }
        var dutch = await Page("nl-NL,nl;q=0.9,en;q=0.8");
        Assert.Contains("<html lang=\"nl\">", dutch);
        Assert.Contains("Medewerker-id <input name=\"agentId\"", dutch);
        Assert.Contains("<button type=\"submit\">Inloggen</button>", dutch);
        Assert.Contains("<html lang=\"en\">", await Page("de-DE,en;q=0.5,nl;q=0.4")); // English ranks above Dutch
        Assert.Contains("<html lang=\"nl\">", await Page("fr-FR,nl;q=0.7"));
        Assert.Contains("Agent id <input", await Page("ja"));
        Assert.Contains("<button type=\"submit\">Sign in</button>", await Page(null));

        // A wrong password is said in Dutch too.
        var token = System.Text.RegularExpressions.Regex.Match(dutch, "name=\"([^\"]+)\" value=\"([^\"]+)\"");
        using var post = new HttpRequestMessage(HttpMethod.Post, "/agent/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                [token.Groups[1].Value] = System.Net.WebUtility.HtmlDecode(token.Groups[2].Value), ["agentId"] = "ann", ["password"] = "wrong",
            }),
        };
        post.Headers.Add("Accept-Language", "nl");
        Assert.Contains("Verkeerde medewerker-id of wachtwoord.", await (await http.SendAsync(post)).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TheConsoleLearnsEachOfTheAgentsSitesCurrency()
    {
        await using var server = await TestServer.Start(new Dictionary<string, string?>
        {
            ["LiveChat:Sites:shop:Currency"] = "EUR",
            ["LiveChat:Sites:other:PhoneNumber"] = "+1 555 0100",
            ["LiveChat:Agents:0:Id"] = "ann",
            ["LiveChat:Agents:0:Sites:0"] = "shop",
            ["LiveChat:Agents:0:Sites:1"] = "other",
            ["LiveChat:Agents:0:PasswordHash"] = LiveChat.Server.Auth.AgentAccounts.Hash("pw"),
        });
        using var http = server.Http();
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/agent/sites")).StatusCode);
        (await http.PostAsJsonAsync("/api/auth/login", new { agentId = "ann", password = "pw" })).EnsureSuccessStatusCode();

        var sites = await http.GetFromJsonAsync<List<LiveChat.Server.Hosting.WebFront.ConsoleSite>>("/api/agent/sites");

        Assert.Equal([new("shop", "EUR"), new("other", null)], sites);
    }

    [Theory]
    [InlineData("euro")]
    [InlineData("EU")]
    [InlineData("€")]
    public void ACurrencyThatIsNotAnIsoCodeIsRefusedByName(string currency)
    {
        var options = new LiveChat.Server.Configuration.LiveChatOptions();
        options.Sites["shop"] = new LiveChat.Server.Configuration.SiteOptions { Currency = currency };
        var result = new LiveChat.Server.Configuration.LiveChatOptionsValidator(null!).Validate(null, options);
        Assert.Contains("LiveChat:Sites:shop:Currency", result.FailureMessage);
    }
}
