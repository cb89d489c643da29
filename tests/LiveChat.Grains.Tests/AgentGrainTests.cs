using LiveChat.Contracts;
using LiveChat.Grains.Tests.Infrastructure;

namespace LiveChat.Grains.Tests;

/// <summary>The agent grain's grace period runs on a grain timer, so the fake clock drives it.</summary>
public sealed class AgentGrainTests(GrainCluster cluster) : IClassFixture<GrainCluster>
{
    private readonly string site = GrainCluster.NewId("site");
    private IAgentGrain Agent => cluster.Grains.GetGrain<IAgentGrain>(Keys.Of(site, "a"));

    private async Task<AgentInfo> Seen() => (await cluster.Site(site).GetAgents()).Single(a => a.AgentId == "a");

    [Fact]
    public async Task ConsoleLanguageIsKeptWithTheStatusAcrossGoingOffline()
    {
        Assert.Equal(ConsoleLanguages.English, await Agent.GetLanguage());
        await Agent.Connected("console-1", "Ann");
        await Agent.SetLanguage(ConsoleLanguages.Dutch);
        await Agent.Disconnected("console-1");
        cluster.Advance(cluster.Timings.AgentDisconnectGrace);
        await GrainCluster.Eventually(Seen, a => a.Status == AgentStatus.Offline, "agent offline");

        // Offline, the grain deactivates; its next activation reads the language back from storage.
        Assert.Equal(ConsoleLanguages.Dutch, await Agent.GetLanguage());
    }

    [Fact]
    public async Task ConnectedAgentIsOnlineWithTheirCapacityAndGetsChats()
    {
        await Agent.Connected("console-1", "Ann");
        await Agent.SetStatus(AgentStatus.Online, 2);

        Assert.Equal(new AgentInfo("a", "Ann", AgentStatus.Online, 2, 0), await Seen());
        Assert.Equal("a", (await cluster.NewChat(site)).Routed.AgentId);
    }

    [Fact]
    public async Task AgentWhoseLastConsoleClosedGoesOfflineAfterTheGraceAndTheirChatsAreQueued()
    {
        await Agent.Connected("console-1", "Ann");
        var (chat, _) = await cluster.NewChat(site);

        await Agent.Disconnected("console-1");
        cluster.Advance(cluster.Timings.AgentDisconnectGrace - TimeSpan.FromSeconds(1));
        await Task.Delay(200);
        Assert.Equal(AgentStatus.Online, (await Seen()).Status);
        cluster.Advance(TimeSpan.FromSeconds(1));

        await GrainCluster.Eventually(Seen, a => a.Status == AgentStatus.Offline, "agent offline");
        Assert.Equal([chat.ConversationId], (await cluster.Site(site).GetQueue()).Select(q => q.ConversationId));
        Assert.Equal(ConversationStatus.Queued, (await cluster.View(chat.ConversationId)).Status);
    }

    [Fact]
    public async Task ReloadingTheConsoleWithinTheGraceKeepsTheChats()
    {
        await Agent.Connected("console-1", "Ann");
        var (chat, _) = await cluster.NewChat(site);

        await Agent.Disconnected("console-1");
        cluster.Advance(cluster.Timings.AgentDisconnectGrace / 2);
        await Agent.Connected("console-2", "Ann");
        cluster.Advance(cluster.Timings.AgentDisconnectGrace * 2);
        await Task.Delay(200);

        Assert.Equal((AgentStatus.Online, 1), ((await Seen()).Status, (await Seen()).OpenChats));
        Assert.Equal("a", (await cluster.View(chat.ConversationId)).AgentId);
    }
}
