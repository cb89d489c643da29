using Microsoft.AspNetCore.SignalR;
using LiveChat.Contracts;
using LiveChat.Grains;
using LiveChat.Server.Agents;
using LiveChat.Server.Configuration;
using LiveChat.Server.Hubs;
using LiveChat.Server.Visitors;
using Microsoft.AspNetCore.DataProtection;
using StackExchange.Redis;

namespace LiveChat.Server.Hosting;

/// <summary>SignalR hubs, the notifiers grains use to reach them, visitor tokens, and — in a cluster — the Redis backplane and shared keys.</summary>
public static class Realtime
{
    public const string RedisChannelPrefix = "livechat";

    public static IServiceCollection AddLiveChatRealtime(this IServiceCollection services, LiveChatOptions options)
    {
        var signalR = services.AddSignalR(o =>
        {
            o.MaximumReceiveMessageSize = Limits.MaxMessageBytes;
            o.EnableDetailedErrors = false;
            o.AddFilter<HubGuardFilter>();
        });
        services.AddSingleton<HubGuardFilter>();
        var dataProtection = services.AddDataProtection().SetApplicationName("LiveChat");
        if (!options.Embedded)
        {
            var redis = ConnectionMultiplexer.Connect(RedisConfiguration(options.Redis!));
            services.AddSingleton<IConnectionMultiplexer>(redis);
            signalR.AddStackExchangeRedis(o =>
            {
                o.Configuration = RedisConfiguration(options.Redis!);
                o.Configuration.ChannelPrefix = RedisChannel.Literal(RedisChannelPrefix);
            });
            dataProtection.PersistKeysToStackExchangeRedis(redis, "livechat:data-protection-keys");
        }
        services.AddSingleton<VisitorTokens>();
        services.AddSingleton<OriginPolicy>();
        services.AddSingleton<IVisitorNotifier, SignalRVisitorNotifier>();
        services.AddSingleton<IAgentNotifier, SignalRAgentNotifier>();
        return services;
    }

    /// <summary>Keeps retrying instead of failing start-up or calls while Redis is away; the node recovers by itself.</summary>
    public static ConfigurationOptions RedisConfiguration(string connectionString)
    {
        var c = ConfigurationOptions.Parse(connectionString);
        c.AbortOnConnectFail = false;
        c.ConnectRetry = 5;
        return c;
    }

    public static IEndpointRouteBuilder MapLiveChatHubs(this IEndpointRouteBuilder app)
    {
        app.MapHub<VisitorHub>("/hubs/visitor", o => o.AllowStatefulReconnects = true);
        app.MapHub<AgentHub>("/hubs/agent", o => o.AllowStatefulReconnects = true);
        app.MapHub<EchoHub>("/hubs/echo");
        return app;
    }
}
