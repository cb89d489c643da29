using LiveChat.Grains;
using LiveChat.Server.Sites;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LiveChat.Server.Visitors;

/// <summary>
/// The right to be forgotten: an admin of the site deletes everything kept about one visitor — their state,
/// journey and cart, every conversation and its messages. An open chat is ended and leaves the queue first.
/// </summary>
public static class PrivacyApi
{
    public static RouteGroupBuilder MapPrivacyApi(this RouteGroupBuilder site)
    {
        site.MapDelete("/visitors/{visitorId}", Forget).AdminOnly();
        return site;
    }

    private static async Task<Results<Ok<ForgetResult>, ProblemHttpResult>> Forget(string siteId, string visitorId, IGrainFactory grains)
    {
        if (visitorId.Length is 0 or > 100) return ApiProblems.NotFound("visitorId: no such visitor");
        var conversations = await grains.GetGrain<IVisitorGrain>(Keys.Of(siteId, visitorId)).Forget();
        return TypedResults.Ok(new ForgetResult(visitorId, conversations.Count));
    }

    /// <param name="ConversationsDeleted">how many conversations (with all their messages) were deleted.</param>
    public sealed record ForgetResult(string VisitorId, int ConversationsDeleted);
}
