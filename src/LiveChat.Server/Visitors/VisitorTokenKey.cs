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
public sealed class VisitorTokenKey
{
    private readonly Func<byte[]> load;
    private readonly Lock gate = new();
    private byte[]? secret;

    private VisitorTokenKey(Func<byte[]> load) => this.load = load;

    public static VisitorTokenKey PerProcess() => new(() => RandomNumberGenerator.GetBytes(32));

    public static VisitorTokenKey Shared(IConnectionMultiplexer redis, IDataProtectionProvider protection, string redisKey) => new(() =>
    {
        var protector = protection.CreateProtector("LiveChat.VisitorTokenKey.v1");
        var db = redis.GetDatabase();
        var stored = (byte[]?)db.StringGet(redisKey);
        if (stored is null)
        {
            db.StringSet(redisKey, protector.Protect(RandomNumberGenerator.GetBytes(32)), when: When.NotExists); // another node may win: read what is there
            stored = (byte[]?)db.StringGet(redisKey) ?? throw new InvalidOperationException($"the visitor token key {redisKey} could not be read from Redis");
        }
        return protector.Unprotect(stored);
    });

    /// <summary>Loaded on first use (Redis may be away at start-up); a failed load is tried again on the next call.</summary>
    public byte[] Secret
    {
        get
        {
            if (Volatile.Read(ref secret) is { } known) return known;
            lock (gate) return secret ??= load();
        }
    }
}
