using LiveChat.Grains;
using LiveChat.Server.Configuration;
using LiveChat.Server.Hosting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LiveChat.Server.Messages;

/// <summary>Where conversations keep their messages: memory when embedded, a Redis list per conversation in a cluster.</summary>
public static class MessageStoreHosting
{
    public static IServiceCollection AddLiveChatMessageStore(this IServiceCollection services, IConfiguration configuration, LiveChatOptions options)
    {
        services.AddOptions<DurabilityOptions>().Bind(configuration.GetSection("LiveChat:Durability"))
            .Validate(d => d.ReplicaAcks is >= 0 and <= 16, "LiveChat:Durability:ReplicaAcks must be between 0 and 16")
            .Validate(d => d.ReplicaAckTimeout > TimeSpan.Zero && d.ReplicaAckTimeout <= TimeSpan.FromSeconds(30), "LiveChat:Durability:ReplicaAckTimeout must be between 0 and 30 seconds")
            .ValidateOnStart();
        if (options.Embedded)
        {
            services.AddSingleton<IMessageStore, InMemoryMessageStore>();
            return services;
        }
        // Its own connection: a WAIT for replicas holds up only message appends, never grain storage or the backplane.
        services.AddSingleton<IMessageStore>(sp => new RedisMessageStore(
            ConnectionMultiplexer.Connect(Realtime.RedisConfiguration(options.Redis!)),
            $"{Realtime.RedisChannelPrefix}:{options.Orleans.ServiceId}", sp.GetRequiredService<IOptions<DurabilityOptions>>()));
        return services;
    }
}
