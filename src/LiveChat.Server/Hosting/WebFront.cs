using LiveChat.Server.Auth;
using Microsoft.AspNetCore.ResponseCompression;

namespace LiveChat.Server.Hosting;

/// <summary>Static files (widget, demo shop, console), the console page behind sign-in, and security headers.</summary>
public static class WebFront
{
    public const string ConsoleCsp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    public static IServiceCollection AddLiveChatWebFront(this IServiceCollection services)
    {
        services.AddResponseCompression(o =>
        {
            o.EnableForHttps = true;
            o.Providers.Add<BrotliCompressionProvider>();
            o.Providers.Add<GzipCompressionProvider>();
        });
        return services;
    }

    public static IApplicationBuilder UseLiveChatHeaders(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var headers = http.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
        if (http.Request.Path.StartsWithSegments("/agent"))
        {
            headers.ContentSecurityPolicy = ConsoleCsp;
            headers.XFrameOptions = "DENY";
        }
        if (http.Request.Path.Equals("/widget.js")) headers.CacheControl = "public, max-age=300";
        await next();
    });

    public static IEndpointRouteBuilder MapConsolePage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/agent", (HttpContext http, IWebHostEnvironment env) =>
        {
            if (http.User.Identity?.IsAuthenticated != true) return Results.Redirect("/agent/login");
            var page = Path.Combine(env.WebRootPath ?? "wwwroot", "agent", "index.html");
            return File.Exists(page) ? Results.File(page, "text/html; charset=utf-8") : Results.Text("The agent console is not built.", "text/plain");
        });
        return app;
    }
}
