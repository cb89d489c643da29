using Microsoft.AspNetCore.SignalR;
using LiveChat.Contracts;
using LiveChat.Grains;
using LiveChat.Server.Agents;
using LiveChat.Server.Configuration;
using LiveChat.Server.Hubs;
using LiveChat.Server.Visitors;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using StackExchange.Redis;

namespace LiveChat.Server.Hosting;

/// <summary>SignalR hubs, the notifiers grains use to reach them, visitor tokens, and — in a cluster — the Redis backplane and shared keys.</summary>
public static class Realtime
{
    public const string RedisChannelPrefix = "livechat";

    /// <summary>
    /// What an agent connection may have unacknowledged before SignalR makes the next write wait (default 100 KB).
    /// Sized for the largest start-up answer — a first page of 200 visitors at up to ~2.7 KB each (URL 2,048 +
    /// title 300), or 200 queue entries — with room for a second; an agent console is one connection per agent, so
    /// 1 MB each is affordable where 20,000 visitor connections keep the default.
    /// </summary>
    public const long AgentReconnectBuffer = 1024 * 1024;

    public static IServiceCollection AddLiveChatRealtime(this IServiceCollection services, LiveChatOptions options)
    {
        var signalR = services.AddSignalR(o =>
        {
            o.MaximumReceiveMessageSize = Limits.MaxMessageBytes;
            o.EnableDetailedErrors = false;
            o.AddFilter<HubGuardFilter>();
        });
        signalR.AddHubOptions<AgentHub>(o => o.StatefulReconnectBufferSize = AgentReconnectBuffer);
        services.AddSingleton<HubGuardFilter>();
        services.AddSingleton<HubConnections>();
        // Whatever fails in a hub method reaches SignalR as a HubException from the guard: an expected refusal (the
        // guard logs it at debug) or a failure the guard has already logged with its stack. SignalR's own "Failed to
        // invoke hub method" error would log a refusal such as "you are at your capacity" as a failure.
        // Only Warning and Critical pass: a filter here replaces the configured minimum for the category, so "below
        // Error" would switch on its Trace and Debug lines — two formatted log lines per hub call (a third of the CPU
        // of a Hello under load, measured with dotnet-trace).
        services.AddLogging(l => l.AddFilter("Microsoft.AspNetCore.SignalR.Internal.DefaultHubDispatcher", level => level is LogLevel.Warning or LogLevel.Critical));
        services.AddSingleton<ConnectionCap>();
        services.AddSingleton<AddressLimits>();
        services.AddDataProtection().SetApplicationName("LiveChat");
        if (!options.Embedded)
        {
            // Everything a deployment keeps in Redis is named after its ServiceId, so two deployments may share one Redis.
            var prefix = $"{RedisChannelPrefix}:{options.Orleans.ServiceId}";
            services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(RedisConfiguration(options.Redis!)));
            signalR.AddStackExchangeRedis(o =>
            {
                o.Configuration = RedisConfiguration(options.Redis!);
                o.Configuration.ChannelPrefix = RedisChannel.Literal(prefix);
            });
            // One key ring for every node: a visitor token or agent cookie protected on one node opens on all.
            services.AddOptions<KeyManagementOptions>().Configure<IConnectionMultiplexer>((o, redis) =>
                o.XmlRepository = new RedisXmlRepository(() => redis.GetDatabase(), $"{prefix}:data-protection-keys"));
            services.AddSingleton(sp => VisitorTokenKey.Shared(sp.GetRequiredService<IConnectionMultiplexer>(),
                sp.GetRequiredService<Microsoft.AspNetCore.DataProtection.IDataProtectionProvider>(), $"{prefix}:visitor-token-key"));
        }
        else services.AddSingleton(VisitorTokenKey.PerProcess());
        services.AddSingleton<VisitorTokens>();
        services.AddSingleton<OriginPolicy>();
        services.AddSingleton<IVisitorNotifier, SignalRVisitorNotifier>();
        services.AddSingleton<PushLanes>();
        services.AddSingleton<VisitorWatch>();
        services.AddHostedService(sp => sp.GetRequiredService<VisitorWatch>());
        services.AddSingleton<IAgentNotifier, SignalRAgentNotifier>();
        return services;
    }

    /// <summary>
    /// Never gives up on Redis: start-up does not fail while it is away, and every client reconnects by itself when
    /// it returns. Calls made meanwhile fail after the command timeout (5 s) and surface as "please retry".
    /// </summary>
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
