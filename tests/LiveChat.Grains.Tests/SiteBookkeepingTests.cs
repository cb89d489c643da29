using LiveChat.Contracts;

namespace LiveChat.Grains.Tests;

/// <summary>
/// The site grain's pure bookkeeping on its own (no silo): agents and seats (<see cref="Roster"/>), the queue's places
/// and estimates (<see cref="QueueBook"/>) and what is due for chats whose visitor left (<see cref="LeftChats"/>).
/// </summary>
public sealed class SiteBookkeepingTests
{
    private static readonly DateTimeOffset T = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly GrainTimings Timings = new()
    {
        QueuedChatAbandonAfter = TimeSpan.FromMinutes(2), LeftChatFreesSeatAfter = TimeSpan.FromMinutes(1), LeftChatCloseAfter = TimeSpan.FromMinutes(5),
    };

    private static SiteState Site(int maxWaitSeconds = 300, params (string Id, string Status, int Capacity)[] agents)
    {
        var s = new SiteState { Settings = new SiteSettings(null, null, maxWaitSeconds, null) };
        foreach (var (id, status, capacity) in agents) Roster.Update(s, new AgentInfo(id, id.ToUpperInvariant(), status, capacity, 0));
        return s;
    }

    private static QueueEntry Entry(string conversationId, DateTimeOffset? leftAt = null) =>
        new("site", conversationId, "v-" + conversationId, null, null, T, null, leftAt);

    // ── Roster ──

    [Fact]
    public void TheLeastLoadedAgentWithRoomIsPickedTiesById()
    {
        var s = Site(agents: [("b", AgentStatus.Online, 2), ("a", AgentStatus.Online, 2), ("c", AgentStatus.Away, 5)]);
        Assert.Equal("a", Roster.PickAgent(s));
        Roster.Seat(s, "a", "c-1");
        Assert.Equal("b", Roster.PickAgent(s));
        Roster.Seat(s, "b", "c-2");
        Roster.Seat(s, "a", "c-3");
        Roster.Seat(s, "b", "c-4");
        Assert.Null(Roster.PickAgent(s)); // both full; the away agent takes nothing
        Assert.False(Roster.AnyHasRoom(s));
        Assert.True(Roster.AnyOnline(s));
        Assert.Equal("b", Roster.AgentOf(s, "c-4"));
    }

    [Fact]
    public void AChatWhoseVisitorLeftLongEnoughAgoGivesItsSeatBack()
    {
        var s = Site(agents: [("a", AgentStatus.Online, 1)]);
        Roster.Seat(s, "a", "c-1");
        Assert.Null(Roster.PickAgent(s));
        s.Agents["a"].Freed.Add("c-1");
        Assert.Equal("a", Roster.PickAgent(s));
        Assert.Equal(0, Roster.List(s).Single().OpenChats);
    }

    [Fact]
    public void GoingOfflineWithChatsIsReportedAndVacatingReturnsThem()
    {
        var s = Site(agents: [("a", AgentStatus.Online, 3)]);
        Roster.Seat(s, "a", "c-1");
        Roster.Seat(s, "a", "c-2");
        s.Agents["a"].Left["c-2"] = T;
        var (slot, wentOffline) = Roster.Update(s, new AgentInfo("a", "A", AgentStatus.Offline, 3, 0));
        Assert.True(wentOffline);
        var (chats, left) = Roster.Vacate(slot);
        Assert.Equal(new[] { "c-1", "c-2" }, chats);
        Assert.Equal(T, left["c-2"]);
        Assert.Empty(slot.Open);
        Assert.False(Roster.Update(s, new AgentInfo("a", "A", AgentStatus.Offline, 3, 0)).WentOfflineWithChats);
    }

    [Fact]
    public void ATransferredChatWhoseVisitorIsAwayStaysAway()
    {
        var s = Site(agents: [("a", AgentStatus.Online, 3), ("b", AgentStatus.Online, 3)]);
        Roster.Seat(s, "a", "c-1");
        s.Agents["a"].Left["c-1"] = T;
        s.Agents["a"].Freed.Add("c-1");
        Roster.Move(s.Agents["a"], s.Agents["b"], "c-1");
        Assert.Empty(s.Agents["a"].Open);
        Assert.Empty(s.Agents["a"].Left);
        Assert.Equal(T, s.Agents["b"].Left["c-1"]);
        Assert.Equal(1, s.Agents["b"].Busy); // the new agent's seat is taken until the same clock frees it
    }

    [Fact]
    public void AvailabilityChangesOnlyWhenRoomOrPresenceDoes()
    {
        var s = Site(agents: [("a", AgentStatus.Online, 1)]);
        var before = new SiteAvailability(true, 5, AgentsOnline: true);
        Assert.Null(Roster.AvailabilityAfter(s, before, T));
        Roster.Seat(s, "a", "c-1");
        var full = Roster.AvailabilityAfter(s, before, T);
        Assert.Equal((false, true, T.UtcTicks), (full?.AgentAvailable, full?.AgentsOnline, full?.Seq));
        var later = Roster.AvailabilityAfter(s, full! with { AgentAvailable = true, Seq = long.MaxValue - 1 }, T);
        Assert.Equal(long.MaxValue, later?.Seq); // always newer than the copy before, whatever the clock says
    }

    [Fact]
    public void AgentsAreListedByName()
    {
        var s = Site(agents: [("z", AgentStatus.Online, 1), ("m", AgentStatus.Offline, 1)]);
        Assert.Equal(new[] { "M", "Z" }, Roster.List(s).Select(a => a.Name));
    }

    // ── Queue ──

    [Fact]
    public void PlacesCountOnlyVisitorsWhoAreThere()
    {
        var s = Site();
        s.Queue.AddRange([Entry("c-1"), Entry("c-2", leftAt: T), Entry("c-3")]);
        Assert.Equal(1, QueueBook.PlaceOf(s, "c-1"));
        Assert.Null(QueueBook.PlaceOf(s, "c-2"));
        Assert.Equal(2, QueueBook.PlaceOf(s, "c-3"));
        Assert.Null(QueueBook.PlaceOf(s, "c-unknown"));
        Assert.Equal(0, QueueBook.NextWaiting(s));
        Assert.Equal("c-1", QueueBook.Take(s, 0).ConversationId);
        Assert.Equal(1, QueueBook.NextWaiting(s)); // c-2 is skipped: nobody is there to be served
    }

    [Theory]
    [InlineData(1, 0, null)] // nobody online: unknown
    [InlineData(1, 2, 90)] // 1 × 180 s ÷ 2 seats
    [InlineData(3, 2, 270)]
    [InlineData(1, 7, 26)] // rounded up
    public void TheEstimateIsPlaceTimesHandlingOverOnlineSeats(int place, int seats, int? seconds)
    {
        var s = seats == 0 ? Site() : Site(agents: [("a", AgentStatus.Online, seats), ("b", AgentStatus.Away, 10)]);
        Assert.Equal(seconds, QueueBook.Estimate(s, place));
    }

    [Fact]
    public void TheEstimateFollowsTheLatestHandlingTimes()
    {
        var s = Site(agents: [("a", AgentStatus.Online, 1)]);
        for (var i = 0; i < QueueBook.HandlingTimesKept; i++) QueueBook.RecordHandling(s, 1000);
        QueueBook.RecordHandling(s, 1000 - QueueBook.HandlingTimesKept * 10); // pushes one 1000 out
        Assert.Equal(QueueBook.HandlingTimesKept, s.HandlingSeconds.Count);
        Assert.Equal(990, QueueBook.Estimate(s, 1));
    }

    [Theory]
    [InlineData(300, true, false)]
    [InlineData(60, true, true)] // the wait is above the site's limit
    [InlineData(300, false, true)] // outside business hours
    public void AlternativesAreOfferedWhenNobodyIsThereSoon(int maxWaitSeconds, bool open, bool nobodySoon)
    {
        var s = Site(maxWaitSeconds, ("a", AgentStatus.Online, 2));
        s.Queue.Add(Entry("c-1"));
        var position = QueueBook.Position(s, "c-1", open);
        Assert.Equal((1, 90, nobodySoon), (position.QueuePosition, position.EstimatedWaitSeconds, position.NobodySoon));
        Assert.True(QueueBook.Position(Site(maxWaitSeconds), "c-1", open) is { QueuePosition: null });
    }

    [Fact]
    public void EveryWaitingVisitorIsToldTheirPlace()
    {
        var s = Site(100, ("a", AgentStatus.Online, 1));
        s.Queue.AddRange([Entry("c-1"), Entry("c-2", leftAt: T), Entry("c-3")]);
        var views = QueueBook.Views(s, open: true).ToList();
        Assert.Equal(new[] { ("v-c-1", 1, 180), ("v-c-3", 2, 360) }, views.Select(v => (v.Entry.VisitorId, v.View.Position, v.View.EstimatedWaitSeconds ?? 0)));
        Assert.All(views, v => Assert.NotNull(v.View.Alternatives)); // 180 s is above the limit of 100
    }

    [Fact]
    public void RequeuedChatsGoBackToTheFrontAndAReturningVisitorIsServedAgain()
    {
        var s = Site();
        s.Queue.Add(Entry("c-9"));
        QueueBook.ReturnToFront(s, [Entry("c-1", leftAt: T), Entry("c-2")]);
        Assert.Equal(new[] { "c-1", "c-2", "c-9" }, s.Queue.Select(q => q.ConversationId));
        Assert.True(QueueBook.Returned(s, 0));
        Assert.False(QueueBook.Returned(s, 0));
        Assert.Equal(1, QueueBook.PlaceOf(s, "c-1"));
        Assert.True(QueueBook.Remove(s, "c-1"));
        Assert.False(QueueBook.Remove(s, "c-1"));
    }

    // ── Chats whose visitor left ──

    [Fact]
    public void AQueuedChatIsAbandonedAfterItsVisitorHasBeenGoneLongEnough()
    {
        var s = Site();
        s.Queue.Add(Entry("c-1"));
        Assert.True(LeftChats.MarkLeft(s, "c-1", T));
        Assert.False(LeftChats.MarkLeft(s, "c-1", T.AddSeconds(5))); // already marked: the first instant counts
        Assert.False(LeftChats.MarkLeft(s, "c-unknown", T));
        Assert.Equal(T + Timings.QueuedChatAbandonAfter, LeftChats.NextDue(s, Timings));
        Assert.Empty(LeftChats.TakeDue(s, Timings, T + Timings.QueuedChatAbandonAfter - TimeSpan.FromSeconds(1)).Abandoned);
        var due = LeftChats.TakeDue(s, Timings, T + Timings.QueuedChatAbandonAfter);
        Assert.Equal(new[] { "c-1" }, due.Abandoned.Select(q => q.ConversationId));
        Assert.Empty(s.Queue);
        Assert.Null(LeftChats.NextDue(s, Timings));
    }

    [Fact]
    public void AnAnsweredChatFirstFreesItsSeatThenCloses()
    {
        var s = Site(agents: [("a", AgentStatus.Online, 1)]);
        Roster.Seat(s, "a", "c-1");
        Assert.True(LeftChats.MarkLeft(s, "c-1", T));
        Assert.Equal(T + Timings.LeftChatFreesSeatAfter, LeftChats.NextDue(s, Timings));

        var freed = LeftChats.TakeDue(s, Timings, T + Timings.LeftChatFreesSeatAfter);
        Assert.Equal((1, 0), (freed.SeatsFreed, freed.ToClose.Count));
        Assert.True(Roster.AnyHasRoom(s));
        Assert.Equal(T + Timings.LeftChatCloseAfter, LeftChats.NextDue(s, Timings));

        var closed = LeftChats.TakeDue(s, Timings, T + Timings.LeftChatCloseAfter);
        Assert.Equal(0, closed.SeatsFreed);
        Assert.Equal(new[] { "c-1" }, closed.ToClose);
        Assert.Null(LeftChats.NextDue(s, Timings)); // closing is on its way: nothing more is due
    }

    [Fact]
    public void AVisitorWhoComesBackTakesTheirSeatAgain()
    {
        var s = Site(agents: [("a", AgentStatus.Online, 1)]);
        var slot = Roster.Seat(s, "a", "c-1");
        Assert.Null(LeftChats.Returned(slot, "c-1")); // was not away
        LeftChats.MarkLeft(s, "c-1", T);
        Assert.False(LeftChats.Returned(slot, "c-1")); // back before the seat was freed
        LeftChats.MarkLeft(s, "c-1", T);
        LeftChats.TakeDue(s, Timings, T + Timings.LeftChatFreesSeatAfter);
        Assert.True(LeftChats.Returned(slot, "c-1"));
        Assert.False(Roster.AnyHasRoom(s));
    }

    [Fact]
    public void AMissedChatKeepsWhatTheVisitorWroteBounded()
    {
        ChatMessage Message(string from, string text) => new("c-1", "m", 1, from, text, T, null, null);
        ConversationView View(params ChatMessage[] messages) =>
            new("c-1", "site", "v", ConversationStatus.Queued, null, null, null, null, T, null, messages);
        Assert.Null(LeftChats.VisitorWords(null));
        Assert.Null(LeftChats.VisitorWords(View(Message(Senders.System, "Welcome"))));
        Assert.Equal("Hello\nAnyone?", LeftChats.VisitorWords(View(Message(Senders.Visitor, "Hello"), Message(Senders.System, "x"), Message(Senders.Visitor, "Anyone?"))));
        Assert.Equal(Limits.MessageText, LeftChats.VisitorWords(View(Message(Senders.Visitor, new string('x', Limits.MessageText)), Message(Senders.Visitor, "more")))!.Length);
    }
}
