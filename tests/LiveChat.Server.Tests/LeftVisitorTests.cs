using LiveChat.Contracts;
using LiveChat.Server.Auth;
using LiveChat.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LiveChat.Server.Tests;

/// <summary>Visitors who closed the tab, through the real hubs: nobody is handed their chat, and it becomes a missed chat.</summary>
public sealed class LeftVisitorTests
{
    private static Task<TestServer> Start(LogSink? logs = null) => TestServer.Start(new Dictionary<string, string?>
    {
        ["LiveChat:Sites:shop:AllowedOrigins:0"] = "loopback",
        ["LiveChat:Sites:shop:MaxQueueWaitSeconds"] = "600",
        ["LiveChat:Timings:VisitorLeaveGrace"] = "00:00:00.200",
        ["LiveChat:Timings:QueuedChatAbandonAfter"] = "00:00:01.500",
        ["LiveChat:Agents:0:Id"] = "anna",
        ["LiveChat:Agents:0:Name"] = "Anna",
        ["LiveChat:Agents:0:Sites:0"] = "shop",
        ["LiveChat:Agents:0:PasswordHash"] = AgentAccounts.Hash("pw-anna"),
    }, logs is null ? null : b => b.Logging.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));

    private static async Task<(TestVisitor Visitor, StartChatResult Chat)> Chatting(TestServer server, string text)
    {
        var visitor = await server.Visitor("shop");
        await visitor.Hello("/help");
        return (visitor, await visitor.StartChat(text));
    }

    [Fact]
    public async Task SigningInWithOneSeatServesTheVisitorStillWaitingAndTheOneWhoLeftIsAMissedChat()
    {
        await using var server = await Start();
        await using var watcher = await server.Agent("anna", "pw-anna");
        await watcher.Away(); // nobody online yet
        var (gone, goneChat) = await Chatting(server, "Anyone there? I'll try later");
        var (staying, stayingChat) = await Chatting(server, "I am still here");
        await using var _ = staying;
        var goneId = gone.Identity!.VisitorId;
        await gone.DisposeAsync(); // the tab is closed
        await GrainWait(async () => (await watcher.Connection.InvokeAsync<IReadOnlyList<QueueEntry>>("GetQueue")).Any(q => q.VisitorId == goneId && q.VisitorLeftAt is not null));

        await watcher.Online(1);

        var assigned = await watcher.Assigned.Next();
        Assert.Equal(stayingChat.ConversationId, assigned.Conversation.ConversationId);
        var missed = await watcher.Callbacks.Next(c => c.Kind == RequestKinds.MissedChat);
        Assert.Equal((goneId, "Anyone there? I'll try later"), (missed.VisitorId, missed.Text));
        Assert.Empty(await watcher.Connection.InvokeAsync<IReadOnlyList<QueueEntry>>("GetQueue"));
        Assert.DoesNotContain(await watcher.Connection.InvokeAsync<IReadOnlyList<ConversationView>>("GetMyConversations"), c => c.ConversationId == goneChat.ConversationId);
    }

    [Fact]
    public async Task AVisitorWhoComesBackAfterAMissedChatIsServed()
    {
        await using var server = await Start();
        await using var anna = await server.Agent("anna", "pw-anna");
        await anna.Away();
        var (gone, chat) = await Chatting(server, "Do you price-match?");
        var identity = gone.Identity!;
        await gone.DisposeAsync();
        await anna.Callbacks.Next(c => c.Kind == RequestKinds.MissedChat);

        await using var back = await server.Visitor("shop");
        var hello = await back.Hello("/help", identity.VisitorId, identity.Token);
        Assert.Equal(chat.ConversationId, hello.Conversation?.ConversationId);
        await anna.Online(1);

        Assert.Equal(chat.ConversationId, (await anna.Assigned.Next()).Conversation.ConversationId);
        Assert.Equal("Anna", (await back.Joined.Next()).Name);
        Assert.True((await anna.Callbacks.Next(c => c.Kind == RequestKinds.MissedChat && c.Done)).Done);
    }

    [Fact]
    public async Task AnAtCapacityRefusalIsNotLoggedAsAFailure()
    {
        var logs = new LogSink();
        await using var server = await Start(logs);
        await using var anna = await server.Agent("anna", "pw-anna");
        await anna.Online(1);
        var (v1, _) = await Chatting(server, "first");
        var (v2, waiting) = await Chatting(server, "second");
        await using var x = v1; await using var y = v2;

        var refused = await Assert.ThrowsAsync<HubException>(() => anna.Accept(waiting.ConversationId));

        Assert.Contains("capacity", refused.Message);
        await Task.Delay(200);
        Assert.DoesNotContain(logs.Entries, e => e.Level >= LogLevel.Warning && (e.Exception is not null || e.Message.Contains("capacity")));
    }

    [Fact]
    public async Task OpenWidgetsHearWhenAvailabilityChangesAndOnlyThen()
    {
        await using var server = await Start();
        await using var anna = await server.Agent("anna", "pw-anna");
        await anna.Away();
        await using var browsing = await server.Visitor("shop");
        var hello = await browsing.Hello("/shop");
        Assert.Equal(Availability.Offline, hello.Site.Availability);

        await anna.Online(1);
        Assert.Equal(Availability.Available, (await browsing.SiteStatus.Next()).Availability);

        var (chatting, _) = await Chatting(server, "takes the only seat");
        await using var c = chatting;
        var busy = await browsing.SiteStatus.Next();
        Assert.Equal((Availability.Busy, false), (busy.Availability, busy.AgentsAvailable));
        var (another, queued) = await Chatting(server, "waits");
        await using var a = another;
        Assert.Equal(1, queued.QueuePosition);
        Assert.True(await browsing.SiteStatus.StaysEmpty(0.5)); // a queued chat changes nobody's availability

        await anna.Away();
        Assert.Equal(Availability.Offline, (await browsing.SiteStatus.Next()).Availability);
    }

    private static async Task GrainWait(Func<Task<bool>> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await done())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not met within 10 s");
            await Task.Delay(50);
        }
    }

    /// <summary>Every log entry the server writes, for asserting what is (not) logged as a failure.</summary>
    public sealed class LogSink : ILoggerProvider
    {
        private readonly List<(LogLevel Level, string Category, string Message, Exception? Exception)> entries = [];

        public IReadOnlyList<(LogLevel Level, string Category, string Message, Exception? Exception)> Entries { get { lock (entries) return entries.ToList(); } }

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);
        public void Dispose() { }

        private sealed class Logger(LogSink sink, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel logLevel) => true;
            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                lock (sink.entries) sink.entries.Add((logLevel, category, formatter(state, exception), exception));
            }
        }
    }
}
