using System.Globalization;
using System.Text;
using LiveChat.Contracts;
using LiveChat.Engagement;
using LiveChat.Grains;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LiveChat.Server.Sites;

/// <summary>
/// <c>GET /api/sites/{siteId}/stats</c> and <c>…/stats.csv</c>: per situation the invitation funnel, invited vs held-out
/// conversion with the uplift's interval, variants, satisfaction, chosen channels, resolution times and repeat contacts.
/// </summary>
public static class StatsApi
{
    public static RouteGroupBuilder MapStatsApi(this RouteGroupBuilder site)
    {
        site.MapGet("/stats", GetStats);
        site.MapGet("/stats.csv", GetCsv).Produces<string>(StatusCodes.Status200OK, "text/csv");
        return site;
    }

    private static async Task<Results<Ok<StatsResponse>, ValidationProblem>> GetStats(
        string siteId, DateTimeOffset? from, DateTimeOffset? to, [AsParameters] StatsServices services)
    {
        var (start, end) = Window(from, to, services.Clock);
        if (start > end) return ApiProblems.Invalid("from", "from must be before to");
        return TypedResults.Ok(await Load(services.Grains, siteId, start, end));
    }

    private static async Task<Results<ContentHttpResult, ValidationProblem>> GetCsv(
        string siteId, DateTimeOffset? from, DateTimeOffset? to, HttpResponse response, [AsParameters] StatsServices services)
    {
        var (start, end) = Window(from, to, services.Clock);
        if (start > end) return ApiProblems.Invalid("from", "from must be before to");
        var stats = await Load(services.Grains, siteId, start, end);
        response.Headers.ContentDisposition = $"attachment; filename=\"livechat-stats-{siteId}-{start:yyyyMMddTHHmm}-{end:yyyyMMddTHHmm}.csv\"";
        return TypedResults.Text(StatsCsv.Write(stats), "text/csv; charset=utf-8");
    }

    /// <summary>What the stats handlers take from the container.</summary>
    internal readonly record struct StatsServices(IGrainFactory Grains, TimeProvider Clock);

    private static (DateTimeOffset Start, DateTimeOffset End) Window(DateTimeOffset? from, DateTimeOffset? to, TimeProvider clock)
    {
        var end = to ?? clock.GetUtcNow();
        return (from ?? end.AddDays(-1), end);
    }

    /// <summary>The book's figures, with each variant's text from the site's current rules.</summary>
    private static async Task<StatsResponse> Load(IGrainFactory grains, string siteId, DateTimeOffset start, DateTimeOffset end)
    {
        var site = grains.GetGrain<ISiteGrain>(siteId);
        var report = await site.GetReport(start, end);
        var rules = RuleParser.Parse((await site.GetRules()).Json).Rules;
        var situations = report.Situations.Select(s =>
            s.Variants is { Count: > 0 } variants && rules.FirstOrDefault(r => r.Id == s.RuleId)?.Then.Variants is { } texts
                ? s with { Variants = variants.Select(v => v with { Text = v.Variant < texts.Count ? texts[v.Variant].ToString() : null }).ToList() }
                : s).ToList();
        return new StatsResponse(siteId, start, end, Uplift.MinimumPerGroup, situations, report.Agents);
    }

    /// <param name="MinimumPerGroup">Visitors needed in both the invited and the held-out group before <c>uplift</c> is given.</param>
    public sealed record StatsResponse(
        string SiteId, DateTimeOffset From, DateTimeOffset To, int MinimumPerGroup,
        IReadOnlyList<SituationStats> Situations, IReadOnlyList<AgentSatisfaction> Agents);
}

/// <summary>The stats as CSV: one row per situation, then one per agent (satisfaction only); invariant numbers.</summary>
internal static class StatsCsv
{
    private static readonly string[] Resolved = [ContactChannels.ChatFromInvitation, ContactChannels.ChatStartedByVisitor, ContactChannels.Callback, ContactChannels.Message];

    public static string Write(StatsApi.StatsResponse stats)
    {
        var header = new List<string>
        {
            "row", "situation", "ruleId", "shown", "accepted", "dismissed", "chatsStarted", "medianFirstReplySeconds", "conversions",
            "invited", "heldOut", "conversionsInvited", "conversionsHeldOut", "upliftValue", "upliftLow", "upliftHigh",
            "satisfactionResponses", "satisfactionAverage", "satisfiedShare",
        };
        header.AddRange(ContactChannels.All.Select(c => "channels." + c));
        header.AddRange(Resolved.Select(c => "medianResolutionSeconds." + c));
        header.AddRange(["contacts", "repeatContacts", "repeatContactRate"]);
        for (var i = 0; i < RuleValidator.MaxVariants; i++)
            header.AddRange([$"variant{i}.text", $"variant{i}.invited", $"variant{i}.shown", $"variant{i}.accepted", $"variant{i}.conversions"]);

        var csv = new StringBuilder();
        Line(csv, header);
        foreach (var s in stats.Situations)
        {
            var row = new List<string>
            {
                "situation", Text(s.Situation), Text(s.RuleId), N(s.Shown), N(s.Accepted), N(s.Dismissed), N(s.ChatsStarted), N(s.MedianFirstReplySeconds), N(s.Conversions),
                N(s.Invited), N(s.HeldOut), N(s.ConversionsInvited), N(s.ConversionsHeldOut), N(s.Uplift?.Value), N(s.Uplift?.Low), N(s.Uplift?.High),
                N(s.Satisfaction?.Responses), N(s.Satisfaction?.Average), N(s.Satisfaction?.SatisfiedShare),
            };
            row.AddRange(ContactChannels.All.Select(c => N(s.Channels?.GetValueOrDefault(c) ?? 0)));
            row.AddRange(Resolved.Select(c => s.MedianResolutionSeconds is { } m && m.TryGetValue(c, out var v) ? N(v) : ""));
            row.AddRange([N(s.Contacts), N(s.RepeatContacts), N(s.RepeatContactRate)]);
            for (var i = 0; i < RuleValidator.MaxVariants; i++)
                row.AddRange(s.Variants?.FirstOrDefault(v => v.Variant == i) is { } v
                    ? [Text(v.Text), N(v.Invited), N(v.Shown), N(v.Accepted), N(v.Conversions)]
                    : ["", "", "", "", ""]);
            Line(csv, row);
        }
        foreach (var a in stats.Agents)
        {
            var row = Enumerable.Repeat("", header.Count).ToArray();
            row[0] = "agent";
            row[1] = Text(a.AgentId);
            row[header.IndexOf("satisfactionResponses")] = N(a.Responses);
            row[header.IndexOf("satisfactionAverage")] = N(a.Average);
            row[header.IndexOf("satisfiedShare")] = N(a.SatisfiedShare);
            Line(csv, row);
        }
        return csv.ToString();
    }

    private static void Line(StringBuilder csv, IEnumerable<string> fields) => csv.Append(string.Join(',', fields.Select(Quote))).Append("\r\n");

    private static string N(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";
    private static string N(double? value) => value is { } v ? Math.Round(v, 6).ToString("0.######", CultureInfo.InvariantCulture) : "";

    /// <summary>Names typed by people: a leading = + - @ would run as a formula in a spreadsheet, so it gets a quote mark.</summary>
    private static string Text(string? value) => value is { Length: > 0 } v && v[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + v : value ?? "";

    private static string Quote(string field) =>
        field.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + field.Replace("\"", "\"\"") + "\"" : field;
}
