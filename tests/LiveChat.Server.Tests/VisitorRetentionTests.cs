using System.Runtime.CompilerServices;
using LiveChat.Grains;
using LiveChat.Server.Hosting;
using LiveChat.Server.Visitors;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Orleans.Runtime;

namespace LiveChat.Server.Tests;

/// <summary>
/// Embedded mode's visitor expiry keeps a departed visitor's state until it expires, and nothing of their activation:
/// the grain's state object it is handed on each write belongs to the activation (in LiveChat, the persistent state
/// holds the grain's context, and so the grain, its queues and its timers). Kept by the expiry, a visitor who left
/// cost a whole activation for the 30-day retention period (issue 16: seen in a heap dump, 3,000 warm-up visitors'
/// grains still reachable after all of them had left and deactivated).
/// </summary>
public sealed class VisitorRetentionTests
{
    /// <summary>Stands for the activation's own state object: whatever it references lives as long as it does.</summary>
    private sealed class ActivationState(object activation) : IGrainState<VisitorState>
    {
        public object Activation { get; } = activation;
        [System.Diagnostics.CodeAnalysis.AllowNull] public VisitorState State { get; set; } = new();
        public string? ETag { get; set; }
        public bool RecordExists { get; set; }
    }

    private static readonly GrainId Visitor = GrainId.Create("visitor", "demo/v-departed");

    [Fact]
    public async Task ADepartedVisitorsStateIsKeptUntilItExpiresButTheirActivationIsNot()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-02T08:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var retention = new RetentionOptions { AnonymousVisitor = TimeSpan.FromDays(30) };
        var expiry = new MemoryVisitorExpiry(clock, Microsoft.Extensions.Options.Options.Create(retention), NullLogger<MemoryVisitorExpiry>.Instance);
        var inner = new InProcessGrainStorage();
        var storage = new ExpiringVisitorStorage(inner, expiry);

        var activation = await WriteAndDeactivate(storage);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.False(activation.IsAlive, "the expiry still holds the departed visitor's activation");
        Assert.Equal(1, expiry.Count);
        Assert.True(await Exists(inner), "the state is kept for the visitor's return");

        clock.Advance(TimeSpan.FromDays(30) - TimeSpan.FromMinutes(1));
        Assert.Equal(0, await expiry.Sweep());
        Assert.True(await Exists(inner));

        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, await expiry.Sweep());
        Assert.False(await Exists(inner), "an expired visitor's state is cleared");
        Assert.Equal(0, expiry.Count);
    }

    /// <summary>A visitor's activation writes its state, then deactivates: nothing in this method's frame outlives it.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<WeakReference> WriteAndDeactivate(ExpiringVisitorStorage storage)
    {
        var activation = new byte[1024];
        var state = new ActivationState(activation);
        state.State.Visits = 1;
        await storage.WriteStateAsync("visitor", Visitor, state);
        return new WeakReference(activation);
    }

    private static async Task<bool> Exists(InProcessGrainStorage storage)
    {
        var read = new ActivationState(new object());
        await storage.ReadStateAsync("visitor", Visitor, read);
        return read.RecordExists;
    }
}
