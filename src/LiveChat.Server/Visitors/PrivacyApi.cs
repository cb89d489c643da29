using LiveChat.Grains;
using LiveChat.Server.Auth;
using LiveChat.Server.Configuration;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace LiveChat.Server.Visitors;

/// <summary>
/// The right to be forgotten: an admin of the site deletes everything kept about one visitor — their state,
/// journey and cart, every conversation and its messages. An open chat is ended and leaves the queue first.
/// </summary>
public static class PrivacyApi
{
    public static IEndpointRouteBuilder MapPrivacyApi(this IEndpointRouteBuilder app)
    {
        app.MapDelete("/api/sites/{siteId}/visitors/{visitorId}", Forget)
            .RequireAuthorization(AuthApi.AdminPolicy).RequireRateLimiting(RateLimits.Api);
        return app;
    }

    private static async Task<Results<Ok<ForgetResult>, NotFound<Sites.ApiError>>> Forget(
        string siteId, string visitorId, HttpContext http, IGrainFactory grains, IOptions<LiveChatOptions> options)
    {
        if (!options.Value.Sites.ContainsKey(siteId) || !http.User.CanServe(siteId)) return TypedResults.NotFound(new Sites.ApiError("siteId: no such site"));
        if (visitorId.Length is 0 or > 100) return TypedResults.NotFound(new Sites.ApiError("visitorId: no such visitor"));
        var conversations = await grains.GetGrain<IVisitorGrain>(Keys.Of(siteId, visitorId)).Forget();
        return TypedResults.Ok(new ForgetResult(visitorId, conversations.Count));
    }

    /// <param name="ConversationsDeleted">how many conversations (with all their messages) were deleted.</param>
    public sealed record ForgetResult(string VisitorId, int ConversationsDeleted);
}
