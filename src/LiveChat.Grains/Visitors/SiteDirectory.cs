using System.Collections.Concurrent;
using LiveChat.Engagement;
using Microsoft.Extensions.Logging;

namespace LiveChat.Grains;

/// <summary>
/// A silo-local cache of each site's parsed rules and settings, so a visitor event costs no call to the
/// site grain. Refreshed when older than <see cref="RefreshAfter"/>, and at once on this node when rules change.
/// </summary>
public sealed class SiteDirectory(IGrainFactory grains, TimeProvider clock, ILogger<SiteDirectory> log)
{
    public static TimeSpan RefreshAfter { get; set; } = TimeSpan.FromSeconds(2);
    private readonly ConcurrentDictionary<string, Entry> sites = new();

    public sealed record Entry(RuleSet Rules, string? PhoneNumber, string? BusinessHoursJson, DateTimeOffset FetchedAt);

    public async ValueTask<Entry> Get(string siteId)
    {
        var now = clock.GetUtcNow();
        if (sites.TryGetValue(siteId, out var cached) && now - cached.FetchedAt < RefreshAfter) return cached;
        var runtime = await grains.GetGrain<ISiteGrain>(siteId).GetRuntime();
        var rules = cached?.Rules.Version == runtime.Rules.Version ? cached.Rules : Parse(siteId, runtime.Rules);
        var entry = new Entry(rules, runtime.PhoneNumber, runtime.BusinessHoursJson, now);
        sites[siteId] = entry;
        return entry;
    }

    public void Invalidate(string siteId) => sites.TryRemove(siteId, out _);

    private RuleSet Parse(string siteId, RulesDocument document)
    {
        var parsed = RuleParser.Parse(document.Json);
        if (parsed.Success) return new RuleSet(document.Version, parsed.Rules);
        log.LogError("Stored rules of {SiteId} v{Version} do not parse: {Error}", siteId, document.Version, parsed.Error);
        return new RuleSet(document.Version, []);
    }
}
