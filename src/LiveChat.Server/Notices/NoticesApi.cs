using LiveChat.Grains;
using LiveChat.Server.Auth;
using LiveChat.Server.Configuration;
using LiveChat.Server.Sites;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace LiveChat.Server.Notices;

/// <summary>A site's proactive service notices: every agent of the site reads them (to answer customers who ask); admins create, replace, delete.</summary>
public static class NoticesApi
{
    public static IServiceCollection AddLiveChatNotices(this IServiceCollection services) => services.AddSingleton<NoticeBoard>();

    public static IEndpointRouteBuilder MapNoticesApi(this IEndpointRouteBuilder app)
    {
        var notices = app.MapGroup("/api/sites/{siteId}/notices").RequireAuthorization().RequireRateLimiting(RateLimits.Api);
        notices.MapGet("", List);
        notices.MapPost("", Create).RequireAuthorization(AuthApi.AdminPolicy);
        notices.MapPut("/{noticeId}", Update).RequireAuthorization(AuthApi.AdminPolicy);
        notices.MapDelete("/{noticeId}", Delete).RequireAuthorization(AuthApi.AdminPolicy);
        return app;
    }

    private static async Task<Results<Ok<NoticeList>, NotFound<ApiError>>> List(
        string siteId, HttpContext http, IGrainFactory grains, IOptions<LiveChatOptions> options)
    {
        if (!RulesApi.Serves(http, options, siteId)) return RulesApi.NoSite(siteId);
        var records = await grains.GetGrain<INoticesGrain>(siteId).List();
        return TypedResults.Ok(new NoticeList(siteId, records.Select(NoticeResponse.Of).ToList()));
    }

    private static async Task<Results<Created<NoticeResponse>, BadRequest<ApiError>, NotFound<ApiError>>> Create(
        string siteId, HttpContext http, IGrainFactory grains, NoticeBoard board, IOptions<LiveChatOptions> options, TimeProvider clock)
    {
        if (!RulesApi.Serves(http, options, siteId)) return RulesApi.NoSite(siteId);
        var (draft, error) = await Read(http.Request, clock, options.Value.Sites[siteId].Language);
        if (draft is null) return TypedResults.BadRequest(new ApiError(error!));
        try
        {
            var record = await grains.GetGrain<INoticesGrain>(siteId).Create(draft);
            board.Invalidate(siteId);
            return TypedResults.Created($"/api/sites/{siteId}/notices/{record.Notice.NoticeId}", NoticeResponse.Of(record));
        }
        catch (RefusedException e)
        {
            return TypedResults.BadRequest(new ApiError(e.Message));
        }
    }

    private static async Task<Results<Ok<NoticeResponse>, BadRequest<ApiError>, NotFound<ApiError>>> Update(
        string siteId, string noticeId, HttpContext http, IGrainFactory grains, NoticeBoard board, IOptions<LiveChatOptions> options, TimeProvider clock)
    {
        if (!RulesApi.Serves(http, options, siteId)) return RulesApi.NoSite(siteId);
        var (draft, error) = await Read(http.Request, clock, options.Value.Sites[siteId].Language);
        if (draft is null) return TypedResults.BadRequest(new ApiError(error!));
        var record = await grains.GetGrain<INoticesGrain>(siteId).Update(noticeId, draft);
        if (record is null) return NoNotice(noticeId);
        board.Invalidate(siteId);
        return TypedResults.Ok(NoticeResponse.Of(record));
    }

    private static async Task<Results<NoContent, NotFound<ApiError>>> Delete(
        string siteId, string noticeId, HttpContext http, IGrainFactory grains, NoticeBoard board, IOptions<LiveChatOptions> options)
    {
        if (!RulesApi.Serves(http, options, siteId)) return RulesApi.NoSite(siteId);
        if (!await grains.GetGrain<INoticesGrain>(siteId).Delete(noticeId)) return NoNotice(noticeId);
        board.Invalidate(siteId);
        return TypedResults.NoContent();
    }

    private static NotFound<ApiError> NoNotice(string noticeId) => TypedResults.NotFound(new ApiError($"noticeId: no active notice '{noticeId}'"));

    private static async Task<(NoticeDraft? Draft, string? Error)> Read(HttpRequest request, TimeProvider clock, string siteLanguage)
    {
        if (request.ContentLength > NoticeRequest.MaxBodyBytes) return (null, TooLarge);
        using var reader = new StreamReader(request.Body);
        var buffer = new char[NoticeRequest.MaxBodyBytes + 1];
        var read = await reader.ReadBlockAsync(buffer, 0, buffer.Length);
        if (read > NoticeRequest.MaxBodyBytes) return (null, TooLarge);
        return NoticeRequest.Parse(new string(buffer, 0, read), clock.GetUtcNow(), siteLanguage);
    }

    private static readonly string TooLarge = $"the body must be a JSON object of at most {NoticeRequest.MaxBodyBytes} bytes";

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
