using System.Text.Json;
using LiveChat.Engagement;
using LiveChat.Grains;
using LiveChat.Server.Auth;
using LiveChat.Server.Configuration;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace LiveChat.Server.Sites;

/// <summary>A site's rules (admin); its per-situation figures are in <see cref="StatsApi"/>.</summary>
public static class RulesApi
{
    public const int MaxRulesBytes = 256 * 1024;

    public static IEndpointRouteBuilder MapRulesApi(this IEndpointRouteBuilder app)
    {
        var sites = app.MapGroup("/api/sites/{siteId}").RequireAuthorization().RequireRateLimiting(RateLimits.Api);
        sites.MapGet("/rules", GetRules).RequireAuthorization(AuthApi.AdminPolicy);
        sites.MapPut("/rules", PutRules).RequireAuthorization(AuthApi.AdminPolicy);
        sites.MapStatsApi();
        return app;
    }

    private static async Task<Results<Ok<RulesResponse>, NotFound<ApiError>>> GetRules(string siteId, HttpContext http, IGrainFactory grains, IOptions<LiveChatOptions> options)
    {
        if (!Serves(http, options, siteId)) return NoSite(siteId);
        var doc = await grains.GetGrain<ISiteGrain>(siteId).GetRules();
        var parsed = RuleParser.Parse(doc.Json);
        return TypedResults.Ok(new RulesResponse(doc.Version, parsed.Rules));
    }

    private static async Task<Results<Ok<RulesVersion>, BadRequest<ApiError>, NotFound<ApiError>>> PutRules(
        string siteId, HttpContext http, IGrainFactory grains, SiteDirectory directory, IOptions<LiveChatOptions> options)
    {
        if (!Serves(http, options, siteId)) return NoSite(siteId);
        var body = await ReadBody(http.Request);
        if (body is null) return TypedResults.BadRequest(new ApiError($"the body must be a JSON array of rules of at most {MaxRulesBytes} bytes"));
        var parsed = RuleParser.Parse(Unwrap(body));
        if (!parsed.Success) return TypedResults.BadRequest(new ApiError(parsed.Error!));
        var version = await grains.GetGrain<ISiteGrain>(siteId).SetRules(RuleParser.Serialize(parsed.Rules));
        directory.Invalidate(siteId);
        return TypedResults.Ok(new RulesVersion(version, parsed.Rules.Count));
    }

    internal static bool Serves(HttpContext http, IOptions<LiveChatOptions> options, string siteId) =>
        options.Value.Sites.ContainsKey(siteId) && http.User.CanServe(siteId);

    internal static NotFound<ApiError> NoSite(string siteId) => TypedResults.NotFound(new ApiError($"siteId: no site '{siteId}' that you serve"));

    internal static async Task<string?> ReadBody(HttpRequest request)
    {
        if (request.ContentLength > MaxRulesBytes) return null;
        using var reader = new StreamReader(request.Body);
        var buffer = new char[MaxRulesBytes + 1];
        var read = await reader.ReadBlockAsync(buffer, 0, buffer.Length);
        return read > MaxRulesBytes ? null : new string(buffer, 0, read);
    }

    /// <summary>PUT takes the rules array, or the <c>{ version, rules }</c> object that GET returns.</summary>
    private static string Unwrap(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("rules", out var rules))
                return rules.GetRawText();
        }
        catch (JsonException) { } // the parser reports it with its position
        return body;
    }

    public sealed record RulesResponse(long Version, IReadOnlyList<Rule> Rules);
    public sealed record RulesVersion(long Version, int Count);
}

public sealed record ApiError(string Error);
