using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LiveChat.LoadTests.Transport;

namespace LiveChat.LoadTests.Hosting;

/// <summary>The REST calls the harness makes: sign-in for a cookie, and the site's rules.</summary>
internal sealed class AdminApi(Uri baseUrl, LoopbackConnector connector)
{
    private static readonly string[] ChatOnly = ["chat"];
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>POST /api/auth/login → the "name=value" cookie pairs to send on later requests and hub connections.</summary>
    public async Task<string> LoginAsync(string agentId, string password, CancellationToken ct)
    {
        using var http = Client();
        using var response = await http.PostAsJsonAsync(new Uri(baseUrl, "/api/auth/login"), new { agentId, password }, Json, ct);
        if (response.StatusCode != HttpStatusCode.OK)
            throw new InvalidOperationException($"login as '{agentId}' answered {(int)response.StatusCode}");
        var cookies = response.Headers.TryGetValues("Set-Cookie", out var values)
            ? values.Select(v => v.Split(';', 2)[0]).ToList()
            : [];
        if (cookies.Count == 0) throw new InvalidOperationException($"login as '{agentId}' set no cookie");
        return string.Join("; ", cookies);
    }

    public async Task<string?> GetRulesAsync(string site, string cookie, CancellationToken ct)
    {
        using var http = Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUrl, $"/api/sites/{site}/rules"));
        request.Headers.Add("Cookie", cookie);
        using var response = await http.SendAsync(request, ct);
        return response.IsSuccessStatusCode ? await response.Content.ReadAsStringAsync(ct) : null;
    }

    public async Task PutRulesAsync(string site, string cookie, string rulesJson, CancellationToken ct)
    {
        using var http = Client();
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(baseUrl, $"/api/sites/{site}/rules"))
        {
            Content = new StringContent(rulesJson, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Cookie", cookie);
        using var response = await http.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(ct);
            throw new InvalidOperationException($"PUT /api/sites/{site}/rules answered {(int)response.StatusCode}: {body}");
        }
    }

    /// <summary>The rule the browsing visitors are measured against: due exactly <paramref name="linger"/> visible seconds after a /load/ page is entered.</summary>
    public static string LoadRules(int linger) => JsonSerializer.Serialize(new object[]
    {
        new
        {
            id = "load-linger",
            situation = "Load test linger",
            when = new { pageMatches = "/load/*", timeOnPageSeconds = linger },
            then = new { text = "Need help?", offers = ChatOnly },
            onlyIfAgentAvailable = false,
            maxPerVisit = 1,
        },
    }, Json);

    private HttpClient Client() => new(connector.CreateHandler(), disposeHandler: true) { Timeout = TimeSpan.FromSeconds(30) };
}
