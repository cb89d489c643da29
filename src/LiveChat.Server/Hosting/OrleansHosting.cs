using System.Net;
using System.Net.Sockets;
using LiveChat.Grains;
using LiveChat.Server.Configuration;
using Orleans.Configuration;
using StackExchange.Redis;

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
            if (options.Embedded)
            {
                silo.UseLocalhostClustering(o.SiloPort, o.GatewayPort, serviceId: o.ServiceId, clusterId: o.ClusterId);
                silo.AddMemoryGrainStorage(Storage.Name);
            }
            else
            {
                silo.ConfigureEndpoints(AdvertisedAddress(o.AdvertisedIP), o.SiloPort, o.GatewayPort, listenOnAnyHostAddress: true);
                silo.UseRedisClustering(options.Redis!);
                silo.AddRedisGrainStorage(Storage.Name, s => s.ConfigurationOptions = ConfigurationOptions.Parse(options.Redis!));
                // A dead node is declared dead in seconds, not minutes, so its visitors' grains move on quickly.
                silo.Configure<ClusterMembershipOptions>(m =>
                {
                    m.ProbeTimeout = TimeSpan.FromSeconds(2);
                    m.NumMissedProbesLimit = 2;
                    m.NumVotesForDeathDeclaration = 1;
                    m.TableRefreshTimeout = TimeSpan.FromSeconds(5);
                    m.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(10);
                });
            }
            silo.Configure<GrainCollectionOptions>(c => c.CollectionAge = TimeSpan.FromMinutes(15));
        });
        builder.Services.AddSingleton<SiteDirectory>();
        builder.Services.AddSingleton(TimeProvider.System);
        return builder;
    }

    private static IPAddress AdvertisedAddress(string? configured)
    {
        if (configured is { Length: > 0 }) return IPAddress.Parse(configured);
        return Dns.GetHostAddresses(Dns.GetHostName()).FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
            ?? IPAddress.Loopback;
    }
}
