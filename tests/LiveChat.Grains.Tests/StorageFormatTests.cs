using LiveChat.Contracts;
using LiveChat.Grains.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace LiveChat.Grains.Tests;

/// <summary>
/// The grain-state format a cluster writes to Redis (<see cref="Storage.Serializer"/>): Orleans' binary format, which
/// reads back every field, is far smaller than the default JSON, and still reads the states an earlier version wrote as JSON.
/// </summary>
public sealed class StorageFormatTests(GrainCluster cluster) : IClassFixture<GrainCluster>
{
    private IGrainStorageSerializer Format => Storage.Serializer(cluster.SiloServices);
    private IGrainStorageSerializer Json => cluster.SiloServices.GetRequiredService<IGrainStorageSerializer>();

    [Fact]
    public void AVisitorStateReadsBackWithEveryFieldAndIsAFractionOfItsJson()
    {
        var state = Visitor();
        var binary = Format.Serialize(state);
        var back = Format.Deserialize<VisitorState>(binary);

        Assert.Equal(View(state), View(back!)); // field by field
        var json = Json.Serialize(state).ToMemory().Length;
        Assert.True(binary.ToMemory().Length * 3 < json, $"binary {binary.ToMemory().Length} bytes against JSON {json} bytes");
    }

    [Fact]
    public void AStateAnEarlierVersionWroteAsJsonIsStillRead()
    {
        var state = Visitor();
        var back = Format.Deserialize<VisitorState>(Json.Serialize(state));
        Assert.Equal(View(state), View(back!));
    }

    private static string View(VisitorState state) => System.Text.Json.JsonSerializer.Serialize(state);

    private static VisitorState Visitor()
    {
        var at = new DateTimeOffset(2026, 12, 1, 15, 0, 0, TimeSpan.Zero);
        var invitation = new InvitationView("inv-1", "checkout", "Checkout help", "Need help?", "Anna", new[] { "chat", "callback", "phone" });
        return new VisitorState
        {
            Visits = 2, Languages = ["nl-NL", "nl", "en"], VisitStartedAt = at, LastActivityAt = at.AddSeconds(40),
            Url = "https://shop.example/checkout", Title = "Afrekenen", Referrer = "https://www.google.com/", UtmCampaign = "winter",
            PageEnteredAt = at.AddSeconds(20), VisibleBanked = TimeSpan.FromSeconds(12.5), VisibleSince = at.AddSeconds(30), PagesThisVisit = 3,
            Cart = [new CartLine("sku-1", 1249.50m, 1)], LastEventAt = { ["cart"] = at.AddSeconds(10) },
            Journey = [new JourneyEntry(at, "page", "/checkout — Afrekenen"), new JourneyEntry(at.AddSeconds(21), "invitation", "shown 'Checkout help'")],
            Invitations = { ["checkout"] = new InvitationRecord(1, at.AddSeconds(21)) }, DismissalsThisVisit = 1, QuietUntil = at.AddMinutes(5),
            Pending = new PendingInvitation(invitation, at.AddSeconds(21), Variant: 1), ConversationId = "c-1", PastConversations = ["c-0"],
            Accepted = new PendingInvitation(invitation, at.AddSeconds(22)), ChattedAbout = new PendingInvitation(invitation, at.AddSeconds(22)),
            ConvertedThisVisit = true,
            Outbox = [PendingStat.Of(7, new StatEvent(StatKind.Shown, "checkout", "Checkout help", at, null, 1, null, null, null))], StatSeq = 7,
            RequestReferences = ["LC-1234"], TranscriptTo = { ["c-1"] = "visitor@example.com" },
            Fired = { ["checkout"] = new FiredRule("checkout", "Checkout help", false, 1, at.AddSeconds(21), Converted: true) },
            Contacts = [new ContactNote("c-1", "chat", "checkout", "Checkout help", at.AddSeconds(22), Resolved: true)],
            IdentityKeys = ["phone:abc"], EarlierContacts = [new ContactView("callback", at.AddDays(-2), "v-2", null, "LC-1000", "Checkout help", "phone")],
        };
    }
}
