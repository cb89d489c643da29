using System.Collections.Concurrent;
using LiveChat.Grains;
using Orleans.Runtime.Hosting;
using Orleans.Storage;
using StackExchange.Redis;

namespace LiveChat.Server.Visitors;

/// <summary>
/// How long a visitor's state is kept after their last activity (configuration section <c>LiveChat:Retention</c>).
/// Anonymous visitors who never chatted go after <see cref="AnonymousVisitor"/>; visitors with conversations after
/// <see cref="Visitor"/> (their token's lifetime: after it nobody can resume them anyway).
/// </summary>
public sealed class RetentionOptions
{
    public TimeSpan AnonymousVisitor { get; set; } = TimeSpan.FromDays(30);
    public TimeSpan Visitor { get; set; } = TimeSpan.FromDays(365);
    /// <summary>How often embedded mode looks for expired visitors (Redis expires keys by itself).</summary>
    public TimeSpan SweepEvery { get; set; } = TimeSpan.FromMinutes(10);

    internal TimeSpan For(VisitorState v) => v.ConversationId is null && v.PastConversations.Count == 0 ? AnonymousVisitor : Visitor;
}

/// <summary>
/// Wraps the grain storage so every visitor state written gets an expiry: a TTL on its Redis key in a cluster (no
/// visitor key without one), a timestamp swept in embedded mode. Other grains' state is passed through untouched.
/// </summary>
internal sealed class ExpiringVisitorStorage(IGrainStorage inner, IVisitorExpiry expiry) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ReadStateAsync(stateName, grainId, grainState);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await inner.WriteStateAsync(stateName, grainId, grainState);
        // No closure per write: the embedded expiry keeps the inner storage and the grain's state to clear it by.
        if (grainState is IGrainState<VisitorState> { State: not null } visitor) await expiry.Written(inner, stateName, grainId, visitor);
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await inner.ClearStateAsync(stateName, grainId, grainState);
        if (grainState.State is VisitorState) expiry.Cleared(stateName, grainId);
    }
}

internal interface IVisitorExpiry
{
    Task Written(IGrainStorage inner, string stateName, GrainId grainId, IGrainState<VisitorState> state);
    void Cleared(string stateName, GrainId grainId);
}

/// <summary>Cluster mode: the key the Redis grain storage wrote gets its TTL right after the write (a write clears any TTL).</summary>
internal sealed class RedisVisitorExpiry(IConnectionMultiplexer redis, Func<string, GrainId, RedisKey> key, Microsoft.Extensions.Options.IOptions<RetentionOptions> options) : IVisitorExpiry
{
    public Task Written(IGrainStorage inner, string stateName, GrainId grainId, IGrainState<VisitorState> state) =>
        redis.GetDatabase().KeyExpireAsync(key(stateName, grainId), options.Value.For(state.State!));

    public void Cleared(string stateName, GrainId grainId) { }
}

/// <summary>Embedded mode: remembers when each visitor state was last written and clears the expired ones periodically.</summary>
internal sealed class MemoryVisitorExpiry(TimeProvider clock, Microsoft.Extensions.Options.IOptions<RetentionOptions> options, ILogger<MemoryVisitorExpiry> log)
    : BackgroundService, IVisitorExpiry
{
    /// <summary>
    /// One entry per visitor state, its expiry moved in place on every write (a tuple value would cost a new node per
    /// write). It keeps the storage and the time, never the grain's own state object: that one holds the activation
    /// (the grain, its context, its queues), which would then outlive its deactivation by the whole retention period.
    /// </summary>
    private sealed class Entry(IGrainStorage storage)
    {
        public readonly IGrainStorage Storage = storage;
        public long ExpiresAtTicks;
    }

    private readonly ConcurrentDictionary<(string StateName, GrainId GrainId), Entry> entries = new();

    /// <summary>How many visitor states are waiting to expire.</summary>
    internal int Count => entries.Count;

    public Task Written(IGrainStorage inner, string stateName, GrainId grainId, IGrainState<VisitorState> state)
    {
        var entry = entries.GetOrAdd((stateName, grainId), static (_, storage) => new Entry(storage), inner);
        Volatile.Write(ref entry.ExpiresAtTicks, (clock.GetUtcNow() + options.Value.For(state.State!)).UtcTicks);
        return Task.CompletedTask;
    }

    public void Cleared(string stateName, GrainId grainId) => entries.TryRemove((stateName, grainId), out _);

    /// <summary>Clears every expired visitor state now; returns how many.</summary>
    public async Task<int> Sweep(CancellationToken stopping = default)
    {
        var now = clock.GetUtcNow();
        var cleared = 0;
        foreach (var (key, entry) in entries)
        {
            if (Volatile.Read(ref entry.ExpiresAtTicks) > now.UtcTicks) continue;
            if (stopping.IsCancellationRequested) break;
            // An active visitor writes again (and so moves its expiry) long before it could expire; a grain that is
            // still active keeps its copy, and its next write stores it again. The clear needs no grain state of its
            // own (this storage keys by grain and checks no ETag), so a fresh one is passed.
            try { await entry.Storage.ClearStateAsync(key.StateName, key.GrainId, new GrainState<VisitorState>()); cleared++; }
            catch (Exception e) { log.LogWarning(e, "Could not clear expired visitor state {Key}", key.GrainId); }
            if (Volatile.Read(ref entry.ExpiresAtTicks) <= now.UtcTicks) entries.TryRemove(new KeyValuePair<(string, GrainId), Entry>(key, entry)); // not if written meanwhile
        }
        return cleared;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepEvery, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var cleared = await Sweep(stoppingToken);
                if (cleared > 0) log.LogInformation("Cleared {Count} expired visitor states", cleared);
            }
        }
        catch (OperationCanceledException) { }
    }
}

/// <summary>Grain storage with visitor expiry: memory when embedded, Redis in a cluster, both under <see cref="Storage.Name"/>.</summary>
internal static class VisitorRetentionHosting
{
    private const string Inner = Storage.Name + "-inner";

    public static void AddLiveChatStorage(this Orleans.Hosting.ISiloBuilder silo, Configuration.LiveChatOptions options, IConfiguration configuration)
    {
        silo.Services.AddOptions<RetentionOptions>().Bind(configuration.GetSection("LiveChat:Retention"))
            .Validate(r => r.AnonymousVisitor > TimeSpan.Zero && r.Visitor > TimeSpan.Zero && r.SweepEvery > TimeSpan.Zero, "LiveChat:Retention: every period must be positive")
            .ValidateOnStart();
        if (options.Embedded)
        {
            silo.Services.AddGrainStorage(Inner, (_, _) => new Hosting.InProcessGrainStorage());
            silo.Services.AddSingleton<Orleans.Runtime.IPersistentStateFactory, Hosting.InProcessPersistentStateFactory>(); // no queued turn per read or write
            silo.Services.AddSingleton<MemoryVisitorExpiry>();
            silo.Services.AddSingleton<IVisitorExpiry>(sp => sp.GetRequiredService<MemoryVisitorExpiry>());
            silo.Services.AddHostedService(sp => sp.GetRequiredService<MemoryVisitorExpiry>());
        }
        else
        {
            var serviceId = options.Orleans.ServiceId;
            Func<string, GrainId, StackExchange.Redis.RedisKey> key = (stateName, grainId) => $"{serviceId}/state/{grainId}/{stateName}";
            silo.AddRedisGrainStorage(Inner, builder => builder.Configure<IServiceProvider>((s, services) =>
            {
                s.ConfigurationOptions = Hosting.Realtime.RedisConfiguration(options.Redis!);
                s.GetStorageKey = key;
                s.DeleteStateOnClear = true; // forgetting a visitor deletes their key
                s.GrainStorageSerializer = Storage.Serializer(services); // binary, reads older JSON states
            }));
            silo.Services.AddSingleton<IVisitorExpiry>(sp => new RedisVisitorExpiry(
                ConnectionMultiplexer.Connect(Hosting.Realtime.RedisConfiguration(options.Redis!)), key,
                sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<RetentionOptions>>()));
        }
        silo.Services.AddKeyedSingleton<IGrainStorage>(Storage.Name, (sp, _) =>
            new ExpiringVisitorStorage(sp.GetRequiredKeyedService<IGrainStorage>(Inner), sp.GetRequiredService<IVisitorExpiry>()));
    }
}
