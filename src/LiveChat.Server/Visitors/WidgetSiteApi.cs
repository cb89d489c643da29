using LiveChat.Contracts;
using LiveChat.Server.Configuration;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace LiveChat.Server.Visitors;

/// <summary>
/// The site's public settings for the widget, fetched before any connection: a site that requires consent
/// (<c>LiveChat:Sites:{id}:ConsentRequired</c>) must be able to rely on the widget learning it without a socket.
/// Nothing here identifies the visitor, so the browser and any CDN may cache it.
/// </summary>
public static class WidgetSiteApi
{
    /// <summary>A changed setting reaches every visitor within this long (as the widget script itself).</summary>
    public const string CacheControl = "public, max-age=300";

    public static IEndpointRouteBuilder MapWidgetSiteApi(this IEndpointRouteBuilder app)
    {
        // Not under the signed-in /api/sites/{siteId} group (SitesApi): the widget calls it anonymously, from the shop's origin.
        app.MapGet("/api/widget/{siteId}", Get).RequireCors(WidgetCors.Policy).ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static Results<Ok<WidgetSiteView>, ProblemHttpResult> Get(string siteId, HttpContext http, IOptions<LiveChatOptions> options)
    {
        if (!options.Value.Sites.TryGetValue(siteId, out var site)) return Sites.ApiProblems.NotFound($"siteId: no site '{siteId}'");
        http.Response.Headers.CacheControl = CacheControl;
        return TypedResults.Ok(new WidgetSiteView(site.ConsentRequired, site.PhoneNumber));
    }
}
