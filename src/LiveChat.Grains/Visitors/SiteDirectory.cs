using System.Collections.Concurrent;
using LiveChat.Engagement;
using Microsoft.Extensions.Logging;

namespace LiveChat.Grains;

/// <summary>
/// A silo-local cache of each site's parsed rules and settings, so a visitor event costs no call to the
/// site grain. Refreshed when older than <see cref="GrainTimings.SiteRefresh"/>, and at once on this node when rules change.
/// </summary>
public sealed class SiteDirectory(IGrainFactory grains, TimeProvider clock, Microsoft.Extensions.Options.IOptions<GrainTimings> timings, ILogger<SiteDirectory> log)
{
    private readonly ConcurrentDictionary<string, Entry> sites = new();

    public sealed record Entry(RuleSet Rules, string? PhoneNumber, BusinessHours Hours, string? HoursJson, DateTimeOffset FetchedAt);

    public async ValueTask<Entry> Get(string siteId)
    {
        var now = clock.GetUtcNow();
        if (sites.TryGetValue(siteId, out var cached) && now - cached.FetchedAt < timings.Value.SiteRefresh) return cached;
        var runtime = await grains.GetGrain<ISiteGrain>(siteId).GetRuntime();
        var rules = cached?.Rules.Version == runtime.Rules.Version ? cached.Rules : Parse(siteId, runtime.Rules);
        var hours = cached is not null && cached.HoursJson == runtime.BusinessHoursJson ? cached.Hours : ParseHours(siteId, runtime.BusinessHoursJson);
        var entry = new Entry(rules, runtime.PhoneNumber, hours, runtime.BusinessHoursJson, now);
        sites[siteId] = entry;
        return entry;
    }

    public void Invalidate(string siteId) => sites.TryRemove(siteId, out _);

    private BusinessHours ParseHours(string siteId, string? json)
    {
        if (BusinessHours.TryParse(json, out var hours, out var error)) return hours;
        log.LogError("Business hours of {SiteId} do not parse ({Error}); treating the site as always open", siteId, error);
        return BusinessHours.AlwaysOpen;
    }

    private RuleSet Parse(string siteId, RulesDocument document)
    {
        var parsed = RuleParser.Parse(document.Json);
        if (parsed.Success) return new RuleSet(document.Version, parsed.Rules);
        log.LogError("Stored rules of {SiteId} v{Version} do not parse: {Error}", siteId, document.Version, parsed.Error);
        return new RuleSet(document.Version, []);
    }
}
