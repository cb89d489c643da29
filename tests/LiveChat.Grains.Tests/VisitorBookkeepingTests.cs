using LiveChat.Contracts;
using LiveChat.Engagement;
using Microsoft.Extensions.Logging.Abstractions;

namespace LiveChat.Grains.Tests;

/// <summary>
/// The visitor grain's pure bookkeeping on its own (no silo): visits, pages and visible time (<see cref="VisitBook"/>),
/// invitation caps and outcomes (<see cref="InvitationBook"/>), contacts (<see cref="ContactBook"/>) and the notices a
/// page shows (<see cref="ShownNotices"/>).
/// </summary>
public sealed class VisitorBookkeepingTests
{
    private static readonly DateTimeOffset T = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Quiet = TimeSpan.FromMinutes(2);
    private const string Shop = "https://shop.example";

    private static DateTimeOffset At(double seconds) => T.AddSeconds(seconds);

    private static VisitorState Visiting(string path = "/", double at = 0)
    {
        var s = new VisitorState();
        VisitBook.EnterPage(s, new PageInfo(Shop + path), firstOfConnection: true, At(at));
        return s;
    }

    private static InvitationView Invitation(string ruleId = "cart", string id = "inv-1") =>
        new(id, ruleId, "cart-help", "Need help?", null, Offers.All.ToArray());

    private static readonly Rule CartRule = new() { Id = "cart", Situation = "cart-help", Then = new RuleThen { Text = "Need help?" } };

    // ── Visits, pages, visible time ──

    [Fact]
    public void FirstPageStartsTheFirstVisit()
    {
        var s = new VisitorState();
        var entry = VisitBook.EnterPage(s, new PageInfo(Shop + "/a", "A", "https://search.example"), firstOfConnection: true, T);
        Assert.Equal((true, false, true), (entry.NewVisit, entry.SamePage, entry.Changed));
        Assert.Equal((1, 1, T, T, "https://search.example"), (s.Visits, s.PagesThisVisit, s.VisitStartedAt, s.VisibleSince, s.Referrer));
    }

    [Theory]
    [InlineData(1799, false)]
    [InlineData(1800, true)]
    public void AVisitEndsAfterThirtyMinutesWithoutActivity(double later, bool newVisit)
    {
        var s = Visiting("/a?utm_campaign=spring");
        s.DismissalsThisVisit = 1;
        s.QuietUntil = At(60);
        s.Invitations["cart"] = new InvitationRecord(1, T);
        s.Fired["cart"] = new FiredRule("cart", null, false, null, T);
        s.LastEventAt["cart_add"] = T;
        var entry = VisitBook.EnterPage(s, new PageInfo(Shop + "/b"), firstOfConnection: false, At(later));
        Assert.Equal(newVisit, entry.NewVisit);
        Assert.Equal(newVisit ? 2 : 1, s.Visits);
        Assert.Equal(newVisit ? 1 : 2, s.PagesThisVisit);
        Assert.Equal(newVisit, s.Invitations.Count == 0 && s.Fired.Count == 0 && s.LastEventAt.Count == 0 && s.DismissalsThisVisit == 0 && s.QuietUntil is null);
        Assert.Equal(newVisit ? null : "spring", s.UtmCampaign);
    }

    [Fact]
    public void AReloadOfTheSamePageKeepsItsTimeAndIsNotWorthAWrite()
    {
        var s = Visiting("/a");
        VisitBook.SetVisible(s, false, At(10));
        var entry = VisitBook.EnterPage(s, new PageInfo(Shop + "/a"), firstOfConnection: true, At(20));
        Assert.Equal((false, true, false), (entry.NewVisit, entry.SamePage, entry.Changed));
        Assert.Equal((T, 1, TimeSpan.FromSeconds(10)), (s.PageEnteredAt, s.PagesThisVisit, s.VisibleBanked));
        Assert.Equal(At(20), s.VisibleSince); // a page that was just loaded is visible
    }

    [Fact]
    public void ThePageViewOfAnOpenTabIsANewPageEvenWhenTheUrlIsTheSame()
    {
        var s = Visiting("/a");
        var entry = VisitBook.EnterPage(s, new PageInfo(Shop + "/a"), firstOfConnection: false, At(20));
        Assert.False(entry.SamePage);
        Assert.Equal((At(20), 2, TimeSpan.Zero), (s.PageEnteredAt, s.PagesThisVisit, s.VisibleBanked));
    }

    [Fact]
    public void AReferrerLearnedLaterIsWorthAWrite()
    {
        var s = Visiting("/a");
        var entry = VisitBook.EnterPage(s, new PageInfo(Shop + "/a", Referrer: "https://ads.example"), firstOfConnection: true, At(5));
        Assert.True(entry.SamePage);
        Assert.True(entry.Changed);
        Assert.Equal("https://ads.example", s.Referrer);
    }

    [Fact]
    public void HiddenTimeDoesNotCountAsTimeOnPage()
    {
        var s = Visiting("/a");
        VisitBook.SetVisible(s, false, At(10));
        VisitBook.SetVisible(s, false, At(15)); // hidden twice: counted once
        VisitBook.SetVisible(s, true, At(40));
        VisitBook.SetVisible(s, true, At(45)); // visible twice: keeps the first instant
        Assert.Equal(TimeSpan.FromSeconds(15), VisitBook.Snapshot(s, "v").VisibleTimeOnPage(At(45)));
    }

    [Fact]
    public void EventsAreActivityAndCartEventsChangeTheCart()
    {
        var s = Visiting("/a");
        Assert.False(VisitBook.Track(s, "newsletter", new Dictionary<string, string>(), At(5)));
        Assert.True(VisitBook.Track(s, "cart_add", new Dictionary<string, string> { ["sku"] = "X", ["price"] = "12.50", ["quantity"] = "2" }, At(6)));
        Assert.Equal((At(6), At(5)), (s.LastActivityAt, s.LastEventAt["newsletter"]));
        Assert.Equal(25m, VisitBook.Summary(s, "site", "v", online: true).CartValue);
        Assert.Equal("cart_add sku=X, price=12.50, quantity=2", VisitBook.EventDetail("cart_add", new Dictionary<string, string> { ["sku"] = "X", ["price"] = "12.50", ["quantity"] = "2" }));
    }

    [Fact]
    public void EventNamesAreBoundedButKnownOnesStayCurrent()
    {
        var s = Visiting();
        for (var i = 0; i < VisitBook.EventNamesKept + 10; i++) VisitBook.Track(s, "e" + i, new Dictionary<string, string>(), At(i));
        Assert.Equal(VisitBook.EventNamesKept, s.LastEventAt.Count);
        VisitBook.Track(s, "e0", new Dictionary<string, string>(), At(500));
        Assert.Equal(At(500), s.LastEventAt["e0"]);
    }

    [Fact]
    public void TheJourneyIsBoundedAndLongDetailsAreCut()
    {
        var s = new VisitorState();
        for (var i = 0; i < Limits.JourneyEntries + 5; i++) VisitBook.AddJourney(s, At(i), "page", "/" + i);
        VisitBook.AddJourney(s, At(999), "event", new string('x', 1000));
        Assert.Equal(Limits.JourneyEntries, s.Journey.Count);
        Assert.Equal(VisitBook.JourneyDetail, s.Journey[^1].Detail.Length);
        Assert.Equal("/6", s.Journey[0].Detail);
    }

    [Fact]
    public void AnEndedConversationJoinsThePastOnesOnlyIfItWasTheOpenOne()
    {
        var s = new VisitorState { ConversationId = "c-2" };
        Assert.False(VisitBook.EndConversation(s, "c-1"));
        Assert.True(VisitBook.EndConversation(s, "c-2"));
        Assert.Null(s.ConversationId);
        Assert.Equal(new[] { "c-2" }, VisitBook.Conversations(s));
    }

    // ── Invitations ──

    [Fact]
    public void ShowingCountsTowardsTheRuleAndFiresItOncePerVisit()
    {
        var s = Visiting();
        Assert.Equal(new[] { StatKind.Invited, StatKind.Shown }, InvitationBook.Show(s, Invitation(), variant: 1, At(10)).Select(e => e.Kind));
        Assert.True(InvitationBook.Engaged(s));
        Assert.NotNull(InvitationBook.Dismiss(s, "inv-1", At(20), Quiet));
        Assert.Equal(new[] { StatKind.Shown }, InvitationBook.Show(s, Invitation(id: "inv-2"), variant: 1, At(300)).Select(e => e.Kind));
        Assert.Equal(2, s.Invitations["cart"].ShownThisVisit);
        Assert.Equal(2, VisitBook.Snapshot(s, "v").History["cart"].ShownThisVisit);
    }

    [Fact]
    public void ADismissalStartsTheQuietAndTwoStopManualInvitations()
    {
        var s = Visiting();
        InvitationBook.Show(s, Invitation(), null, At(10));
        Assert.False(InvitationBook.MayInviteManually(s, At(11))); // one at a time
        Assert.Null(InvitationBook.Dismiss(s, "inv-other", At(12), Quiet)); // not the open one: nothing changes
        Assert.NotNull(InvitationBook.Dismiss(s, "inv-1", At(12), Quiet));
        Assert.Equal(At(12) + Quiet, InvitationBook.QuietUntil(s, At(13)));
        Assert.False(InvitationBook.MayInviteManually(s, At(13)));
        Assert.True(InvitationBook.MayInviteManually(s, At(12) + Quiet));
        Assert.Null(InvitationBook.QuietUntil(s, At(12) + Quiet));

        InvitationBook.Show(s, Invitation(id: "inv-2"), null, At(500));
        InvitationBook.Dismiss(s, "inv-2", At(510), Quiet);
        Assert.False(InvitationBook.MayInviteManually(s, At(10_000))); // RuleEvaluator.DismissalsThatStopInvitations
    }

    [Fact]
    public void NoInvitationDuringAChat()
    {
        var s = Visiting();
        s.ConversationId = "c-1";
        Assert.True(InvitationBook.Engaged(s));
        Assert.False(InvitationBook.MayInviteManually(s, At(1)));
    }

    [Fact]
    public void AHeldOutVisitorIsCountedOnceAndOtherRulesWait()
    {
        var s = Visiting();
        Assert.Equal(new[] { StatKind.HeldOut }, InvitationBook.HoldOut(s, CartRule, At(10), Quiet).Select(e => e.Kind));
        Assert.Empty(InvitationBook.HoldOut(s, CartRule, At(500), Quiet));
        Assert.Null(s.Pending);
        Assert.True(s.Invitations["cart"].HeldOut);
        Assert.Equal(At(500) + Quiet, s.QuietUntil);
    }

    [Fact]
    public void AnAcceptedInvitationIsWhatTheChatIsAbout()
    {
        var s = Visiting();
        InvitationBook.Show(s, Invitation(), null, At(10));
        Assert.Null(InvitationBook.Accept(s, "inv-other"));
        Assert.Equal("inv-1", InvitationBook.Accept(s, "inv-1")?.Invitation.InvitationId);
        var origin = InvitationBook.StartChat(s, "c-1", At(20));
        Assert.Equal(("inv-1", "c-1"), (origin?.Invitation.InvitationId, s.ConversationId));
        Assert.Null(s.Accepted);
        Assert.Equal("cart", VisitBook.Summary(s, "site", "v", online: true).LastRuleId);
    }

    [Fact]
    public void AChatTheVisitorStartsIsAboutNoRule()
    {
        var s = Visiting();
        InvitationBook.Show(s, Invitation(), null, At(10)); // open, not accepted: the chat is not from it
        Assert.Null(InvitationBook.StartChat(s, "c-1", At(20)));
        Assert.Null(s.Pending);
        Assert.Equal("", s.ChattedAbout?.Invitation.RuleId);
        Assert.Null(VisitBook.Summary(s, "site", "v", online: true).LastRuleId);
    }

    [Fact]
    public void AnOrderCountsTheChatOnceAndEveryFiredRuleOnSideItWasOn()
    {
        var s = Visiting();
        InvitationBook.Show(s, Invitation(), variant: 0, At(10));
        InvitationBook.Accept(s, "inv-1");
        InvitationBook.StartChat(s, "c-1", At(20));
        InvitationBook.HoldOut(s, CartRule with { Id = "exit", Situation = "leaving" }, At(30), Quiet);

        var first = InvitationBook.OrderPlaced(s, At(40));
        Assert.Equal(
            new[] { (StatKind.Conversion, "cart", (int?)null), (StatKind.ConversionInvited, "cart", 0), (StatKind.ConversionHeldOut, "exit", null) },
            first.Select(e => (e.Kind, e.RuleId!, e.Variant)).OrderBy(e => e.Item1));
        Assert.Empty(InvitationBook.OrderPlaced(s, At(50))); // a second order in the same visit counts nothing again
    }

    // ── Contacts ──

    [Fact]
    public void AContactIsCountedForTheInvitationTakenUpElseTheLastRuleFired()
    {
        var s = Visiting();
        Assert.Equal((null, null), ContactBook.Attribution(s, null));
        s.Fired["a"] = new FiredRule("a", "first", false, null, At(1));
        s.Fired["b"] = new FiredRule("b", "second", true, null, At(2));
        Assert.Equal(("b", "second"), ContactBook.Attribution(s, null));
        Assert.Equal(("cart", "cart-help"), ContactBook.Attribution(s, new PendingInvitation(Invitation(), T)));
    }

    [Fact]
    public void IdentitiesAreHashedDedupedAndBounded()
    {
        var s = new VisitorState();
        var first = ContactBook.Identities(s, "site", "v", "+31 6 1234 5678", "Ann@Example.com");
        Assert.Equal(3, first.Count);
        Assert.Equal(ContactKeys.Visitor("site", "v"), first[0]);
        Assert.DoesNotContain(first, k => k.Contains("1234", StringComparison.Ordinal));
        Assert.Equal(3, ContactBook.Identities(s, "site", "v", "0031612345678", "ann@example.com ").Count); // the same number and address
        for (var i = 0; i < 20; i++) ContactBook.Identities(s, "site", "v", $"+4670000{i:D4}", null);
        Assert.Equal(ContactBook.IdentitiesKept, s.IdentityKeys.Count);
    }

    [Fact]
    public void EarlierContactsCountOnceAndOnlyWithinTheWindow()
    {
        var s = new VisitorState();
        var recent = new ContactView("chat", At(-3600), "v", "c-0", null, null, "visitor");
        var sameByPhone = recent with { Via = "phone" };
        var old = new ContactView("callback", T - ContactHistoryGrain.Window - TimeSpan.FromHours(1), "v", null, "LC-1", null, "visitor");
        var note = new ContactNote("c-1", ContactChannels.ChatStartedByVisitor, null, null, T);
        Assert.Equal(2, ContactBook.Add(s, note, [recent, sameByPhone, old]));
        Assert.Equal(new[] { recent }, s.EarlierContacts);
        Assert.Equal(new[] { note }, s.Contacts);
    }

    [Fact]
    public void AContactIsResolvedOnce()
    {
        var s = new VisitorState();
        ContactBook.Add(s, new ContactNote("LC-1", ContactChannels.Callback, "cart", "cart-help", T), []);
        var resolved = ContactBook.Resolve(s, "LC-1", At(90));
        Assert.Equal((StatKind.Resolved, 90.0, ContactChannels.Callback), (resolved?.Kind, resolved?.Seconds, resolved?.Channel));
        Assert.Null(ContactBook.Resolve(s, "LC-1", At(100)));
        Assert.Null(ContactBook.Resolve(s, "LC-unknown", At(100)));
    }

    [Theory]
    [InlineData(ContactChannels.ChatFromInvitation, "chat", "k", null)]
    [InlineData(ContactChannels.Callback, "callback", null, "k")]
    [InlineData(ContactChannels.Phone, "phone", null, null)]
    public void AContactIsFiledByItsKind(string channel, string kind, string? conversationId, string? reference)
    {
        var view = ContactBook.View(channel, "k", T, "v", "s");
        Assert.Equal((kind, conversationId, reference), (view.Kind, view.ConversationId, view.Reference));
    }

    // ── Notices on the page ──

    private static NoticeView Notice(string id, string? page = null, string severity = NoticeSeverity.Info, string text = "Delays today") =>
        new(id, text, severity, null, page, null);

    private static NoticeSet Set(long version, params NoticeView[] notices) =>
        NoticeSet.From(new ActiveNotices(version, notices), T, "site", NullLogger.Instance);

    [Fact]
    public void APageShowsItsNoticesAndTheDifferenceIsWhatIsPushed()
    {
        var shown = new ShownNotices();
        var first = shown.Update(Set(1, Notice("n1"), Notice("n2", page: "/checkout*")), "/shop", T);
        Assert.Equal((0, 1, 1), (first.Cleared.Count, first.Sent.Count, first.FirstSeen.Count));

        var checkout = shown.Update(Set(1, Notice("n1"), Notice("n2", page: "/checkout*")), "/checkout", T);
        Assert.Equal(new[] { "n2" }, checkout.Sent.Select(n => n.NoticeId));
        Assert.Equal(new[] { "n2" }, checkout.FirstSeen);

        var edited = shown.Update(Set(2, Notice("n1", text: "Delays until noon")), "/checkout", T);
        Assert.Equal(new[] { "n2" }, edited.Cleared);
        Assert.Equal(new[] { "Delays until noon" }, edited.Sent.Select(n => n.Text)); // an edited notice is sent again
        Assert.Empty(edited.FirstSeen); // but was seen already
        Assert.Equal(new[] { "n1" }, shown.Current.Select(n => n.NoticeId));
    }

    [Fact]
    public void AnOlderSetNeverReplacesANewerOne()
    {
        var shown = new ShownNotices();
        shown.Update(Set(3, Notice("n3")), "/", T);
        var late = shown.Update(Set(2, Notice("n2")), "/", T);
        Assert.Equal(new[] { "n3" }, shown.Current.Select(n => n.NoticeId));
        Assert.Empty(late.Sent);
        Assert.Equal(3, shown.AtLeast(1));
        Assert.Equal(5, shown.AtLeast(5));
    }

    [Fact]
    public void NoticesSeenCountAsContactedAfterOnce()
    {
        var shown = new ShownNotices();
        Assert.Empty(shown.Contacted());
        Assert.False(shown.OutageCovers("/", T));
        shown.Update(Set(1, Notice("n1", severity: NoticeSeverity.Outage)), "/", T);
        Assert.True(shown.OutageCovers("/", T));
        Assert.Equal(new[] { "n1" }, shown.Contacted());
        Assert.Empty(shown.Contacted());
    }
}
