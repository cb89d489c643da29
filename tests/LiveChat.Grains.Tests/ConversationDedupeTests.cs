using Orleans;
using Orleans.Runtime;
using LiveChat.Contracts;
using LiveChat.Grains.Tests.Infrastructure;

namespace LiveChat.Grains.Tests;

/// <summary>Retries are deduplicated per sender identity, and only after the sender is allowed to write at all.</summary>
public sealed class ConversationDedupeTests(GrainCluster cluster) : IClassFixture<GrainCluster>
{
    private readonly string site = GrainCluster.NewId("site");

    [Fact]
    public async Task AfterATransferTheNewAgentsMessageWithTheOldAgentsClientIdIsTheirOwn()
    {
        var entry = await cluster.NewConversation(site);
        var conversation = cluster.Conversation(entry.ConversationId);
        await conversation.Assign("a", "Agent a", null);
        var fromA = await conversation.Append(Senders.Agent, "a", "Agent a", "cm-1", "from A");
        await conversation.Assign("b", "Agent b", "over to you");

        var fromB = await conversation.Append(Senders.Agent, "b", "Agent b", "cm-1", "from B");

        Assert.NotEqual(fromA.MessageId, fromB.MessageId);
        var messages = await conversation.GetMessages(0);
        Assert.Equal(["from A", "from B"], messages.Where(m => m.From == Senders.Agent).Select(m => m.Text));
        Assert.Equal(fromB, await conversation.Append(Senders.Agent, "b", "Agent b", "cm-1", "from B")); // B's own retry still dedupes
    }

    [Fact]
    public async Task AnAgentWhoIsNotAssignedIsRefusedEvenWhenRetryingAnEarlierMessage()
    {
        var entry = await cluster.NewConversation(site);
        var conversation = cluster.Conversation(entry.ConversationId);
        await conversation.Assign("a", "Agent a", null);
        await conversation.Append(Senders.Agent, "a", "Agent a", "cm-1", "from A");
        await conversation.Assign("b", "Agent b", null);

        var retryByA = await Assert.ThrowsAsync<RefusedException>(() => conversation.Append(Senders.Agent, "a", "Agent a", "cm-1", "from A"));
        var stranger = await Assert.ThrowsAsync<RefusedException>(() => conversation.Append(Senders.Agent, "c", "Agent c", "cm-1", "from A"));

        Assert.Contains("not assigned to you", retryByA.Message);
        Assert.Contains("not assigned to you", stranger.Message);
    }

    [Fact]
    public async Task MessagesSurviveAReactivationAndRetriesStillDedupe()
    {
        var entry = await cluster.NewConversation(site);
        var conversation = cluster.Conversation(entry.ConversationId);
        var first = await conversation.Append(Senders.Visitor, entry.VisitorId, null, "cm-1", "one");
        await conversation.Append(Senders.Visitor, entry.VisitorId, null, "cm-2", "two");

        await Task.Delay(100);
        await cluster.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.FromMilliseconds(50)); // a fresh activation reloads

        Assert.Equal(first, await conversation.Append(Senders.Visitor, entry.VisitorId, null, "cm-1", "one"));
        var third = await conversation.Append(Senders.Visitor, entry.VisitorId, null, "cm-3", "three");
        Assert.Equal(3, third.Sequence);
        Assert.Equal(["one", "two", "three"], (await conversation.GetMessages(0)).Select(m => m.Text));
    }
}
