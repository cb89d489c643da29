using System.Collections.Concurrent;
using System.Net;
using System.Threading.RateLimiting;

namespace LiveChat.Server.Auth;

/// <summary>
/// One limit kept per client address: a System.Threading.RateLimiting limiter for each address, made with manual
/// replenishment and refilled by one timer that runs only while some address's limiter is not full again. An address
/// whose limiter is full again is forgotten (a new one starts full), and once none is left the timer stops.
/// </summary>
/// <remarks>
/// ASP.NET Core's <see cref="PartitionedRateLimiter"/> does the same on a 100 ms heartbeat from start-up to shutdown,
/// which cost an idle node about 7 ms of CPU a second, most of it waking the thread pool (issue 16). A limiter's own
/// <c>TryReplenish</c> refills it only once its period has passed since its last refill, so a tick shorter than the
/// period makes a refill come at most one tick late.
/// </remarks>
internal sealed class AddressLimiter(TimeProvider clock, TimeSpan tick, Func<ReplenishingRateLimiter> create) : IDisposable
{
    private readonly ConcurrentDictionary<IPAddress, ReplenishingRateLimiter> limiters = new();
    private readonly Lock gate = new();
    private ITimer? timer;

    /// <summary>How many addresses hold a limiter that is not full again yet.</summary>
    public int Count => limiters.Count;

    /// <summary>Whether the replenishing timer runs.</summary>
    public bool Ticking => Volatile.Read(ref timer) is not null;

    /// <summary>A permit for one call from this address, or a refused lease.</summary>
    public RateLimitLease Acquire(IPAddress address)
    {
        var lease = limiters.GetOrAdd(address, _ => create()).AttemptAcquire();
        // After the limiter is in the table: a tick that just stopped the timer for an empty table set it null
        // first, so this sees null and starts it again.
        if (Volatile.Read(ref timer) is null)
            lock (gate) timer ??= NewTimer();
        return lease;
    }

    private ITimer NewTimer() => clock.CreateTimer(_ => Tick(), null, tick, tick);

    private void Tick()
    {
        foreach (var (address, limiter) in limiters)
        {
            limiter.TryReplenish();
            if (limiter.IdleDuration is not null && limiters.TryRemove(new KeyValuePair<IPAddress, ReplenishingRateLimiter>(address, limiter)))
                limiter.Dispose();
        }
        if (!limiters.IsEmpty) return;
        lock (gate)
        {
            if (!limiters.IsEmpty) return;
            timer?.Dispose();
            Volatile.Write(ref timer, null);
            // An Acquire that added its limiter after the check above may have read the timer before it was cleared.
            if (!limiters.IsEmpty) timer = NewTimer();
        }
    }

    public void Dispose()
    {
        lock (gate) timer?.Dispose();
        foreach (var limiter in limiters.Values) limiter.Dispose();
    }
}
