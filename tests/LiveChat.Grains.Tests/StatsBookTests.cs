using LiveChat.Contracts;

namespace LiveChat.Grains.Tests;

/// <summary>The stats book on its own (no silo): what each kind adds up to, per situation, per variant and per agent.</summary>
public sealed class StatsBookTests
{
    private static readonly DateTimeOffset T = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private static SiteStatsBook Book(params StatEvent[] events)
    {
        var book = new SiteStatsBook();
        foreach (var e in events) book.Add(e);
        return book;
    }

    private static StatEvent E(StatKind kind, string situation = "cart", double minutes = 0, int? variant = null, string? channel = null,
        double? seconds = null, string? agent = null, int? score = null) =>
        new(kind, "r-" + situation, situation, T.AddMinutes(minutes), seconds, variant, channel, agent, score);

    [Fact]
    public void InvitedAndHeldOutAreCountedWithTheirConversions()
    {
        var events = Enumerable.Repeat(E(StatKind.Invited), 120).Concat(Enumerable.Repeat(E(StatKind.ConversionInvited), 24))
            .Concat(Enumerable.Repeat(E(StatKind.HeldOut), 110)).Concat(Enumerable.Repeat(E(StatKind.ConversionHeldOut), 11));
        var s = Assert.Single(Book([.. events]).Query(T, T.AddHours(1)));
        Assert.Equal((120, 110, 24, 11), (s.Invited, s.HeldOut, s.ConversionsInvited, s.ConversionsHeldOut));
        var expected = Engagement.Uplift.Estimate(120, 24, 110, 11)!;
        Assert.Equal(new UpliftView(expected.Value, expected.Low, expected.High), s.Uplift);
        Assert.Equal(0.1, s.Uplift!.Value, 10);
    }

    [Fact]
    public void UpliftIsNullBelowTheMinimum()
    {
        var events = Enumerable.Repeat(E(StatKind.Invited), 500).Concat(Enumerable.Repeat(E(StatKind.HeldOut), 99));
        Assert.Null(Assert.Single(Book([.. events]).Query(T, T)).Uplift);
    }

    [Fact]
    public void VariantsAreCountedApart()
    {
        var s = Assert.Single(Book(
            E(StatKind.Invited, variant: 0), E(StatKind.Shown, variant: 0), E(StatKind.Shown, variant: 0), E(StatKind.Accepted, variant: 0),
            E(StatKind.Invited, variant: 1), E(StatKind.Shown, variant: 1), E(StatKind.ConversionInvited, variant: 1),
            E(StatKind.Shown, variant: 7)).Query(T, T));
        Assert.Equal(4, s.Shown);
        Assert.Equal([new VariantStats(0, 1, 2, 1, 0), new VariantStats(1, 1, 1, 0, 1)], s.Variants);
    }

    [Fact]
    public void SatisfactionPerSituationAndPerAgentAcrossSituations()
    {
        var report = Book(
            E(StatKind.Rated, "cart", agent: "ann", score: 5), E(StatKind.Rated, "cart", agent: "bo", score: 2),
            E(StatKind.Rated, "loans", agent: "ann", score: 4), E(StatKind.Rated, "loans", agent: "ann", score: 3),
            E(StatKind.Rated, "loans", agent: "ann", score: 9)).Report(T, T);
        var cart = report.Situations.Single(s => s.Situation == "cart").Satisfaction!;
        Assert.Equal((2, 3.5, 0.5), (cart.Responses, cart.Average, cart.SatisfiedShare));
        Assert.Equal([new AgentSatisfaction("ann", 3, 4.0, 2 / 3.0), new AgentSatisfaction("bo", 1, 2.0, 0.0)], report.Agents);
    }

    [Fact]
    public void ChannelsResolutionAndRepeatContacts()
    {
        var s = Assert.Single(Book(
            E(StatKind.Contact, channel: ContactChannels.ChatFromInvitation), E(StatKind.Contact, channel: ContactChannels.ChatFromInvitation),
            E(StatKind.Contact, channel: ContactChannels.Callback), E(StatKind.RepeatContact, channel: ContactChannels.Callback),
            E(StatKind.Resolved, channel: ContactChannels.ChatFromInvitation, seconds: 100), E(StatKind.Resolved, channel: ContactChannels.ChatFromInvitation, seconds: 300),
            E(StatKind.Resolved, channel: ContactChannels.Callback, seconds: 3600)).Query(T, T));
        Assert.Equal(2, s.Channels![ContactChannels.ChatFromInvitation]);
        Assert.Equal(0, s.Channels[ContactChannels.Phone]);
        Assert.Equal(200, s.MedianResolutionSeconds![ContactChannels.ChatFromInvitation]);
        Assert.Equal(3600, s.MedianResolutionSeconds[ContactChannels.Callback]);
        Assert.Equal((3, 1), (s.Contacts, s.RepeatContacts));
        Assert.Equal(1 / 3.0, s.RepeatContactRate!.Value, 10);
    }

    [Fact]
    public void WindowsSumOnlyTheirHours()
    {
        var book = Book(E(StatKind.HeldOut, minutes: 0), E(StatKind.HeldOut, minutes: 90), E(StatKind.HeldOut, minutes: 200));
        Assert.Equal(2, Assert.Single(book.Query(T, T.AddMinutes(100))).HeldOut);
        Assert.Equal(1, Assert.Single(book.Query(T.AddHours(3), T.AddHours(4))).HeldOut);
        Assert.Empty(book.Query(T.AddHours(5), T.AddHours(6)));
    }
}
