using System.Text.Json;
using LiveChat.Engagement;
using LiveChat.Grains;
using LiveChat.Server.Configuration;
using Microsoft.Extensions.Options;

namespace LiveChat.Server.Sites;

/// <summary>At start-up, hands each configured site its settings (phone, hours, canned responses, seed rules).</summary>
internal sealed class SiteSeeder(IGrainFactory grains, IOptions<LiveChatOptions> options, IHostEnvironment env, ILogger<SiteSeeder> log) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var (siteId, site) in options.Value.Sites)
        {
            string? rules = null;
            if (site.RulesFile is { } file)
            {
                var parsed = RuleParser.Parse(await File.ReadAllTextAsync(Path.Combine(env.ContentRootPath, file), cancellationToken));
                if (!parsed.Success) throw new OptionsValidationException(nameof(LiveChatOptions), typeof(LiveChatOptions), [$"LiveChat:Sites:{siteId}:RulesFile: {parsed.Error}"]);
                rules = RuleParser.Serialize(parsed.Rules);
            }
            var hours = site.BusinessHours is { } h ? JsonSerializer.Serialize(new { timeZone = h.TimeZone, days = h.Days }) : null;
            var canned = site.CannedResponses.Select(c => new CannedResponse(c.Shortcut, c.Localized.For([site.Language]),
                c.Texts.Count > 0 ? new Dictionary<string, string>(c.Texts) : null)).ToList();
            await grains.GetGrain<ISiteGrain>(siteId).Configure(new SiteSettings(site.PhoneNumber, hours, site.MaxQueueWaitSeconds, rules, canned));
            log.LogInformation("Site {SiteId} ready", siteId);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
