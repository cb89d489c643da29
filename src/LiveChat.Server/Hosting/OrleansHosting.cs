using System.Net;
using System.Net.Sockets;
using LiveChat.Grains;
using LiveChat.Server.Configuration;
using LiveChat.Server.Messages;
using LiveChat.Server.Visitors;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Runtime;
using Orleans.Runtime.Hosting;

namespace LiveChat.Server.Hosting;

/// <summary>The co-hosted Orleans silo: localhost clustering and memory storage when embedded; Redis clustering and storage in a cluster.</summary>
public static class OrleansHosting
{
    public static WebApplicationBuilder AddLiveChatOrleans(this WebApplicationBuilder builder, LiveChatOptions options)
    {
        builder.UseOrleans(silo =>
        {
            var o = options.Orleans;
            silo.Configure<ClusterOptions>(c => { c.ClusterId = o.ClusterId; c.ServiceId = o.ServiceId; });
            // One trace from the hub call through every grain call, across nodes — when spans are recorded at all
            // (Telemetry.TracingOn); otherwise its two filters would run on every grain call for nothing.
            if (Observability.Telemetry.TracingOn(builder.Configuration)) silo.AddActivityPropagation();
            if (options.Embedded)
            {
                silo.UseLocalhostClustering(o.SiloPort, o.GatewayPort, serviceId: o.ServiceId, clusterId: o.ClusterId);
                // One silo: every grain is local, so a cache of remote grain addresses would only hold memory.
                // CacheSize too: the cache is built anyway, preallocated for a million entries (9 MB), and every metrics
                // collection counts it by walking all its buckets (most of an idle node's CPU, seen in dotnet-trace).
                silo.Configure<GrainDirectoryOptions>(d => { d.CachingStrategy = GrainDirectoryOptions.CachingStrategyType.None; d.CacheSize = 1_000; });
                silo.UseInMemoryReminderService(); // requests' due alerts and the outbox's wake-ups; nothing survives a restart here anyway
                silo.Services.AddKeyedSingleton<TimeProvider>(TimeProviderNames.Membership, new EmbeddedMembershipClock());
            }
            else
            {
                silo.ConfigureEndpoints(AdvertisedAddress(o.AdvertisedIP), o.SiloPort, o.GatewayPort, listenOnAnyHostAddress: true);
                silo.UseRedisClustering(c => c.ConfigurationOptions = Realtime.RedisConfiguration(options.Redis!));
                silo.UseRedisReminderService(r => r.ConfigurationOptions = Realtime.RedisConfiguration(options.Redis!)); // durable: due callbacks and pending mail survive restarts
                silo.Configure<ClusterMembershipOptions>(FastFailureDetection);
                // A grain starts on the node whose hub called it first: a visitor's grains sit next to the visitor's
                // socket, so hub → grain calls stay in-process; the load balancer already spreads the sockets.
                silo.Services.AddSingleton<PlacementStrategy, PreferLocalPlacement>();
            }
            silo.AddLiveChatStorage(options, builder.Configuration); // in-process or Redis, with visitor expiry
            silo.Configure<GrainCollectionOptions>(c => c.CollectionAge = TimeSpan.FromMinutes(15));
            // Stateless workers (the node's stats aggregator, Orleans' management grain the dashboard asks) are collected
            // after that idle age like any grain, not scaled down by an inspection every 500 ms: that timer kept waking an
            // idle node's thread pool for workers that are one or two per node anyway (issue 16).
            silo.Configure<StatelessWorkerOptions>(w => w.RemoveIdleWorkers = false);
            // The official dashboard (hot grains, activation counts per silo), served behind the admin sign-in: MapOrleansOps.
            // Sampled every 5 s, not every second, and without live log streaming: at 1 s its metric export (it walks the
            // grain directory cache and every counter) cost an idle node 2-3 % of a core, more with many activations (issue 16).
            silo.AddDashboard(d => { d.CounterUpdateIntervalMs = 5000; d.HideTrace = true; });
        });
        builder.Services.AddLiveChatGrains(builder.Configuration.GetSection("LiveChat:Timings"));
        builder.Services.AddLiveChatMessageStore(builder.Configuration, options);
        return builder;
    }

    /// <summary>The Orleans dashboard at <c>/ops/orleans</c>, for admins only (anonymous: 401, a non-admin agent: 403).</summary>
    public static IEndpointRouteBuilder MapOrleansOps(this IEndpointRouteBuilder app)
    {
        app.MapOrleansDashboard("/ops/orleans").RequireAuthorization(LiveChat.Server.Auth.AuthApi.AdminPolicy);
        return app;
    }

    /// <summary>
    /// A dead node is declared dead in seconds, not the default ~15-30 s, so its visitors' grains come back on a
    /// survivor quickly. A killed process refuses connections, so each probe fails at once: two missed probes 2 s
    /// apart make a suspicion, and with the default two votes (Orleans lowers it to a majority of a small cluster)
    /// the node is evicted about 4-5 s after it died. Measured recovery: docs/operations.md.
    /// </summary>
    internal static void FastFailureDetection(ClusterMembershipOptions m)
    {
        m.ProbeTimeout = TimeSpan.FromSeconds(2);
        m.NumMissedProbesLimit = 2;
        m.TableRefreshTimeout = TimeSpan.FromSeconds(5);
        m.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(10);
    }

    private static IPAddress AdvertisedAddress(string? configured)
    {
        if (configured is { Length: > 0 })
            return IPAddress.TryParse(configured, out var ip) ? ip
                : throw new Microsoft.Extensions.Options.OptionsValidationException(nameof(LiveChatOptions), typeof(LiveChatOptions),
                    [$"LiveChat:Orleans:AdvertisedIP: '{configured}' is not an IP address"]);
        return Dns.GetHostAddresses(Dns.GetHostName()).FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
            ?? IPAddress.Loopback;
    }
}
