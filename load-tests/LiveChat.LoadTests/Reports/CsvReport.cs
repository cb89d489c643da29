using System.Globalization;
using System.Text;
using LiveChat.LoadTests.Metrics;

namespace LiveChat.LoadTests.Reports;

/// <summary>Machine-readable figures: report.csv (section, metric, value) and timeline.csv (one row per second).</summary>
internal static class CsvReport
{
    public static string Summary(RunReport r, IReadOnlyList<ThresholdResult> thresholds)
    {
        var sb = new StringBuilder("section,metric,value\n");
        void Row(string section, string metric, object value) =>
            sb.Append(section).Append(',').Append(Escape(metric)).Append(',').Append(Escape(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "")).Append('\n');

        foreach (var (name, value) in r.Metrics.Counters.OrderBy(kv => kv.Key, StringComparer.Ordinal)) Row("counter", name, value);
        Row("derived", "lost_messages", r.LostMessages);
        Row("derived", "duplicated_messages", r.DuplicatedMessages);
        Row("derived", "missed_invitations_percent", r.MissedInvitationsPercent.ToString("0.###", CultureInfo.InvariantCulture));
        Row("derived", "chat_deliveries_per_second", r.ChatDeliveriesPerSecond.ToString("0.##", CultureInfo.InvariantCulture));
        Row("derived", "visitor_events_per_second", r.VisitorEventsPerSecond.ToString("0.##", CultureInfo.InvariantCulture));
        if (r.ChatToEchoRatio is { } ratio)
        {
            Row("derived", "chat_to_echo_ratio_p50", ratio.P50.ToString("0.##", CultureInfo.InvariantCulture));
            Row("derived", "chat_to_echo_ratio_p99", ratio.P99.ToString("0.##", CultureInfo.InvariantCulture));
        }
        foreach (var (name, _) in MarkdownReport.LatencyRows)
        {
            var s = r.Latency(name);
            foreach (var (k, v) in new[] { ("count", (double)s.Count), ("p50_ms", s.P50), ("p95_ms", s.P95), ("p99_ms", s.P99), ("max_ms", s.Max), ("mean_ms", s.Mean) })
                Row("latency", $"{name}.{k}", v.ToString("0.###", CultureInfo.InvariantCulture));
        }
        foreach (var (name, _) in MarkdownReport.LatencyRows)
        {
            foreach (var phase in Cli.RunPhases.All)
            {
                var s = r.Latency(name, phase);
                if (s.Count == 0) continue;
                foreach (var (k, v) in new[] { ("count", (double)s.Count), ("p50_ms", s.P50), ("p99_ms", s.P99), ("max_ms", s.Max) })
                    Row("latency_by_phase", $"{name}.{phase}.{k}", v.ToString("0.###", CultureInfo.InvariantCulture));
            }
        }
        if (r.ServerFigures is { } f)
        {
            Row("server", "cpu_percent_steady", f.CpuPercentSteady.ToString("0.##", CultureInfo.InvariantCulture));
            Row("server", "cpu_percent_per_1000_visitors", f.CpuPercentPer1000.ToString("0.###", CultureInfo.InvariantCulture));
            Row("server", "rss_mb_steady", f.RssMbSteady.ToString("0.#", CultureInfo.InvariantCulture));
            Row("server", "rss_mb_per_1000_visitors", f.RssMbPer1000.ToString("0.##", CultureInfo.InvariantCulture));
            Row("server", "rss_mb_per_1000_visitors_above_idle", f.RssMbPer1000AboveBaseline.ToString("0.##", CultureInfo.InvariantCulture));
            Row("server", "visitors_steady", f.VisitorsSteady.ToString("0", CultureInfo.InvariantCulture));
            Row("machine", "busy_percent_steady", f.MachineBusyPercent.ToString("0.#", CultureInfo.InvariantCulture));
            Row("machine", "load_average_steady", f.LoadAverage.ToString("0.##", CultureInfo.InvariantCulture));
        }
        foreach (var t in thresholds) Row("threshold", t.Name, t.Passed ? "pass" : "fail");
        return sb.ToString();
    }

    public static string Timeline(RunReport r)
    {
        var chat = r.Metrics.Latency(LatencyNames.Chat).Timeline.ToDictionary(p => p.Second);
        var echo = r.Metrics.Latency(LatencyNames.EchoPush).Timeline.ToDictionary(p => p.Second);
        var late = r.Metrics.Latency(LatencyNames.InvitationLateness).Timeline.ToDictionary(p => p.Second);
        var server = r.Server.GroupBy(s => (int)s.AtSeconds).ToDictionary(g => g.Key, g => g.Last());
        var last = new IEnumerable<int>[] { chat.Keys, echo.Keys, late.Keys, server.Keys }.SelectMany(k => k).DefaultIfEmpty(0).Max();
        var sb = new StringBuilder("second,chat_count,chat_p50_ms,chat_p99_ms,chat_max_ms,echo_p50_ms,echo_p99_ms,invitations,lateness_p99_ms,server_cpu_percent,server_rss_mb,connected_visitors,machine_busy_percent,load_average\n");
        for (var s = 0; s <= last; s++)
        {
            chat.TryGetValue(s, out var c);
            echo.TryGetValue(s, out var e);
            late.TryGetValue(s, out var l);
            server.TryGetValue(s, out var v);
            sb.Append(CultureInfo.InvariantCulture,
                $"{s},{c?.Count ?? 0},{c?.P50:0.###},{c?.P99:0.###},{c?.Max:0.###},{e?.P50:0.###},{e?.P99:0.###},{l?.Count ?? 0},{l?.P99:0.###},{v?.CpuPercent:0.#},{v?.RssMb:0.#},{v?.ConnectedVisitors},{v?.MachineBusyPercent:0.#},{v?.LoadAverage:0.##}\n");
        }
        return sb.ToString();
    }

    private static string Escape(string s) =>
        s.IndexOfAny([',', '"', '\n']) >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
}
