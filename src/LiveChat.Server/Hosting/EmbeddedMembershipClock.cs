using Orleans.Runtime;

namespace LiveChat.Server.Hosting;

/// <summary>
/// Embedded mode's clock for Orleans' membership area (<see cref="TimeProviderNames.Membership"/>): real time, with one
/// timer left unstarted, the thread-pool stall detector's 100 ms sampling.
/// </summary>
/// <remarks>
/// The detector lowers a silo's health score when its thread pool stalls, so that a struggling silo probes and votes
/// less in a cluster. An embedded node is a cluster of one: there is nobody to probe or vote on, and the timer only
/// woke the thread pool ten times a second, about 7 ms of an idle node's CPU a second (issue 16). Orleans offers no
/// switch for it, so it is recognised by its callback's type; should that type be renamed, the timer simply runs again
/// (<c>IdleNodeTests</c> would say so). A cluster keeps the detector.
/// </remarks>
internal sealed class EmbeddedMembershipClock : TimeProvider
{
    private const string StallDetector = "Orleans.Runtime.MembershipService.ThreadPoolStallDetector";
    private int skipped;

    /// <summary>How many stall-detector timers were left unstarted (one per silo start).</summary>
    public int SkippedStallDetectors => Volatile.Read(ref skipped);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (callback.Method.DeclaringType is { } type && (type.FullName?.StartsWith(StallDetector, StringComparison.Ordinal) ?? false))
        {
            Interlocked.Increment(ref skipped);
            return Unstarted.Instance;
        }
        return base.CreateTimer(callback, state, dueTime, period);
    }

    /// <summary>A timer that never fires, whatever it is changed to.</summary>
    private sealed class Unstarted : ITimer
    {
        public static readonly Unstarted Instance = new();
        public bool Change(TimeSpan dueTime, TimeSpan period) => true;
        public void Dispose() { }
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
