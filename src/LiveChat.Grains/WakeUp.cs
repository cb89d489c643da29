namespace LiveChat.Grains;

/// <summary>
/// Lets a background loop sleep while it has nothing to do, instead of ticking (on this 2-core machine a 100 ms
/// timer alone costs ~7 ms of CPU a second, issue 16). Producers call <see cref="Set"/> after adding work, from any
/// thread; the loop calls <see cref="SleepUnless"/>. Both sides fence, so work added while the loop goes to sleep is
/// never slept through.
/// </summary>
public sealed class WakeUp
{
    private TaskCompletionSource? sleeping;

    /// <summary>Wakes the loop if it sleeps; call it after the write that gives it work.</summary>
    public void Set()
    {
        Interlocked.MemoryBarrier(); // the producer's write before this read; pairs with the exchange in SleepUnless
        Volatile.Read(ref sleeping)?.TrySetResult();
    }

    /// <summary>Returns at once when <paramref name="hasWork"/> holds, otherwise on <see cref="Set"/> or once <paramref name="timeout"/> has passed.</summary>
    public async Task SleepUnless(Func<bool> hasWork, TimeSpan timeout, CancellationToken cancellation)
    {
        if (hasWork()) return;
        var wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Exchange(ref sleeping, wake);
        try
        {
            if (hasWork()) return; // re-checked after publishing the wake-up: work that came in between is seen
            try { await wake.Task.WaitAsync(timeout, cancellation); }
            catch (TimeoutException) { }
        }
        finally { Volatile.Write(ref sleeping, null); }
    }
}
