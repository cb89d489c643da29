using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using StackExchange.Redis;

namespace LiveChat.Server.Visitors;

/// <summary>
/// The secret <see cref="VisitorTokens"/> signs with: 32 random bytes, made once per deployment. In a cluster it lives in
/// Redis (<c>{prefix}:visitor-token-key</c>) encrypted with the Data Protection key ring every node shares, and the
/// first node to need it makes it (set-if-absent), so a token signed on one node opens on all. Embedded mode makes one
/// per process: its visitors' state ends with the process anyway. Deleting the Redis key gives every visitor a fresh
/// identity, as losing the key ring would.
/// </summary>
public sealed class VisitorTokenKey : IDisposable
{
    private readonly Func<Task<byte[]>> load;
    private readonly SemaphoreSlim loading = new(1, 1);
    private byte[]? secret;

    private VisitorTokenKey(Func<Task<byte[]>> load) => this.load = load;

    public static VisitorTokenKey PerProcess()
    {
        var secret = RandomNumberGenerator.GetBytes(32);
        return new(() => Task.FromResult(secret)) { secret = secret };
    }

    public static VisitorTokenKey Shared(IConnectionMultiplexer redis, IDataProtectionProvider protection, string redisKey) => new(async () =>
    {
        var protector = protection.CreateProtector("LiveChat.VisitorTokenKey.v1");
        var db = redis.GetDatabase();
        var stored = (byte[]?)await db.StringGetAsync(redisKey);
        if (stored is null)
        {
            await db.StringSetAsync(redisKey, protector.Protect(RandomNumberGenerator.GetBytes(32)), when: When.NotExists); // another node may win: read what is there
            stored = (byte[]?)await db.StringGetAsync(redisKey) ?? throw new InvalidOperationException($"the visitor token key {redisKey} could not be read from Redis");
        }
        return protector.Unprotect(stored);
    });

    /// <summary>
    /// Loads the key on first use, without blocking a thread on Redis (which may be away at start-up, or slow under
    /// load); a failed load is tried again on the next call. Completed at once once loaded.
    /// </summary>
    public ValueTask LoadAsync() => Volatile.Read(ref secret) is null ? new ValueTask(LoadOnceAsync()) : ValueTask.CompletedTask;

    private async Task LoadOnceAsync()
    {
        await loading.WaitAsync();
        try { if (secret is null) Volatile.Write(ref secret, await load()); }
        finally { loading.Release(); }
    }

    public void Dispose() => loading.Dispose();

    /// <summary>The key, once <see cref="LoadAsync"/> has completed.</summary>
    public byte[] Secret => Volatile.Read(ref secret) ?? throw new InvalidOperationException("the visitor token key is not loaded yet: await VisitorTokens.ReadyAsync first");
}
