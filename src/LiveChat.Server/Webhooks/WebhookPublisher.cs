using System.Text.Json;
using LiveChat.Grains;
using LiveChat.Server.Configuration;
using Microsoft.Extensions.Options;

namespace LiveChat.Server.Webhooks;

/// <summary>
/// Turns a grain's event into one outbox item per subscribed hook. The body (with its event id) is fixed here, so
/// every retry is byte-identical and receivers de-duplicate by <c>id</c>. Publishing never fails the caller's action.
/// </summary>
internal sealed class WebhookPublisher(IGrainFactory grains, IOptions<LiveChatOptions> options, TimeProvider clock, ILogger<WebhookPublisher> log) : IEventPublisher
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task Publish(string siteId, string type, object data)
    {
        if (!options.Value.Sites.TryGetValue(siteId, out var site)) return;
        var hooks = site.Webhooks.Where(h => h.Events.Count == 0 || h.Events.Contains(type)).ToList();
        if (hooks.Count == 0) return;
        var eventId = Keys.NewId("evt");
        var body = JsonSerializer.Serialize(new { id = eventId, type, siteId, createdAt = clock.GetUtcNow(), data }, Json);
        var items = hooks.Select(h => new OutboxItem
        {
            Key = $"{eventId}>{h.Url}", Channel = OutboxChannel.Webhook, Purpose = type, Target = h.Url, Hook = new WebhookCall(h.Url, eventId, type, body),
        }).ToList();
        try { await grains.GetGrain<IOutboxGrain>(siteId).Enqueue(items); }
        catch (Exception e) { log.LogError(e, "Webhook event {Type} {EventId} of {SiteId} could not be queued", type, eventId, siteId); }
    }
}
