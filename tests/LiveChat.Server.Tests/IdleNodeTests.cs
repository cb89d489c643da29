using LiveChat.Server.Auth;
using LiveChat.Server.Hosting;
using LiveChat.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime;

namespace LiveChat.Server.Tests;

/// <summary>
/// What an embedded node leaves asleep while nothing happens: each 100 ms timer cost an idle node ~7 ms of CPU a second
/// (issue 16). The CPU itself is measured by the load harness, not here; these check the timers are really gone.
/// </summary>
public sealed class IdleNodeTests
{
    [Fact]
    public async Task OrleansThreadPoolStallDetectorIsNotStartedOnAClusterOfOne()
    {
        await using var server = await TestServer.Start();

        var clock = server.Services.GetRequiredKeyedService<TimeProvider>(TimeProviderNames.Membership);

        // One silo started, one detector left unstarted: Orleans resolved this clock and its detector was recognised.
        Assert.Equal(1, Assert.IsType<EmbeddedMembershipClock>(clock).SkippedStallDetectors);
        // Every other membership timer still runs on real time.
        using var other = clock.CreateTimer(_ => { }, null, TimeSpan.FromHours(1), Timeout.InfiniteTimeSpan);
        Assert.Equal(1, ((EmbeddedMembershipClock)clock).SkippedStallDetectors);
        Assert.True(clock.GetUtcNow() - DateTimeOffset.UtcNow < TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task StatelessWorkersAreNotInspectedOnATimer()
    {
        await using var server = await TestServer.Start();

        // Orleans starts a 500 ms inspection timer per stateless worker type only when idle workers are removed.
        Assert.False(server.Services.GetRequiredService<IOptions<StatelessWorkerOptions>>().Value.RemoveIdleWorkers);
    }

    [Fact]
    public async Task NoRateLimitTimerRunsBeforeAnyoneIsLimited()
    {
        await using var server = await TestServer.Start();
        using var http = server.Http();
        (await http.GetAsync("/health/ready")).EnsureSuccessStatusCode(); // a request that is not rate-limited

        var limits = server.Services.GetRequiredService<RateLimits>();
        Assert.False(limits.Ticking(RateLimits.Api));
        Assert.False(limits.Ticking(RateLimits.Login));
    }
}
