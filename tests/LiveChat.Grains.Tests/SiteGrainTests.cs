using System.Text.RegularExpressions;
using LiveChat.Contracts;
using LiveChat.Grains.Tests.Infrastructure;

namespace LiveChat.Grains.Tests;

/// <summary>The site grain's rules and per-situation figures.</summary>
public sealed partial class SiteGrainTests(GrainCluster cluster) : IClassFixture<GrainCluster>
{
    private const string Rule = """[{"id":"r","when":{"pageMatches":"/loans/*"},"then":{"text":"hi"}}]""";

    private readonly string site = GrainCluster.NewId("site");
    private ISiteGrain Site => cluster.Site(site);
    private DateTimeOffset Now => cluster.Clock.GetUtcNow();

    [GeneratedRegex("^LC-[23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{5}$")]
    private static partial Regex ReferenceFormat();

    [Fact]
    public async Task EachRulesChangeGetsTheNextVersion()
    {
        Assert.Equal(new RulesDocument(0, "[]"), await Site.GetRules());

        Assert.Equal(1, await Site.SetRules("[]"));
        Assert.Equal(2, await Site.SetRules(Rule));

        Assert.Equal(new RulesDocument(2, Rule), await Site.GetRules());
        Assert.Equal(new RulesDocument(2, Rule), (await Site.GetRuntime()).Rules);
    }

    [Fact]
    public async Task SeedRulesApplyOnlyWhileTheSiteHasNoRulesOfItsOwn()
    {
        await Site.Configure(new SiteSettings("+44 20 7946 0000", null, 300, "[]"));
        Assert.Equal(new RulesDocument(1, "[]"), await Site.GetRules());
        await Site.SetRules(Rule);

        await Site.Configure(new SiteSettings("+44 20 7946 0001", null, 300, """[{"id":"seed","when":{},"then":{"text":"seed"}}]"""));

        var runtime = await Site.GetRuntime();
        Assert.Equal(new RulesDocument(2, Rule), runtime.Rules);
        Assert.Equal("+44 20 7946 0001", runtime.PhoneNumber);
    }

    [Fact]
    public async Task StatsCountEachSituationOverTheRequestedWindowOnly()
    {
        var t = Now.AddTicks(-(Now.UtcTicks % TimeSpan.TicksPerHour)); // the start of the current hour
        await Record(StatKind.Shown, "loans", t.AddHours(-3)); // before the window
        await Record(StatKind.Shown, "loans", t);
        await Record(StatKind.Shown, "loans", t.AddMinutes(59));
        await Record(StatKind.Shown, "loans", t.AddHours(1));
        await Record(StatKind.Accepted, "loans", t.AddMinutes(10));
        await Record(StatKind.Dismissed, "loans", t.AddMinutes(20));
        await Record(StatKind.ChatStarted, "loans", t.AddMinutes(11));
        await Record(StatKind.Conversion, "loans", t.AddHours(2));
        await Record(StatKind.Shown, "cart", t.AddMinutes(5));
        await Record(StatKind.Shown, "loans", t.AddHours(3)); // after the window
        await Site.Record(new StatEvent(StatKind.ChatStarted, null, null, t)); // a chat the visitor started

        var stats = await StatsWhen(t, t.AddHours(2).AddMinutes(30), s => s.Sum(x => x.Shown) == 4 && s.Sum(x => x.ChatsStarted) == 2);

        Assert.Equal(["(visitor-initiated)", "cart", "loans"], stats.Select(s => s.Situation));
        var loans = stats.Single(s => s.Situation == "loans");
        Assert.Equal(new SituationStats("loans", "rule-loans", 3, 1, 1, 1, null, 1), loans);
        Assert.Equal(1, stats.Single(s => s.Situation == "cart").Shown);
        Assert.Equal(1, stats.Single(s => s.Situation == "(visitor-initiated)").ChatsStarted);
    }

    [Theory]
    [InlineData(new double[] { 30 }, 30)]
    [InlineData(new double[] { 60, 10, 20 }, 20)]
    [InlineData(new double[] { 40, 10, 20, 90 }, 30)]
    public async Task FirstReplyFiguresAreTheMedianOfTheWindow(double[] seconds, double median)
    {
        foreach (var s in seconds) await Site.Record(new StatEvent(StatKind.FirstReply, "rule-loans", "loans", Now, s));

        var stats = await StatsWhen(Now, Now, s => s.Count == 1 && s[0].MedianFirstReplySeconds == median);

        Assert.Equal(("loans", 0), (stats[0].Situation, stats[0].ChatsStarted));
    }

    [Fact]
    public async Task ChatsAndTimeToFirstAgentReplyAreMeasuredFromTheConversations()
    {
        await cluster.Online(site, "a", capacity: 5);
        var chats = new List<IConversationGrain>();
        for (var i = 0; i < 3; i++) chats.Add(cluster.Conversation((await cluster.NewChat(site, "rule-loans", "loans")).Entry.ConversationId));
        var start = Now;

        foreach (var (chat, wait) in chats.Zip([10, 20, 60]))
        {
            cluster.Advance(start.AddSeconds(wait) - Now);
            await chat.Append(Senders.Visitor, "v", null, "cm-v", "hello?"); // only the agent's reply counts
            await chat.Append(Senders.Agent, "a", "Agent a", "cm-1", "hi!");
            await chat.Append(Senders.Agent, "a", "Agent a", "cm-2", "how can I help?");
        }

        // Stats arrive through per-node aggregators that flush independently: wait for every reply to be counted.
        var stats = await StatsWhen(start, Now, s => s.Count == 1 && s[0].ChatsStarted == 3 && s[0].MedianFirstReplySeconds == 20);
        Assert.Equal(20, stats[0].MedianFirstReplySeconds);
    }

    [Fact]
    public async Task FiguresOlderThanTheRetentionAreDropped()
    {
        var longAgo = Now - SiteStatsBook.Retention - TimeSpan.FromHours(2);
        await Record(StatKind.Shown, "loans", longAgo);
        await StatsWhen(longAgo, longAgo, s => s.Sum(x => x.Shown) == 1);

        await Record(StatKind.Shown, "loans", Now);

        await StatsWhen(longAgo, longAgo, s => s.Count == 0);
        Assert.Equal(1, Assert.Single(await Site.GetStats(Now, Now)).Shown);
    }

    private Task Record(StatKind kind, string situation, DateTimeOffset at) =>
        Site.Record(new StatEvent(kind, "rule-" + situation, situation, at));

    /// <summary>Record is one-way, so the figures are read until they show what was recorded.</summary>
    private Task<IReadOnlyList<SituationStats>> StatsWhen(DateTimeOffset from, DateTimeOffset to, Func<IReadOnlyList<SituationStats>, bool> done) =>
        GrainCluster.Eventually(() => Site.GetStats(from, to), done, "stats");
}
