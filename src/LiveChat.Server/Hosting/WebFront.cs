using LiveChat.Server.Auth;
using LiveChat.Server.Configuration;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

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

    // The middlewares below hand on with `return next(http)`, not `await next()`: an awaiting middleware keeps its state
    // machine alive for as long as the request runs, which for a hub's WebSocket is the whole visit (issue 16).
    public static IApplicationBuilder UseLiveChatHeaders(this IApplicationBuilder app) => app.Use((HttpContext http, RequestDelegate next) =>
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
        // The widget's catalogs are fetched from the host page's origin: public, the same for everyone.
        if (IsCatalog(http.Request.Path.Value))
        {
            headers.CacheControl = "public, max-age=300";
            headers.AccessControlAllowOrigin = "*";
        }
        return next(http);
    });

    /// <summary>The bundles esbuild writes with a .br and a .gz beside them (widget/build.mjs).</summary>
    private static readonly string[] Precompressed = ["/widget.js", "/agent/console.js"];

    /// <summary>The widget's language catalogs (wwwroot/widget/lang/xx.json), precompressed like the bundles.</summary>
    private static bool IsCatalog(string? path) =>
        path is { Length: < 40 } && path.StartsWith("/widget/lang/", StringComparison.Ordinal) && path.EndsWith(".json", StringComparison.Ordinal);

    /// <summary>
    /// Serves the bundles from their precompressed .br/.gz (best level, written at bundle time) by the
    /// browser's Accept-Encoding, so the widget costs what its budget says and no CPU per request.
    /// Anything else goes on to the static files and the response compression.
    /// </summary>
    public static IApplicationBuilder UsePrecompressedBundles(this IApplicationBuilder app) => app.Use((HttpContext http, RequestDelegate next) =>
    {
        var path = http.Request.Path.Value;
        if (!(HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method)) || path is null || (Array.IndexOf(Precompressed, path) < 0 && !IsCatalog(path)))
            return next(http);
        return ServeBundle(http, next, path);
    });

    private static async Task ServeBundle(HttpContext http, RequestDelegate next, string path)
    {
        var files = http.RequestServices.GetRequiredService<IWebHostEnvironment>().WebRootFileProvider;
        var (encoding, file) = PickEncoding(http.Request, files, path);
        if (file is null)
        {
            await next(http);
            return;
        }
        var headers = http.Response.Headers;
        headers.Vary = HeaderNames.AcceptEncoding;
        var etag = new EntityTagHeaderValue($"\"{file.LastModified.UtcTicks:x}-{file.Length:x}{encoding?[0]}\"");
        headers.ETag = etag.ToString();
        headers.LastModified = file.LastModified.ToString("R");
        if (http.Request.GetTypedHeaders().IfNoneMatch is { Count: > 0 } inm && inm.Any(t => t.Compare(etag, useStrongComparison: false)))
        {
            http.Response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }
        http.Response.ContentType = IsCatalog(path) ? "application/json; charset=utf-8" : "text/javascript; charset=utf-8";
        if (encoding is not null) headers.ContentEncoding = encoding;
        http.Response.ContentLength = file.Length;
        if (HttpMethods.IsHead(http.Request.Method)) return;
        await http.Response.SendFileAsync(file, http.RequestAborted);
    }

    private static (string? Encoding, IFileInfo? File) PickEncoding(HttpRequest request, IFileProvider files, string path)
    {
        var accepted = request.GetTypedHeaders().AcceptEncoding;
        foreach (var (encoding, suffix) in new[] { ("br", ".br"), ("gzip", ".gz") })
        {
            var match = accepted.FirstOrDefault(a => a.Value.Equals(encoding, StringComparison.OrdinalIgnoreCase))
                ?? accepted.FirstOrDefault(a => a.Value == "*");
            if (match is null || match.Quality == 0) continue;
            var file = files.GetFileInfo(path + suffix);
            if (file.Exists) return (encoding, file);
        }
        var plain = files.GetFileInfo(path);
        return (null, plain.Exists ? plain : null);
    }

    public sealed record ConsoleSite(string SiteId, string? Currency);

    public static IEndpointRouteBuilder MapConsolePage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/agent", (HttpContext http, IWebHostEnvironment env) =>
        {
            if (http.User.Identity?.IsAuthenticated != true) return Results.Redirect("/agent/login");
            var page = Path.Combine(env.WebRootPath ?? "wwwroot", "agent", "index.html");
            return File.Exists(page) ? Results.File(page, "text/html; charset=utf-8") : Results.Text("The agent console is not built.", "text/plain");
        });
        // What the console shows per site of the signed-in agent: money in the site's currency.
        app.MapGet("/api/agent/sites", (HttpContext http, IOptions<LiveChatOptions> options) =>
            TypedResults.Ok(http.User.Sites().Where(options.Value.Sites.ContainsKey)
                .Select(id => new ConsoleSite(id, options.Value.Sites[id].Currency)).ToList()))
            .RequireAuthorization();
        return app;
    }
}
