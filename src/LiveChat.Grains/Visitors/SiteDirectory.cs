using System.Collections.Concurrent;
using LiveChat.Engagement;
using Microsoft.Extensions.Logging;

namespace LiveChat.Grains;

/// <summary>
/// A node's copy of each site's parsed rules, settings and agent availability, so a visitor event costs no call to the
/// site grain. The site grain pushes every change of rules or availability to the nodes that watch it (each read from
/// the site grain renews the watch); a copy older than <see cref="GrainTimings.SiteRefresh"/> is read again, which
/// bounds the staleness should a push be lost.
/// </summary>
public sealed class SiteDirectory : ISiteObserver
{
    private readonly ConcurrentDictionary<string, Entry> sites = new();
    private readonly IGrainFactory grains;
    private readonly TimeProvider clock;
    private readonly Microsoft.Extensions.Options.IOptions<GrainTimings> timings;
    private readonly ILogger<SiteDirectory> log;
    private ISiteObserver? reference; // kept here: Orleans holds observers weakly

    public SiteDirectory(IGrainFactory grains, TimeProvider clock, Microsoft.Extensions.Options.IOptions<GrainTimings> timings, ILogger<SiteDirectory> log)
    {
        this.grains = grains;
        this.clock = clock;
        this.timings = timings;
        this.log = log;
    }

    public sealed record Entry(RuleSet Rules, string? PhoneNumber, BusinessHours Hours, string? HoursJson, DateTimeOffset FetchedAt, SiteAvailability Availability)
    {
        public bool AgentAvailable => Availability.AgentAvailable;
    }

    public async ValueTask<Entry> Get(string siteId)
    {
        var now = clock.GetUtcNow();
        if (sites.TryGetValue(siteId, out var cached) && now - cached.FetchedAt < timings.Value.SiteRefresh) return cached;
        // Orleans refuses to create an observer reference inside a grain's turn: make the node's one reference off it.
        reference ??= await Task.Run(() => grains.CreateObjectReference<ISiteObserver>(this));
        var runtime = await grains.GetGrain<ISiteGrain>(siteId).Watch(reference);
        var rules = cached?.Rules.Version == runtime.Rules.Version ? cached.Rules : Parse(siteId, runtime.Rules);
        var hours = cached is not null && cached.HoursJson == runtime.BusinessHoursJson ? cached.Hours : ParseHours(siteId, runtime.BusinessHoursJson);
        var fetched = runtime.Availability ?? new SiteAvailability(false, 0);
        var entry = new Entry(rules, runtime.PhoneNumber, hours, runtime.BusinessHoursJson, now, fetched);
        // A push that overtook this read carries the newer availability: keep it.
        return sites.AddOrUpdate(siteId, entry, (_, current) => current.Availability.Seq > fetched.Seq ? entry with { Availability = current.Availability } : entry);
    }

    public void Invalidate(string siteId) => sites.TryRemove(siteId, out _);

    /// <summary>The site grain's push: newer availability applies at once; new rules make the next read fetch them.</summary>
    public Task SiteChanged(SiteChange change)
    {
        while (sites.TryGetValue(change.SiteId, out var current))
        {
            if (current.Rules.Version != change.RulesVersion) { Invalidate(change.SiteId); break; }
            if (current.Availability.Seq >= change.Availability.Seq) break;
            if (sites.TryUpdate(change.SiteId, current with { Availability = change.Availability }, current)) break;
        }
        return Task.CompletedTask;
    }

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
