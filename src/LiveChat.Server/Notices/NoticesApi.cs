using LiveChat.Grains;
using LiveChat.Server.Sites;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace LiveChat.Server.Notices;

/// <summary>A site's proactive service notices: every agent of the site reads them (to answer customers who ask); admins create, replace, delete.</summary>
public static class NoticesApi
{
    public static RouteGroupBuilder MapNoticesApi(this RouteGroupBuilder site)
    {
        site.MapGet("/notices", List);
        site.MapPost("/notices", Create).AdminOnly().Accepts<NoticeBody>("application/json").ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        site.MapPut("/notices/{noticeId}", Update).AdminOnly().Accepts<NoticeBody>("application/json").ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        site.MapDelete("/notices/{noticeId}", Delete).AdminOnly();
        return site;
    }

    private static async Task<Ok<NoticeList>> List(string siteId, IGrainFactory grains)
    {
        var records = await grains.GetGrain<INoticesGrain>(siteId).List();
        return TypedResults.Ok(new NoticeList(siteId, records.Select(NoticeResponse.Of).ToList()));
    }

    private static async Task<Results<Created<NoticeResponse>, ValidationProblem, ProblemHttpResult>> Create(
        string siteId, HttpRequest request, [AsParameters] NoticeServices services)
    {
        var (draft, invalid, tooLarge) = await Read(request, services.Clock, services.Options.Value.Sites[siteId].Language);
        if (tooLarge is not null) return tooLarge;
        if (invalid is not null) return invalid;
        try
        {
            var record = await services.Grains.GetGrain<INoticesGrain>(siteId).Create(draft!);
            services.Board.Invalidate(siteId);
            return TypedResults.Created($"/api/sites/{siteId}/notices/{record.Notice.NoticeId}", NoticeResponse.Of(record));
        }
        catch (RefusedException e)
        {
            return ApiProblems.Invalid("notices", e.Message);
        }
    }

    private static async Task<Results<Ok<NoticeResponse>, ValidationProblem, ProblemHttpResult>> Update(
        string siteId, string noticeId, HttpRequest request, [AsParameters] NoticeServices services)
    {
        var (draft, invalid, tooLarge) = await Read(request, services.Clock, services.Options.Value.Sites[siteId].Language);
        if (tooLarge is not null) return tooLarge;
        if (invalid is not null) return invalid;
        var record = await services.Grains.GetGrain<INoticesGrain>(siteId).Update(noticeId, draft!);
        if (record is null) return NoNotice(noticeId);
        services.Board.Invalidate(siteId);
        return TypedResults.Ok(NoticeResponse.Of(record));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(string siteId, string noticeId, [AsParameters] NoticeServices services)
    {
        if (!await services.Grains.GetGrain<INoticesGrain>(siteId).Delete(noticeId)) return NoNotice(noticeId);
        services.Board.Invalidate(siteId);
        return TypedResults.NoContent();
    }

    private static ProblemHttpResult NoNotice(string noticeId) => ApiProblems.NotFound($"noticeId: no active notice '{noticeId}'");

    /// <summary>The draft, or why not: 413 past the size bound, 400 naming the field.</summary>
    private static async Task<(NoticeDraft? Draft, ValidationProblem? Invalid, ProblemHttpResult? TooLarge)> Read(HttpRequest request, TimeProvider clock, string siteLanguage)
    {
        var body = await BoundedBody.ReadText(request, NoticeRequest.MaxBodyBytes);
        if (body is null) return (null, null, ApiProblems.TooLarge(NoticeRequest.MaxBodyBytes, "a JSON object"));
        var (draft, error) = NoticeRequest.Parse(body, clock.GetUtcNow(), siteLanguage);
        return draft is null ? (null, ApiProblems.Invalid(ApiProblems.FieldOf(error!, NoticeRequest.Fields, "body"), error!), null) : (draft, null, null);
    }

    /// <summary>What the notice handlers take from the container.</summary>
    internal readonly record struct NoticeServices(IGrainFactory Grains, NoticeBoard Board, TimeProvider Clock, IOptions<Configuration.LiveChatOptions> Options);

    /// <summary>The body of POST and PUT, as documented (the handler parses it itself to name a bad field); <c>text</c> may also be <c>{ "nl": "…", "en": "…" }</c>.</summary>
    public sealed record NoticeBody(string Text, string Severity, string? PageMatches, string? Link, DateTimeOffset? ExpiresAt);

    public sealed record NoticeList(string SiteId, IReadOnlyList<NoticeResponse> Notices);

    /// <summary>A notice as admins see it: its content, and its stats (visitors who saw it; of those, who still contacted the site).</summary>
    public sealed record NoticeResponse(
        string NoticeId, string Text, string Severity, string? PageMatches, string? Link, DateTimeOffset? ExpiresAt,
        DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, NoticeStats Stats, IReadOnlyDictionary<string, string>? Texts = null)
    {
        internal static NoticeResponse Of(NoticeRecord r) => new(
            r.Notice.NoticeId, r.Notice.Text, r.Notice.Severity, r.Notice.PageMatches, r.Notice.Link, r.Notice.ExpiresAt,
            r.CreatedAt, r.UpdatedAt, new NoticeStats(r.Seen, r.ContactedAfter), r.Notice.Texts);
    }

    public sealed record NoticeStats(int Seen, int ContactedAfter);
}
