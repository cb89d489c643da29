using LiveChat.Contracts;
using LiveChat.Grains.Tests.Infrastructure;

namespace LiveChat.Grains.Tests;

/// <summary>Open widgets hear availability when it changes, as a code they word honestly, and not on every event.</summary>
public sealed class AvailabilityTests(GrainCluster cluster) : IClassFixture<GrainCluster>
{
    private readonly string site = GrainCluster.NewId("site");

    private IReadOnlyList<string?> Pushed => cluster.Visitors.Pushes.To<SiteInfo>(site).Select(s => s.Availability).ToList();

    [Fact]
    public async Task EachChangeIsPushedOnceAndTheSiteSaysWhyNobodyAnswers()
    {
        Assert.Equal(Availability.Offline, await cluster.Site(site).GetAvailability());
        await cluster.Online(site, "only", capacity: 1);
        Assert.Equal(Availability.Available, await cluster.Site(site).GetAvailability());

        await cluster.NewChat(site); // takes the only seat
        await cluster.NewChat(site); // queued: no change
        await cluster.Site(site).UpdateAgent(new AgentInfo("only", "Only", AgentStatus.Online, 1, 0)); // same again: no change
        Assert.Equal(Availability.Busy, await cluster.Site(site).GetAvailability());
        await cluster.Offline(site, "only", capacity: 1);

        Assert.Equal([Availability.Available, Availability.Busy, Availability.Offline], Pushed);
    }

    [Theory]
    [InlineData(true, true, true, Availability.Available)]
    [InlineData(false, true, true, Availability.Busy)]
    [InlineData(false, false, true, Availability.Offline)]
    [InlineData(true, true, false, Availability.Closed)]
    public void TheCodeFollowsSeatsPeopleAndHours(bool seatFree, bool online, bool open, string expected) =>
        Assert.Equal(expected, Availability.Of(seatFree, online, open));
}
