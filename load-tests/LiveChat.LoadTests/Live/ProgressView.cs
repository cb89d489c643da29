using System.Globalization;
using LiveChat.LoadTests.Metrics;
using Spectre.Console;

namespace LiveChat.LoadTests.Live;

/// <summary>Live progress: a Spectre.Console table refreshed every second, or one plain line every 5 s when not on a terminal.</summary>
internal static class ProgressView
{
    public static async Task RunAsync(bool live, Func<string> phase, Func<TimeSpan> elapsed, Func<LiveStatus> status,
        Func<ServerSample?> server, Task until)
    {
        if (live && AnsiConsole.Profile.Capabilities.Interactive)
        {
            await AnsiConsole.Live(Build(phase(), elapsed(), status(), server())).AutoClear(false).StartAsync(async ctx =>
            {
                while (!until.IsCompleted)
                {
                    await Task.WhenAny(until, Task.Delay(1000));
                    ctx.UpdateTarget(Build(phase(), elapsed(), status(), server()));
                }
            });
            return;
        }
        while (!until.IsCompleted)
        {
            await Task.WhenAny(until, Task.Delay(5000));
            Console.WriteLine(Line(phase(), elapsed(), status(), server()));
        }
    }

    private static Table Build(string phase, TimeSpan at, LiveStatus s, ServerSample? server)
    {
        var t = new Table().Border(TableBorder.Rounded).Title($"LiveChat load · {Markup.Escape(phase)} · {at:mm\\:ss}");
        t.AddColumn("measure");
        t.AddColumn(new TableColumn("value").RightAligned());
        void Row(string name, string value) => t.AddRow(Markup.Escape(name), Markup.Escape(value));
        Row("connected visitors / chatters / agents / echo", $"{s.Gauges.Visitors} / {s.Gauges.Chatters} / {s.Gauges.Agents} / {s.Gauges.Echo}");
        Row("connections attempted / established / failed / dropped",
            $"{Sum(s, "ConnectAttempted")} / {Sum(s, "ConnectEstablished")} / {Sum(s, "ConnectFailed")} / {Sum(s, "Dropped")}");
        Row("invitations due / delivered / missed / unexpected",
            $"{s[Counter.InvitationsDue]} / {s[Counter.InvitationsDelivered]} / {s[Counter.InvitationsMissed]} / {s[Counter.InvitationsUnexpected]}");
        Row("chats started / with agent / no agent", $"{s[Counter.ChatsStarted]} / {s[Counter.ChatsAgentJoined]} / {s[Counter.ChatsNoAgent]}");
        Row("visitor→agent sent / delivered", $"{s[Counter.VisitorMessagesSent]} / {s[Counter.VisitorMessagesDelivered]}");
        Row("agent→visitor sent / delivered / recovered", $"{s[Counter.AgentMessagesSent]} / {s[Counter.AgentMessagesDelivered]} / {s[Counter.AgentMessagesRecovered]}");
        Row("node kill dropped / resumed / recovered", $"{s[Counter.NodeKillDroppedVisitors] + s[Counter.NodeKillDroppedChatters]} / {s[Counter.NodeKillResumedVisitors] + s[Counter.NodeKillResumedChatters]} / {s[Counter.NodeKillRecovered]}");
        Row("storm cut / resumed / failed", $"{s[Counter.StormDrops]} / {s[Counter.StormResumed]} / {s[Counter.StormResumeFailed]}");
        Row("chat p99 / echo p99 (ms, so far)", $"{Ms(s.ChatP99Ms)} / {Ms(s.EchoP99Ms)}");
        Row("server CPU % / RSS MB", server is null ? "not sampled" : $"{server.CpuPercent:0} / {server.RssMb:0}");
        return t;
    }

    private static string Line(string phase, TimeSpan at, LiveStatus s, ServerSample? server)
    {
        var serverText = server is null ? "server n/a" : string.Create(CultureInfo.InvariantCulture, $"server {server.CpuPercent:0}% {server.RssMb:0} MB");
        return string.Create(CultureInfo.InvariantCulture,
            $"[{at:mm\\:ss}] {phase}: visitors {s.Gauges.Visitors}+{s.Gauges.Chatters} agents {s.Gauges.Agents} | conn failed {Sum(s, "ConnectFailed")} | inv {s[Counter.InvitationsDelivered]}/{s[Counter.InvitationsDue]} | msgs v→a {s[Counter.VisitorMessagesDelivered]}/{s[Counter.VisitorMessagesSent]} a→v {s[Counter.AgentMessagesDelivered] + s[Counter.AgentMessagesRecovered]}/{s[Counter.AgentMessagesSent]} | chat p99 {Ms(s.ChatP99Ms)} ms | {serverText}");
    }

    private static long Sum(LiveStatus s, string suffix) =>
        s.Counters.Where(kv => kv.Key.EndsWith(suffix, StringComparison.Ordinal) && !kv.Key.StartsWith("Echo", StringComparison.Ordinal)).Sum(kv => kv.Value);

    private static string Ms(double? v) => v is { } x ? x.ToString("0.0", CultureInfo.InvariantCulture) : "–";
}
