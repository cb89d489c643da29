using System.Text.Json;
using LiveChat.Engagement;
using LiveChat.Grains;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LiveChat.Server.Sites;

/// <summary>A site's rules (admin); its per-situation figures are in <see cref="StatsApi"/>.</summary>
public static class RulesApi
{
    public const int MaxRulesBytes = 256 * 1024;

    public static RouteGroupBuilder MapRulesApi(this RouteGroupBuilder site)
    {
        site.MapGet("/rules", GetRules).AdminOnly();
        site.MapPut("/rules", PutRules).AdminOnly()
            .Accepts<IReadOnlyList<Rule>>("application/json")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        return site;
    }

    private static async Task<Ok<RulesResponse>> GetRules(string siteId, IGrainFactory grains)
    {
        var doc = await grains.GetGrain<ISiteGrain>(siteId).GetRules();
        var parsed = RuleParser.Parse(doc.Json);
        return TypedResults.Ok(new RulesResponse(doc.Version, parsed.Rules));
    }

    private static async Task<Results<Ok<RulesVersion>, ValidationProblem, ProblemHttpResult>> PutRules(
        string siteId, HttpRequest request, IGrainFactory grains, SiteDirectory directory)
    {
        var body = await BoundedBody.ReadText(request, MaxRulesBytes);
        if (body is null) return ApiProblems.TooLarge(MaxRulesBytes, "a JSON array of rules");
        var parsed = RuleParser.Parse(Unwrap(body));
        if (!parsed.Success) return ApiProblems.Invalid("rules", parsed.Error!);
        var version = await grains.GetGrain<ISiteGrain>(siteId).SetRules(RuleParser.Serialize(parsed.Rules));
        directory.Invalidate(siteId);
        return TypedResults.Ok(new RulesVersion(version, parsed.Rules.Count));
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
