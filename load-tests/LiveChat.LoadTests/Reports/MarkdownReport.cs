using System.Globalization;
using System.Text;
using LiveChat.LoadTests.Metrics;

namespace LiveChat.LoadTests.Reports;

/// <summary>The human-readable report: what was run, what it cost the server, and whether the thresholds held.</summary>
internal static class MarkdownReport
{
    public static string Render(RunReport r, IReadOnlyList<ThresholdResult> thresholds)
    {
        var o = r.Options;
        var sb = new StringBuilder();
        void Line(FormattableString s = default!) => sb.AppendLine(s is null ? "" : s.ToString(CultureInfo.InvariantCulture));

        Line($"# LiveChat load test — {r.StartedAt:yyyy-MM-dd HH:mm:ss} UTC");
        Line();
        Line($"**Result: {(thresholds.All(t => t.Passed) ? "PASSED" : "FAILED")}** · target {r.Target} · wall time {r.WallTime.TotalSeconds:0} s");
        Line();
        Line($"`{r.CommandLine}`");
        Line();
        Line($"Shape: {o.Visitors} browsing visitors + {o.Chatters} chatting visitors, {o.Agents} agent bots, {o.EchoClients} echo clients; ramp {o.Ramp.TotalSeconds:0} s (RampingConstant), hold {o.Duration.TotalSeconds:0} s (KeepConstant); chat messages Inject {o.ChatRate:0.##}/s, echo Inject {o.EffectiveEchoRate:0.##}/s; linger rule {o.LingerSeconds} s; reconnect storm {o.StormShare:P0} at {o.EffectiveStormAt.TotalSeconds:0} s; {o.Workers} worker process(es).");
        Line();

        Line($"## Thresholds");
        Line();
        Line($"| threshold | limit | actual | |");
        Line($"|---|---|---|---|");
        foreach (var t in thresholds) Line($"| {t.Name} | {t.Limit} | {t.Actual} | {(t.Passed ? "pass" : "**FAIL**")} |");
        Line();

        Line($"## Connections");
        Line();
        Line($"| clients | attempted | established | failed | dropped |");
        Line($"|---|---:|---:|---:|---:|");
        foreach (var c in r.Connections) Line($"| {c.Kind} | {c.Attempted} | {c.Established} | {c.Failed} | {c.Dropped} |");
        Line();
        Line($"Reconnect storm: {r[Counter.StormDrops]} cut, {r[Counter.StormResumed]} resumed as the same visitor, {r[Counter.StormResumeFailed]} failed; conversations resumed {r[Counter.StormResumedConversation]}, lost {r[Counter.StormLostConversation]}.");
        Line();

        if (o.ClusterMode)
        {
            Line($"## Cluster: {o.Nodes} nodes{(o.EffectiveKillAt is { } killAt ? string.Create(CultureInfo.InvariantCulture, $", node {o.KilledNodeIndex} SIGKILLed at {killAt.TotalSeconds:0} s") : "")}");
            Line();
            if (o.EffectiveKillAt is not null)
            {
                var resume = r.Latency(LatencyNames.NodeKillResume);
                var recovery = r.Latency(LatencyNames.NodeKillRecovery);
                Line($"| | browsing visitors | chatters |");
                Line($"|---|---:|---:|");
                Line($"| connections dropped by the kill | {r[Counter.NodeKillDroppedVisitors]} | {r[Counter.NodeKillDroppedChatters]} |");
                Line($"| resumed on another node (Hello with token) | {r[Counter.NodeKillResumedVisitors]} | {r[Counter.NodeKillResumedChatters]} |");
                Line();
                Line($"Never resumed: **{r.NeverResumed}**; resumed as the same visitor: {r[Counter.NodeKillResumedSameVisitor]}; conversations found again on Hello {r[Counter.NodeKillResumedConversation]}, not found {r[Counter.NodeKillLostConversation]}; failed reconnect/Hello attempts before success {r[Counter.NodeKillReconnectRetries]}. Chatters recovered (a send acknowledged after resuming) {r[Counter.NodeKillRecovered]}, not recovered within 60 s {r[Counter.NodeKillNotRecovered]}. Messages resent under the same clientMessageId: {r[Counter.MessagesResent]}; visitor messages still unacknowledged at the end: {r[Counter.VisitorMessagesUnackedAtEnd]}.");
                Line();
                Line($"| from the kill to | count | p50 | p95 | p99 | max |");
                Line($"|---|---:|---:|---:|---:|---:|");
                Line($"| Hello answered on a surviving node (all resumed clients) | {resume.Count} | {resume.P50:0} | {resume.P95:0} | {resume.P99:0} | {resume.Max:0} |");
                Line($"| **recovery**: first acknowledged send from a resumed chatter | {recovery.Count} | {recovery.P50:0} | {recovery.P95:0} | {recovery.P99:0} | {recovery.Max:0} |");
                Line();
                var outside = ThresholdCheck.OutsideFailover(r, LatencyNames.Chat);
                Line($"Chat latency outside the failover window (kill + {Cli.LoadOptions.FailoverWindow.TotalSeconds:0} s): p50 {outside.P50:0.0} ms, p99 {outside.P99:0.0} ms over {outside.Count} deliveries.");
                Line();
            }
            Line($"End-of-run check (GetMessages(0) per conversation against every acknowledgement, visitors' and agents'): {r[Counter.VerifiedConversations]} conversations, {r[Counter.VerifiedAcked]} acknowledged messages, **{r[Counter.VerifiedMissing]} missing**, {r[Counter.StoredDuplicates]} stored twice; conversations that could not be checked {r[Counter.VerifyFailedConversations]} ({r[Counter.VerifyUncheckedAcks]} acks, counted as lost). In the table below, *lost* is this check's result; acknowledged messages whose live push never came (a dying node's) show as sent − delivered.");
            Line();
        }

        Line($"## Invitations (rule `load-linger`)");
        Line();
        Line($"| due | delivered | missed | early (>250 ms) | unexpected |");
        Line($"|---:|---:|---:|---:|---:|");
        Line($"| {r[Counter.InvitationsDue]} | {r[Counter.InvitationsDelivered]} | {r[Counter.InvitationsMissed]} | {r[Counter.InvitationsEarly]} | {r[Counter.InvitationsUnexpected]} |");
        Line();

        Line($"## Messages");
        Line();
        Line($"| direction | sent | acked | send failed | delivered live | recovered (GetMessages) | duplicated | lost |");
        Line($"|---|---:|---:|---:|---:|---:|---:|---:|");
        Line($"| visitor → agent | {r[Counter.VisitorMessagesSent]} | {r[Counter.VisitorMessagesAcked]} | {r[Counter.VisitorMessagesSendFailed]} | {r[Counter.VisitorMessagesDelivered]} | – | {r[Counter.VisitorMessagesDuplicated]} | {(o.ClusterMode ? "see check" : r.VisitorToAgentLost.ToString(CultureInfo.InvariantCulture))} |");
        Line($"| agent → visitor | {r[Counter.AgentMessagesSent]} | {r[Counter.AgentMessagesAcked]} | {r[Counter.AgentMessagesSendFailed]} | {r[Counter.AgentMessagesDelivered]} | {r[Counter.AgentMessagesRecovered]} | {r[Counter.AgentMessagesDuplicated]} | {(o.ClusterMode ? "see check" : r.AgentToVisitorLost.ToString(CultureInfo.InvariantCulture))} |");
        Line();
        Line($"Chats: {r[Counter.ChatsStarted]} started ({r[Counter.ChatsAcceptedInvitation]} from an accepted invitation), {r[Counter.ChatsAgentJoined]} reached an agent, {r[Counter.ChatsNoAgent]} waited in vain, {r[Counter.ChatStartFailed]} failed to start. Agent accepts {r[Counter.AgentAccepts]} (refused {r[Counter.AgentAcceptsRefused]}), assignments pushed {r[Counter.AgentAssignments]}. Injected messages with no ready chatter: {r[Counter.MessagesSkippedNoChatter]}.");
        Line();

        Line($"## Latency (ms)");
        Line();
        Line($"| measure | count | p50 | p95 | p99 | max | mean |");
        Line($"|---|---:|---:|---:|---:|---:|---:|");
        foreach (var (name, label) in LatencyRows)
        {
            var s = r.Latency(name);
            Line($"| {label} | {s.Count} | {s.P50:0.0} | {s.P95:0.0} | {s.P99:0.0} | {s.Max:0.0} | {s.Mean:0.0} |");
        }
        Line();
        if (r.ChatToEchoRatio is { } ratio)
            Line($"**Full-stack chat latency vs the bare SignalR baseline ({r.EchoBaseline.Name}): p50 × {ratio.P50:0.0}, p99 × {ratio.P99:0.0} over the whole run{(r.SteadyChatToEchoRatio is { } steady ? string.Create(CultureInfo.InvariantCulture, $"; steady phase only: p50 × {steady.P50:0.0}, p99 × {steady.P99:0.0}") : "")}.**");
        else
            Line($"No chat-to-echo ratio: the echo baseline measured nothing (is /hubs/echo mapped?).");
        Line();

        Line($"### By phase (ms)");
        Line();
        Line($"Ramp: visitors connecting; steady: all connected; storm: {RunPhasesStorm(o)}; failover: the node kill + 20 s; grace: messages drain.");
        Line();
        Line($"| measure | phase | count | p50 | p95 | p99 | max |");
        Line($"|---|---|---:|---:|---:|---:|---:|");
        foreach (var (name, label) in LatencyRows.Where(l => PhasedRows.Contains(l.Name)))
        {
            foreach (var phase in Cli.RunPhases.All)
            {
                var s = r.Latency(name, phase);
                if (s.Count > 0) Line($"| {label} | {phase} | {s.Count} | {s.P50:0.0} | {s.P95:0.0} | {s.P99:0.0} | {s.Max:0.0} |");
            }
        }
        Line();

        Line($"## Throughput");
        Line();
        Line($"- chat deliveries: {r.ChatDeliveriesPerSecond:0.0}/s (both directions, over the {r.MessageWindowSeconds:0} s message window)");
        Line($"- visitor events (Hello, PageView, Visibility, Track): {r.VisitorEventsPerSecond:0.0}/s; invoke errors {r[Counter.InvokeErrors]}");
        Line($"- echo: {r[Counter.EchoSent]} sent, {r[Counter.EchoReturned]} returned, {r[Counter.EchoPushed]} pushed back, {r[Counter.EchoFailed]} failed");
        Line();

        Line($"## Server cost");
        Line();
        if (r.ServerFigures is { } f)
        {
            Line($"Process {r.ServerPid}, sampled from /proc once a second ({r.Server.Count} samples). CPU is % of one core (the machine has {Environment.ProcessorCount}).");
            Line();
            Line($"| | steady | per 1,000 visitors |");
            Line($"|---|---:|---:|");
            Line($"| connected visitors (avg) | {f.VisitorsSteady:0} | |");
            Line($"| CPU % | {f.CpuPercentSteady:0.0} (peak {f.CpuPercentPeak:0.0}) | {f.CpuPercentPer1000:0.00} |");
            Line($"| RSS MB | {f.RssMbSteady:0} (idle {f.RssMbBaseline:0}, peak {f.RssMbPeak:0}) | {f.RssMbPer1000:0.0} total, {f.RssMbPer1000AboveBaseline:0.0} above idle |");
            Line($"| threads | {f.Threads} | |");
            Line();
            Line($"Machine during the steady phase: {f.MachineBusyPercent:0}% busy across all {Environment.ProcessorCount} cores, 1-minute load average {f.LoadAverage:0.0}. Busy well above what the server and the load generator use, or a load average above the core count, means other work on the machine competed and the latency figures are pessimistic.");
        }
        else
        {
            Line($"Not sampled (no local server process; pass --server-pid with --url).");
        }
        Line();
        if (r.Notes.Count > 0)
        {
            Line($"## Notes");
            Line();
            foreach (var n in r.Notes) Line($"- {n}");
            Line();
        }
        Line($"Charts: report.html · raw figures: report.csv, timeline.csv, run.json.");
        return sb.ToString();
    }

    private static string RunPhasesStorm(Cli.LoadOptions o) => o.StormShare > 0
        ? string.Create(CultureInfo.InvariantCulture, $"{o.EffectiveStormAt.TotalSeconds:0}–{(o.EffectiveStormAt + Cli.LoadOptions.StormWindow).TotalSeconds:0} s after the first visitor")
        : "none in this run";

    private static readonly string[] PhasedRows = [LatencyNames.Chat, LatencyNames.EchoPush, LatencyNames.SendAck, LatencyNames.InvitationLateness];

    public static readonly (string Name, string Label)[] LatencyRows =
    [
        (LatencyNames.Chat, "chat, one way (both directions)"),
        (LatencyNames.VisitorToAgent, "chat visitor → agent"),
        (LatencyNames.AgentToVisitor, "chat agent → visitor"),
        (LatencyNames.EchoPush, "echo baseline push"),
        (LatencyNames.EchoInvoke, "echo baseline invoke round trip"),
        (LatencyNames.SendAck, "visitor SendMessage ack"),
        (LatencyNames.InvitationLateness, "invitation lateness"),
        (LatencyNames.TimeToAgent, "chat start → agent joined"),
        (LatencyNames.Connect, "connect (WebSocket + handshake)"),
        (LatencyNames.Reconnect, "storm: cut → resumed (Hello)"),
        (LatencyNames.NodeKillResume, "node kill → Hello on a survivor"),
        (LatencyNames.NodeKillRecovery, "node kill → first acked send (recovery)"),
    ];
}
