using System.Text.RegularExpressions;
using LiveChat.Contracts;
using LiveChat.Grains.Tests.Infrastructure;

namespace LiveChat.Grains.Tests;

/// <summary>
/// The requests store (the 2,100-request flood: RequestFloodTests): references, caps instead of eviction, retention, booked slots, due alerts, the outbox, and
/// "where is my request?" answering only the visitor's own references. Caps here: 3 open per visitor, 4 per address.
/// </summary>
public sealed partial class RequestsGrainTests(GrainCluster cluster) : IClassFixture<GrainCluster>
{
    /// <summary>Mon-Fri 09:00-17:00 UTC; the cluster's clock starts on a Monday at 09:00.</summary>
    private const string Hours = """{"timeZone":"UTC","days":{"mon":"09:00-17:00","tue":"09:00-17:00","wed":"09:00-17:00","thu":"09:00-17:00","fri":"09:00-17:00"}}""";

    private readonly string site = GrainCluster.NewId("site");
    private IRequestsGrain Requests => cluster.Grains.GetGrain<IRequestsGrain>(site);
    private IRequestGrain Request(string reference) => cluster.Grains.GetGrain<IRequestGrain>(Keys.Of(site, reference));
    private DateTimeOffset Now => cluster.Clock.GetUtcNow();

    [GeneratedRegex("^LC-[23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{5}$")]
    private static partial Regex ReferenceFormat();

    /// <summary>Tests of one class share the fake clock: moves it on to the next Monday 09:00 UTC.</summary>
    private void ToMondayMorning()
    {
        var day = Now.UtcDateTime.Date.AddDays(1);
        while (day.DayOfWeek != DayOfWeek.Monday) day = day.AddDays(1);
        cluster.Advance(new DateTimeOffset(day.AddHours(9), TimeSpan.Zero) - Now);
    }

    private Task<CallbackView> Add(string visitorId, string kind = RequestKinds.Callback, string? address = null, DateTimeOffset? at = null) =>
        Requests.Add(new CallbackView("", "ignored", visitorId, kind, "+4420", null, null, "note", default, true, at), address);

    [Fact]
    public async Task RequestsGetUniqueReadableReferencesAndAreListedNewestFirst()
    {
        var stored = new List<CallbackView>();
        for (var i = 0; i < 60; i++) stored.Add(await Add($"v{i}"));

        Assert.All(stored, c => Assert.Matches(ReferenceFormat(), c.Reference));
        Assert.Equal(60, stored.Select(c => c.Reference).Distinct().Count());
        Assert.All(stored, c => Assert.Equal((site, false, RequestStatus.Received), (c.SiteId, c.Done, c.Status)));
        Assert.All(stored, c => Assert.InRange(c.CreatedAt, Now, Now.AddMilliseconds(1))); // strictly increasing within a site, by ticks
        Assert.Equal(stored.Select(c => c.CreatedAt).Order(), stored.Select(c => c.CreatedAt));
        Assert.Equal(60, (await Requests.Page(done: false, null, 100)).Count);
        Assert.Equal("note", (await Request(stored[7].Reference).Get())!.Text);
    }

    [Fact]
    public async Task APerVisitorAndAPerAddressCapRefuseWithAReasonAndLoseNothing()
    {
        var mine = new[] { await Add("ann"), await Add("ann"), await Add("ann") };

        var refused = await Assert.ThrowsAsync<RefusedException>(() => Add("ann"));
        Assert.Contains("you already have 3 open requests", refused.Message);
        Assert.Contains(mine[0].Reference, refused.Message);

        for (var i = 0; i < 4; i++) await Add($"office-{i}", address: "203.0.113.7");
        var byAddress = await Assert.ThrowsAsync<RefusedException>(() => Add("office-9", address: "203.0.113.7"));
        Assert.Contains("too many open requests from your network", byAddress.Message);

        await Add("office-9", address: "198.51.100.1"); // another address is not held back
        await Add("ann", kind: RequestKinds.MissedChat); // a missed chat is the queue's doing, not the visitor's: not capped
        await Requests.MarkDone(mine[0].Reference);
        await Add("ann"); // a done request frees its place
        Assert.Equal(3 + 1 + 4 + 1, await Requests.OpenCount());
    }

    [Fact]
    public async Task DoneRequestsAreKeptForTheRetentionPeriodThenDeleted()
    {
        var done = await Add("bob");
        var open = await Add("carl");
        Assert.True(await Requests.MarkDone(done.Reference, "Anna"));
        Assert.False(await Requests.MarkDone("LC-ZZZZZ"));
        var pushed = await cluster.Agents.Pushes.Next<CallbackView>(site, c => c.Reference == done.Reference && c.Done);
        Assert.Equal((RequestStatus.Done, "Anna"), (pushed.Status, pushed.HandledBy));
        Assert.Equal([done.Reference], await Requests.Page(done: true, null, 10));

        cluster.Advance(TimeSpan.FromDays(31));
        await Add("dora"); // retention is applied as requests come in

        Assert.Empty(await Requests.Page(done: true, null, 10));
        await GrainCluster.Eventually(() => Request(done.Reference).Get(), v => v is null, "the done request's data deleted");
        Assert.NotNull(await Request(open.Reference).Get()); // open ones stay, however old
    }

    [Fact]
    public async Task SlotsAreWithinBusinessHoursAndAFullSlotIsNotOffered()
    {
        await cluster.Site(site).Configure(new SiteSettings(null, Hours, 300, null));
        cluster.Directory.Invalidate(site);
        ToMondayMorning();

        var slots = await Requests.GetSlots("Europe/Amsterdam");

        Assert.Equal("Europe/Amsterdam", slots.TimeZone);
        Assert.Equal(30, slots.SlotMinutes);
        Assert.Equal(12, slots.Slots.Count);
        var first = slots.Slots[0];
        Assert.Equal(Now.AddMinutes(30), first.At); // 30 min lead, aligned to the half hour
        Assert.Equal(TimeSpan.FromHours(1), first.At.Offset); // start times in the visitor's zone
        Assert.All(slots.Slots, s => Assert.InRange(s.At.UtcDateTime.TimeOfDay, TimeSpan.FromHours(9), TimeSpan.FromHours(16.5)));
        Assert.Equal(2, first.Free);

        Assert.StartsWith("timeZone: unknown time zone 'Mars/Olympus'", (await Assert.ThrowsAsync<RefusedException>(() => Requests.GetSlots("Mars/Olympus"))).Message);
        var booked = await Add("erik", at: first.At);
        Assert.Equal(RequestStatus.Scheduled, booked.Status);
        await Add("fay", at: first.At);
        Assert.DoesNotContain((await Requests.GetSlots(null)).Slots, s => s.At == first.At);
        var full = await Assert.ThrowsAsync<RefusedException>(() => Add("gus", at: first.At));
        Assert.StartsWith("at:", full.Message);
        await Assert.ThrowsAsync<RefusedException>(() => Add("gus", at: Now.AddMinutes(47))); // not a slot start
        await Assert.ThrowsAsync<RefusedException>(() => Add("gus", at: Now.AddHours(9))); // after closing

        // Evening: the next slots are tomorrow morning.
        cluster.Advance(TimeSpan.FromHours(8));
        Assert.Equal(Now.Date.AddDays(1).AddHours(9), (await Requests.GetSlots(null)).Slots[0].At.UtcDateTime);
    }

    [Fact]
    public async Task ACallbackThatFallsDueAlertsTheSitesAgents()
    {
        await cluster.Site(site).Configure(new SiteSettings(null, null, 300, null));
        cluster.Directory.Invalidate(site);
        var at = (await Requests.GetSlots(null)).Slots[0].At;
        var booked = await Add("hana", at: at);
        Assert.DoesNotContain(cluster.Agents.Pushes.To<CallbackView>(site), c => c.Reference == booked.Reference && c.Due);

        cluster.Advance(at - Now + TimeSpan.FromSeconds(1));

        var due = await cluster.Agents.Pushes.Next<CallbackView>(site, c => c.Reference == booked.Reference && c.Due);
        Assert.Equal(at, due.At);
        await cluster.Events.Published.Next<string>(site, e => e == Events.CallbackDue);
    }

    [Fact]
    public async Task TheOutboxPersistsRetriesWithBackoffAndNeverQueuesAKeyTwice()
    {
        var request = await Add("ivy");
        var outbox = cluster.Grains.GetGrain<IOutboxGrain>(site);
        OutboxItem Mail() => new()
        {
            Key = request.Reference + ".confirmation", Channel = OutboxChannel.Mail, Purpose = MailPurpose.Confirmation, Target = "ivy@example.com",
            RequestReference = request.Reference, Mail = new OutgoingMail("ivy@example.com", null, null, null, "s", "t", request.Reference + ".confirmation"),
        };

        await outbox.Enqueue([Mail()]);
        await outbox.Enqueue([Mail()]);
        await GrainCluster.Eventually(() => Task.FromResult(cluster.Outbox.Started(site).Count), n => n == 1, "first attempt");
        var queued = await GrainCluster.Eventually(() => Request(request.Reference).Get(), v => v!.Mails!.Count == 1, "mail status on the request");
        Assert.Equal(MailStatus.Queued, queued!.Mails![0].Status);

        await outbox.Report(Mail().Key, new DeliveryOutcome(false, 4, "451 try later", false));
        var retrying = await GrainCluster.Eventually(() => Request(request.Reference).Get(), v => v!.Mails![0].Reason is not null, "reason shown");
        Assert.Equal((MailStatus.Queued, "451 try later", 4), (retrying!.Mails![0].Status, retrying.Mails[0].Reason, retrying.Mails[0].Attempts));
        cluster.Advance(TimeSpan.FromSeconds(30));
        await Task.Delay(100);
        Assert.Single(cluster.Outbox.Started(site)); // not before its backoff
        cluster.Advance(TimeSpan.FromSeconds(31));
        await GrainCluster.Eventually(() => Task.FromResult(cluster.Outbox.Started(site).Count), n => n == 2, "second round after a minute");

        await outbox.Report(Mail().Key, new DeliveryOutcome(true, 1, null, false));
        await outbox.Report(Mail().Key, new DeliveryOutcome(false, 1, "late duplicate report", false));
        await outbox.Enqueue([Mail()]); // already sent: not queued again
        var sent = await GrainCluster.Eventually(() => Request(request.Reference).Get(), v => v!.Mails![0].Status == MailStatus.Sent, "sent");
        Assert.Equal(5, sent!.Mails![0].Attempts);
        Assert.Equal(MailStatus.Sent, Assert.Single(await outbox.GetDeliveries(OutboxChannel.Mail, 10)).Status);
        cluster.Advance(TimeSpan.FromHours(2));
        await Task.Delay(100);
        Assert.Equal(2, cluster.Outbox.Started(site).Count);
    }

    [Fact]
    public async Task APermanentRefusalFailsTheMailWithItsReason()
    {
        var outbox = cluster.Grains.GetGrain<IOutboxGrain>(site);
        await outbox.Enqueue([new OutboxItem { Key = "k1", Channel = OutboxChannel.Webhook, Purpose = "x", Target = "http://127.0.0.1:9/hook", Hook = new WebhookCall("http://127.0.0.1:9/hook", "evt-1", "x", "{}") }]);
        await outbox.Report("k1", new DeliveryOutcome(false, 1, "550 no such user", true));
        var record = Assert.Single(await outbox.GetDeliveries(OutboxChannel.Webhook, 10));
        Assert.Equal((MailStatus.Failed, "550 no such user", "evt-1"), (record.Status, record.LastError, record.EventId));
    }

    [Fact]
    public async Task AVisitorSeesTheStatusOfTheirOwnRequestsOnly()
    {
        var ann = cluster.Grains.GetGrain<IVisitorGrain>(Keys.Of(site, "ann"));
        var bob = cluster.Grains.GetGrain<IVisitorGrain>(Keys.Of(site, "bob"));
        await ann.Hello("c1", new PageInfo("https://shop.example/contact"));
        await bob.Hello("c2", new PageInfo("https://shop.example/contact"));
        var reference = (await ann.LeaveMessage("ann@example.com", "Where is my parcel?", "Ann")).Reference;

        var status = await ann.GetRequestStatus(reference);
        Assert.Equal((reference, RequestKinds.Message, RequestStatus.Received), (status.Reference, status.Kind, status.Status));
        Assert.Equal("reference: not found", (await Assert.ThrowsAsync<RefusedException>(() => bob.GetRequestStatus(reference))).Message);
        Assert.Equal("reference: not found", (await Assert.ThrowsAsync<RefusedException>(() => ann.GetRequestStatus("LC-ZZZZZ"))).Message);

        await Requests.MarkDone(reference);
        Assert.Equal(RequestStatus.Done, (await ann.GetRequestStatus(reference)).Status);
        Assert.Equal(reference, Assert.Single(await ann.GetMyRequests()).Reference);
        Assert.Empty(await bob.GetMyRequests());
        await cluster.Events.Published.Next<string>(site, e => e == Events.MessageLeft);
    }
}
