using LiveChat.Contracts;
using LiveChat.Grains.Tests.Infrastructure;

namespace LiveChat.Grains.Tests;

/// <summary>An agent's manual invitation goes through the same caps as a rule's: "no thanks" means quiet for a while.</summary>
public sealed class ManualInvitationTests(GrainCluster cluster) : IClassFixture<GrainCluster>
{
    private const string Shop = "https://shop.example";
    private readonly string site = GrainCluster.NewId("site");
    private readonly string visitorId = GrainCluster.NewId("v");
    private IVisitorGrain Visitor => cluster.Visitor(site, visitorId);
    private string Key => Keys.Of(site, visitorId);
    private IReadOnlyList<InvitationView> Invitations => cluster.Visitors.Pushes.To<InvitationView>(Key);

    [Fact]
    public async Task AManualInvitationWaitsForTheQuietPeriodAfterADismissal()
    {
        await cluster.Site(site).SetRules("[]");
        await Visitor.Hello("conn-1", new PageInfo(Shop + "/loans"));
        Assert.True(await Visitor.Invite("Can I help?", "Ada"));
        await cluster.Visitors.Pushes.Next<InvitationView>(Key, _ => Invitations.Count >= 1);
        await Visitor.DismissInvitation(Invitations[0].InvitationId);

        Assert.False(await Visitor.Invite("Still there?", "Ada"));
        cluster.Advance(cluster.Timings.QuietAfterDismiss - TimeSpan.FromSeconds(1));
        Assert.False(await Visitor.Invite("Still there?", "Ada"));
        cluster.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await Visitor.Invite("Anything else?", "Ada"));
        await cluster.Visitors.Pushes.Next<InvitationView>(Key, _ => Invitations.Count >= 2);
        Assert.Equal("Anything else?", Invitations[1].Text);
    }
}
