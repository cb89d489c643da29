using LiveChat.LoadTests.Metrics;

namespace LiveChat.LoadTests.Reports;

/// <summary>One pass/fail limit and what the run measured against it.</summary>
internal sealed record ThresholdResult(string Name, string Limit, string Actual, bool Passed);

internal static class ThresholdCheck
{
    public static IReadOnlyList<ThresholdResult> Evaluate(RunReport r)
    {
        var t = r.Options.Thresholds;
        var results = new List<ThresholdResult>
        {
            AtMost("failed connections (visitors, agents)", r.FailedConnections, t.MaxFailedConnections),
            AtMost("dropped connections (not by the storm)", r.DroppedConnections, t.MaxDroppedConnections),
            AtMost("lost messages", r.LostMessages, t.MaxLostMessages),
            AtMost("duplicated messages", r.DuplicatedMessages, t.MaxDuplicatedMessages),
            new("missed invitations %", $"≤ {t.MaxMissedInvitationsPercent:0.##}", $"{r.MissedInvitationsPercent:0.##}",
                r.MissedInvitationsPercent <= t.MaxMissedInvitationsPercent),
            r.Options.EffectiveKillAt is null
                ? P99("chat latency p99 ms", r.Latency(LatencyNames.Chat), t.ChatP99Ms)
                // The failover window (kill + 20 s) has its own figures: recovery time, below.
                : P99("chat latency p99 ms (outside the failover window)", OutsideFailover(r, LatencyNames.Chat), t.ChatP99Ms),
            P99("invitation lateness p99 ms", r.Latency(LatencyNames.InvitationLateness), t.InvitationLatenessP99Ms),
            P99("reconnect+resume p99 ms", r.Latency(LatencyNames.Reconnect), t.ReconnectP99Ms),
        };
        if (r.Options.EffectiveKillAt is not null)
        {
            results.Add(AtMost("clients of the killed node that never resumed", r.NeverResumed, 0));
            results.Add(new("connections dropped by the node kill", "> 0", r.NodeKillDropped.ToString(System.Globalization.CultureInfo.InvariantCulture), r.NodeKillDropped > 0));
        }
        if (r.Options.ClusterMode && r.Options.Chatters > 0)
            results.Add(new("acknowledged messages verified at the end", "> 0", r[Counter.VerifiedAcked].ToString(System.Globalization.CultureInfo.InvariantCulture), r[Counter.VerifiedAcked] > 0));
        // A run that measured nothing must not pass by default.
        if (r.Options.Visitors > 0)
            results.Add(new("invitations delivered", "> 0", r[Counter.InvitationsDelivered].ToString(System.Globalization.CultureInfo.InvariantCulture), r[Counter.InvitationsDelivered] > 0));
        if (r.Options.Chatters > 0)
            results.Add(new("chat messages delivered", "> 0", (r[Counter.VisitorMessagesDelivered] + r[Counter.AgentMessagesDelivered]).ToString(System.Globalization.CultureInfo.InvariantCulture),
                r[Counter.VisitorMessagesDelivered] > 0 && r[Counter.AgentMessagesDelivered] > 0));
        return results;
    }

    public static LatencySummary OutsideFailover(RunReport r, string name) =>
        HistogramData.Merge((r.Metrics.Latency(name).Phases ?? []).Where(kv => kv.Key != Cli.RunPhases.Failover).Select(kv => kv.Value)).Summarize();

    private static ThresholdResult AtMost(string name, long actual, long limit) =>
        new(name, $"≤ {limit}", actual.ToString(System.Globalization.CultureInfo.InvariantCulture), actual <= limit);

    private static ThresholdResult P99(string name, LatencySummary s, double limit) =>
        new(name, $"≤ {limit:0}", s.Count == 0 ? "no samples" : $"{s.P99:0.0}", s.P99 <= limit);
}
