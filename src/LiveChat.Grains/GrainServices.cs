using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LiveChat.Grains;

/// <summary>
/// The grains' own services, registered once: their timings, the clock, and the per-node caches and batches they use.
/// The host adds what it implements for them: <see cref="IVisitorNotifier"/>, <see cref="IAgentNotifier"/>,
/// <see cref="IMessageStore"/>, <see cref="IRequestSettings"/>, <see cref="IEventPublisher"/> and <see cref="IOutboxTransport"/>.
/// </summary>
public static class GrainServices
{
    /// <param name="timings">The <c>LiveChat:Timings</c> section, when the host reads timings from configuration.</param>
    public static IServiceCollection AddLiveChatGrains(this IServiceCollection services, IConfiguration? timings = null)
    {
        var options = services.AddOptions<GrainTimings>();
        if (timings is not null) options.Bind(timings);
        services.TryAddSingleton(TimeProvider.System); // a host that brings its own clock (tests: a fake one) keeps it
        services.TryAddSingleton<SiteDirectory>();
        services.TryAddSingleton<NoticeBoard>();
        services.TryAddSingleton<PresenceOutbox>();
        services.AddHostedService(sp => sp.GetRequiredService<PresenceOutbox>());
        services.TryAddSingleton<PresenceHolds>();
        services.AddHostedService<PresenceRecovery>();
        return services;
    }
}
