using LiveChat.Grains;
using LiveChat.Server.Email;
using LiveChat.Server.Sites;
using LiveChat.Server.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LiveChat.Server.Requests;

/// <summary>Requests, e-mail and webhooks: the services, and the admins' delivery logs.</summary>
public static class RequestsApi
{
    public static IServiceCollection AddLiveChatRequests(this IServiceCollection services)
    {
        services.AddSingleton<IRequestSettings, RequestSettings>();
        services.AddSingleton<SmtpMailSender>();
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<IEventPublisher, WebhookPublisher>();
        services.AddSingleton<OutboxTransport>();
        services.AddSingleton<IOutboxTransport>(sp => sp.GetRequiredService<OutboxTransport>());
        services.AddHostedService(sp => sp.GetRequiredService<OutboxTransport>());
        services.AddHttpClient(WebhookSender.Client, c => c.Timeout = TimeSpan.FromSeconds(15));
        return services;
    }

    public static RouteGroupBuilder MapRequestsApi(this RouteGroupBuilder site)
    {
        site.MapGet("/webhooks/deliveries", (string siteId, int? limit, IGrainFactory grains) => Deliveries(siteId, OutboxChannel.Webhook, limit, grains)).AdminOnly();
        site.MapGet("/email/deliveries", (string siteId, int? limit, IGrainFactory grains) => Deliveries(siteId, OutboxChannel.Mail, limit, grains)).AdminOnly();
        return site;
    }

    private static async Task<Ok<DeliveryList>> Deliveries(string siteId, string channel, int? limit, IGrainFactory grains)
    {
        var list = await grains.GetGrain<IOutboxGrain>(siteId).GetDeliveries(channel, Math.Clamp(limit ?? 100, 1, 300));
        return TypedResults.Ok(new DeliveryList(siteId, channel, list));
    }
}

public sealed record DeliveryList(string SiteId, string Channel, IReadOnlyList<DeliveryRecord> Deliveries);
