using LiveChat.Server.Auth;
using LiveChat.Server.Configuration;
using LiveChat.Server.Notices;
using LiveChat.Server.Requests;
using LiveChat.Server.Visitors;
using Microsoft.Extensions.Options;

namespace LiveChat.Server.Sites;

/// <summary>
/// The one route group for everything under <c>/api/sites/{siteId}</c>: sign-in, the API rate limit and the site check
/// (<see cref="SiteAccess"/>) are set here once, so a handler starts from a site its caller serves.
/// </summary>
public static class SitesApi
{
    public const string Prefix = "/api/sites/{siteId}";

    public static IEndpointRouteBuilder MapSitesApi(this IEndpointRouteBuilder app)
    {
        var site = app.MapGroup(Prefix)
            .RequireAuthorization()
            .LimitPerAddress(RateLimits.Api)
            .AddEndpointFilter<SiteAccess>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        site.MapRulesApi();
        site.MapStatsApi();
        site.MapNoticesApi();
        site.MapRequestsApi();
        site.MapPrivacyApi();
        return app;
    }

    /// <summary>For admin-only routes of the group: a plain agent of the site is answered 403.</summary>
    internal static RouteHandlerBuilder AdminOnly(this RouteHandlerBuilder route) =>
        route.RequireAuthorization(AuthApi.AdminPolicy).ProducesProblem(StatusCodes.Status403Forbidden);
}

/// <summary>
/// Refuses a site that is not configured or that the signed-in agent does not serve, with the same 404 either way
/// (an agent learns nothing about other customers' sites).
/// </summary>
internal sealed class SiteAccess(IOptions<LiveChatOptions> options) : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var siteId = http.Request.RouteValues["siteId"] as string;
        if (siteId is null || !options.Value.Sites.ContainsKey(siteId) || !http.User.CanServe(siteId))
            return ValueTask.FromResult<object?>(ApiProblems.NoSite(siteId));
        return next(context);
    }
}
