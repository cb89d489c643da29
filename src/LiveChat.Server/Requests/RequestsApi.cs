using LiveChat.Grains;
using LiveChat.Server.Auth;
using LiveChat.Server.Configuration;
using LiveChat.Server.Email;
using LiveChat.Server.Sites;
using LiveChat.Server.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

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

    public static IEndpointRouteBuilder MapRequestsApi(this IEndpointRouteBuilder app)
    {
        var sites = app.MapGroup("/api/sites/{siteId}").RequireAuthorization(AuthApi.AdminPolicy).RequireRateLimiting(RateLimits.Api);
        sites.MapGet("/webhooks/deliveries", (string siteId, int? limit, HttpContext http, IGrainFactory grains, IOptions<LiveChatOptions> options) =>
            Deliveries(siteId, OutboxChannel.Webhook, limit, http, grains, options));
        sites.MapGet("/email/deliveries", (string siteId, int? limit, HttpContext http, IGrainFactory grains, IOptions<LiveChatOptions> options) =>
            Deliveries(siteId, OutboxChannel.Mail, limit, http, grains, options));
        return app;
    }

    private static async Task<Results<Ok<DeliveryList>, NotFound<ApiError>>> Deliveries(
        string siteId, string channel, int? limit, HttpContext http, IGrainFactory grains, IOptions<LiveChatOptions> options)
    {
        if (!RulesApi.Serves(http, options, siteId)) return RulesApi.NoSite(siteId);
        var list = await grains.GetGrain<IOutboxGrain>(siteId).GetDeliveries(channel, Math.Clamp(limit ?? 100, 1, 300));
        return TypedResults.Ok(new DeliveryList(siteId, channel, list));
    }
}

public sealed record DeliveryList(string SiteId, string Channel, IReadOnlyList<DeliveryRecord> Deliveries);
