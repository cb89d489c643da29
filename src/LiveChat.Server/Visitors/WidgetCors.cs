using Microsoft.Extensions.Options;

namespace LiveChat.Server.Visitors;

/// <summary>CORS for the widget on a shop's own origin: the visitor hub's negotiate request and widget.js, for allowed origins only.</summary>
public static class WidgetCors
{
    public const string Policy = "widget";

    public static IServiceCollection AddWidgetCors(this IServiceCollection services)
    {
        services.AddCors();
        services.AddOptions<Microsoft.AspNetCore.Cors.Infrastructure.CorsOptions>()
            .Configure<OriginPolicy>((cors, origins) => cors.AddPolicy(Policy, p => p
                .SetIsOriginAllowed(origins.AllowsAny)
                .AllowAnyHeader()
                .WithMethods("GET", "POST")));
        return services;
    }
}
