using System.Collections.Concurrent;
using System.Net;

namespace LiveChat.Server.Auth;

/// <summary>
/// Failed sign-ins counted per (agent id, client address). After <see cref="FreeFailures"/> failures that pair
/// waits <see cref="FirstLockOut"/>, doubling with every further failure up to <see cref="MaxLockOut"/>; a
/// success clears it. The real agent signing in from their own address is never held up by someone else's guesses.
/// </summary>
internal sealed class SignInThrottle(TimeProvider clock)
{
    public const int FreeFailures = 5;
    public static readonly TimeSpan FirstLockOut = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan MaxLockOut = TimeSpan.FromMinutes(30);
    /// <summary>A pair with no failure for this long is forgotten.</summary>
    private static readonly TimeSpan Forget = TimeSpan.FromHours(1);
    private const int PruneAbove = 10_000;

    private readonly ConcurrentDictionary<(string Id, string Address), Entry> entries = new();

    public TimeSpan? Wait(string agentId, IPAddress? client)
    {
        var now = clock.GetUtcNow();
        return entries.TryGetValue(Key(agentId, client), out var e) && e.LockedUntil > now ? e.LockedUntil - now : null;
    }

    public void Succeeded(string agentId, IPAddress? client) => entries.TryRemove(Key(agentId, client), out _);

    public void Failed(string agentId, IPAddress? client)
    {
        var now = clock.GetUtcNow();
        entries.AddOrUpdate(Key(agentId, client), _ => new Entry(1, now, DateTimeOffset.MinValue), (_, e) =>
        {
            var failures = e.Failures + 1;
            if (failures < FreeFailures) return e with { Failures = failures, LastFailure = now };
            var doublings = Math.Min(failures - FreeFailures, 10);
            var lockOut = TimeSpan.FromTicks(Math.Min(FirstLockOut.Ticks << doublings, MaxLockOut.Ticks));
            return new Entry(failures, now, now + lockOut);
        });
        if (entries.Count > PruneAbove)
            foreach (var (key, e) in entries)
                if (now - e.LastFailure > Forget && e.LockedUntil < now) entries.TryRemove(key, out _);
    }

    private static (string, string) Key(string agentId, IPAddress? client) => (agentId, client?.ToString() ?? "");

    private sealed record Entry(int Failures, DateTimeOffset LastFailure, DateTimeOffset LockedUntil);
}
