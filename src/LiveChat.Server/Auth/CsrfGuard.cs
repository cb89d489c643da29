using LiveChat.Server.Configuration;
using Microsoft.Extensions.Options;

namespace LiveChat.Server.Auth;

/// <summary>
/// Cross-site request forgery and WebSocket hijacking: the agent cookie is <c>SameSite=Strict</c>, but a same-site
/// page (another port, a sibling subdomain) still sends it. So a cookie-authenticated change (POST, PUT, PATCH,
/// DELETE) must come from the console's own origin, with a JSON body when it has one (a form or text/plain post
/// cannot set that without a CORS preflight, which the console never allows), and the agent hub accepts only
/// that origin. Requests without an Origin are not from a browser page and are not a CSRF risk. The sign-in form
/// has its own antiforgery token.
/// </summary>
public static class CsrfGuard
{
    public const string AgentHubPath = "/hubs/agent";

    /// <remarks>Hands on without awaiting, so a hub's WebSocket request does not keep this middleware's state alive.</remarks>
    public static IApplicationBuilder UseLiveChatCsrfGuard(this IApplicationBuilder app) => app.Use((HttpContext http, RequestDelegate next) =>
        Refusal(http) is { } error ? TypedResults.Problem(error, statusCode: StatusCodes.Status403Forbidden).ExecuteAsync(http) : next(http));

    internal static string? Refusal(HttpContext http)
    {
        var request = http.Request;
        if (request.Path.StartsWithSegments(AgentHubPath))
            return OriginAllowed(http) ? null : "this page's origin may not open the agent console";
        if (http.User.Identity?.IsAuthenticated != true || HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)
            || HttpMethods.IsOptions(request.Method) || request.Path.StartsWithSegments("/agent/login"))
            return null;
        if (!OriginAllowed(http)) return "this page's origin may not change anything here";
        if (CrossSiteFetch(request)) return "cross-site requests may not change anything here";
        if (HasBody(request) && !IsJson(request.ContentType)) return "content-type must be application/json";
        return null;
    }

    /// <summary>No Origin (not a browser page), this server's own authority, or one of <c>LiveChat:ConsoleOrigins</c>.</summary>
    private static bool OriginAllowed(HttpContext http)
    {
        var origin = http.Request.Headers.Origin.ToString();
        if (origin.Length == 0) return true;
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri)) return false;
        if (string.Equals(uri.Authority, http.Request.Host.Value, StringComparison.OrdinalIgnoreCase)) return true;
        var configured = http.RequestServices.GetRequiredService<IOptions<LiveChatOptions>>().Value.ConsoleOrigins;
        return configured.Any(o => string.Equals(o.TrimEnd('/'), origin.TrimEnd('/'), StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Browsers without Origin on some requests still send Sec-Fetch-Site.</summary>
    private static bool CrossSiteFetch(HttpRequest request) =>
        request.Headers["Sec-Fetch-Site"].ToString() is { Length: > 0 } site && site is not ("same-origin" or "none");

    private static bool HasBody(HttpRequest request) => request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0;

    private static bool IsJson(string? contentType) =>
        Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var media)
        && (media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || media.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase));
}
