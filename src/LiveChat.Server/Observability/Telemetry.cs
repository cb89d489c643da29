using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace LiveChat.Server.Observability;

/// <summary>OpenTelemetry: ASP.NET Core, SignalR and Orleans spans and meters; Prometheus on /metrics; OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set.</summary>
public static class Telemetry
{
    public const string SourceName = LiveChat.Grains.Diagnostics.Name;

    public static IServiceCollection AddLiveChatTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var otlp = !string.IsNullOrEmpty(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var otel = services.AddOpenTelemetry().ConfigureResource(r => r.AddService("livechat"));
        // Spans only when something receives them (OTLP, or LiveChat:Tracing=true for an exporter of your own): recording a
        // span per hub call and grain call with nowhere to send it cost a node about a third of its CPU per visitor (issue 16).
        if (TracingOn(configuration))
            otel.WithTracing(t => t
                .AddSource(SourceName, "Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application", "Microsoft.AspNetCore.SignalR.Server")
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments("/metrics") && !http.Request.Path.StartsWithSegments("/health")));
        otel
            .WithMetrics(m => m
                .AddMeter(SourceName, "Microsoft.Orleans", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel",
                    "Microsoft.AspNetCore.Http.Connections", "Microsoft.AspNetCore.SignalR")
                .AddAspNetCoreInstrumentation()
                .AddPrometheusExporter())
            .WithLogging();
        if (otlp) otel.UseOtlpExporter();
        return services;
    }

    /// <summary>Spans are recorded only when something receives them: OTLP is configured, or <c>LiveChat:Tracing=true</c>.</summary>
    public static bool TracingOn(IConfiguration configuration) =>
        !string.IsNullOrEmpty(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]) || configuration.GetValue<bool>("LiveChat:Tracing");

    public static IEndpointRouteBuilder MapLiveChatTelemetry(this IEndpointRouteBuilder app)
    {
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }
}
