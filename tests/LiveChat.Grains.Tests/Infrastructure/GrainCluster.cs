using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace LiveChat.Grains.Tests.Infrastructure;

/// <summary>
/// One in-process silo with memory storage, recording notifiers and a fake clock. The fake clock is the silo's
/// default <see cref="TimeProvider"/>, so it drives both the grains' clock and their grain timers (Orleans 10 resolves
/// grain timers from it); the silo's own background loops stay on real time. Each test class gets its own cluster,
/// so advancing the clock in one class never fires another class's timers.
/// </summary>
public sealed class GrainCluster : IAsyncLifetime
{
    /// <summary>A Monday morning, inside any business hours, on an hour boundary (stats buckets are hourly).</summary>
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private InProcessTestCluster? cluster;

    public FakeTimeProvider Clock { get; } = new(Start);
    public RecordingVisitorNotifier Visitors { get; } = new();
    public RecordingAgentNotifier Agents { get; } = new();
    /// <summary>Stats are flushed on real time (not the fake clock): quickly here, so figures show up within a poll or two.</summary>
    // The presence lease: long enough to outlast a loaded CI machine's stalls between a test's steps.
    public GrainTimings Timings { get; } = new() { StatsFlush = TimeSpan.FromMilliseconds(50), PresenceLease = TimeSpan.FromSeconds(2.5) };
    public DefaultRequestSettings RequestSettings { get; } = new() { Limits = new RequestLimits(OpenPerVisitor: 3, OpenPerAddress: 4) };
    public RecordingOutbox Outbox { get; } = new();
    public RecordingEvents Events { get; } = new();

    public IGrainFactory Grains => cluster?.Client ?? throw new InvalidOperationException("the cluster is not deployed");

    public SiteDirectory Directory => cluster!.Silos[0].ServiceProvider.GetRequiredService<SiteDirectory>();

    /// <summary>The silo's services (its serializer, for the storage-format tests).</summary>
    public IServiceProvider SiloServices => cluster!.Silos[0].ServiceProvider;

    public async ValueTask InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddMemoryGrainStorage(Storage.Name);
            silo.UseInMemoryReminderService();
            var services = silo.Services;
            services.AddSingleton<TimeProvider>(Clock);
            services.UseTimeProviderForBackgroundAreas(TimeProvider.System);
            services.AddSingleton<IVisitorNotifier>(Visitors);
            services.AddSingleton<IAgentNotifier>(Agents);
            services.AddLiveChatGrains(); // the same registrations as the server, after the fake clock so it stays
            services.AddSingleton<IMessageStore, InMemoryMessageStore>();
            services.AddSingleton<IRequestSettings>(RequestSettings);
            services.AddSingleton<IOutboxTransport>(Outbox);
            services.AddSingleton<IEventPublisher>(Events);
            services.AddOptions<GrainTimings>().Configure(t =>
            {
                t.VisitorLeaveGrace = Timings.VisitorLeaveGrace;
                t.AgentDisconnectGrace = Timings.AgentDisconnectGrace;
                t.QuietAfterDismiss = Timings.QuietAfterDismiss;
                t.SiteRefresh = Timings.SiteRefresh;
                t.QueuedChatAbandonAfter = Timings.QueuedChatAbandonAfter;
                t.LeftChatFreesSeatAfter = Timings.LeftChatFreesSeatAfter;
                t.LeftChatCloseAfter = Timings.LeftChatCloseAfter;
                t.StatsFlush = Timings.StatsFlush;
                t.PresenceLease = Timings.PresenceLease;
            });
        });
        cluster = builder.Build();
        await cluster.DeployAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (cluster is null) return;
        // Some of the silo's shutdown steps wait on the default clock: keep it moving until the silo has stopped.
        using var stopped = new CancellationTokenSource();
        var ticking = Task.Run(async () =>
        {
            while (!stopped.IsCancellationRequested)
            {
                Clock.Advance(TimeSpan.FromSeconds(1));
                await Task.Delay(5);
            }
        });
        try { await cluster.DisposeAsync(); }
        finally
        {
            await stopped.CancelAsync();
            await ticking;
        }
    }

    /// <summary>Moves the fake clock on; due grain timers are queued on their grains at once.</summary>
    public void Advance(TimeSpan by) => Clock.Advance(by);

    /// <summary>Polls <paramref name="read"/> until it satisfies <paramref name="done"/>, for at most <see cref="Recorded.Patience"/>.</summary>
    public static async Task<T> Eventually<T>(Func<Task<T>> read, Func<T, bool> done, string what)
    {
        var deadline = DateTime.UtcNow + Recorded.Patience;
        while (true)
        {
            var value = await read();
            if (done(value)) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{what}: still not so after {Recorded.Patience.TotalSeconds} s (last: {value})");
            await Task.Delay(10);
        }
    }

    public static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];
}
