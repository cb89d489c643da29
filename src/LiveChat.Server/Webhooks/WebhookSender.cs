using System.Security.Cryptography;
using System.Text;
using LiveChat.Grains;
using LiveChat.Server.Configuration;
using LiveChat.Server.Requests;
using Microsoft.Extensions.Options;

namespace LiveChat.Server.Webhooks;

/// <summary>POSTs one event: <c>X-LiveChat-Signature: sha256=&lt;hex HMAC-SHA256 of the body with the hook's secret&gt;</c>. Anything but 2xx is a failed attempt.</summary>
internal sealed class WebhookSender(IHttpClientFactory http, IOptions<LiveChatOptions> options)
{
    public const string Client = "webhooks";

    public async Task Send(string siteId, WebhookCall call, CancellationToken ct)
    {
        var hook = options.Value.Sites.TryGetValue(siteId, out var site) ? site.Webhooks.FirstOrDefault(h => h.Url == call.Url) : null;
        if (hook is null) throw new PermanentDeliveryException("this webhook is no longer configured");
        var body = Encoding.UTF8.GetBytes(call.Body);
        using var request = new HttpRequestMessage(HttpMethod.Post, call.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add("X-LiveChat-Signature", "sha256=" + Signature(hook.Secret, body));
        request.Headers.Add("X-LiveChat-Event", call.EventType);
        request.Headers.Add("X-LiveChat-Event-Id", call.EventId);
        using var response = await http.CreateClient(Client).SendAsync(request, ct);
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"the receiver answered {(int)response.StatusCode}");
    }

    public static string Signature(string secret, byte[] body) => Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
}
