using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using LiveChat.LoadTests.Metrics;

namespace LiveChat.LoadTests.Reports;

/// <summary>report.html: the Markdown report's content as HTML plus inline SVG charts, in one self-contained file.</summary>
internal static partial class HtmlReport
{
    public static string Render(RunReport r, string markdown)
    {
        var sb = new StringBuilder();
        sb.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>LiveChat load test</title><style>")
          .Append("body{font-family:sans-serif;max-width:1000px;margin:2em auto;color:#222}table{border-collapse:collapse;margin:.5em 0}")
          .Append("td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}td:first-child,th:first-child{text-align:left}")
          .Append("code{background:#f4f4f4;padding:1px 4px;word-break:break-all}svg{display:block;margin:1em 0}</style></head><body>");
        sb.Append(Charts(r));
        sb.Append(MarkdownToHtml(markdown));
        sb.Append("</body></html>");
        return sb.ToString();
    }

    private static string Charts(RunReport r)
    {
        static List<(double, double)> Line(IEnumerable<TimelinePoint> t, Func<TimelinePoint, double> y) => t.Select(p => ((double)p.Second, y(p))).ToList();
        var chat = r.Metrics.Latency(LatencyNames.Chat).Timeline;
        var echo = r.Metrics.Latency(LatencyNames.EchoPush).Timeline;
        if (echo.Count == 0) echo = r.Metrics.Latency(LatencyNames.EchoInvoke).Timeline;
        var late = r.Metrics.Latency(LatencyNames.InvitationLateness).Timeline;
        var sb = new StringBuilder();
        sb.Append(SvgChart.Render("Latency over time", "seconds since start", "ms",
        [
            new("chat p50", "#1f77b4", Line(chat, p => p.P50)),
            new("chat p99", "#d62728", Line(chat, p => p.P99)),
            new("echo p99", "#2ca02c", Line(echo, p => p.P99)),
            new("invitation lateness p99", "#9467bd", Line(late, p => p.P99)),
        ]));
        if (r.Server.Count > 0)
        {
            var maxVisitors = Math.Max(1, r.Server.Max(s => s.ConnectedVisitors));
            sb.Append(SvgChart.Render($"Server CPU (% of one core) and connected visitors (scaled, max {maxVisitors})", "seconds since start", "%",
            [
                new("server CPU %", "#ff7f0e", r.Server.Select(s => (s.AtSeconds, s.CpuPercent)).ToList()),
                new("visitors (% of max)", "#7f7f7f", r.Server.Select(s => (s.AtSeconds, 100.0 * s.ConnectedVisitors / maxVisitors)).ToList()),
                new("machine busy % (all cores, all processes)", "#8c564b", r.Server.Select(s => (s.AtSeconds, s.MachineBusyPercent)).ToList()),
            ]));
        }
        return sb.ToString();
    }

    /// <summary>Just enough Markdown for what <see cref="MarkdownReport"/> writes: headings, tables, lists, bold, code.</summary>
    private static string MarkdownToHtml(string markdown)
    {
        var sb = new StringBuilder();
        var lines = markdown.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line.StartsWith("## ", StringComparison.Ordinal)) sb.Append("<h2>").Append(Inline(line[3..])).Append("</h2>");
            else if (line.StartsWith("# ", StringComparison.Ordinal)) sb.Append("<h1>").Append(Inline(line[2..])).Append("</h1>");
            else if (line.StartsWith('|'))
            {
                sb.Append("<table>");
                var header = true;
                for (; i < lines.Length && lines[i].StartsWith('|'); i++)
                {
                    var cells = lines[i].TrimEnd('\r').Trim('|').Split('|');
                    if (cells.All(c => c.Trim().Trim(':').Trim('-').Length == 0)) continue;
                    var tag = header ? "th" : "td";
                    sb.Append("<tr>");
                    foreach (var c in cells) sb.Append('<').Append(tag).Append('>').Append(Inline(c.Trim())).Append("</").Append(tag).Append('>');
                    sb.Append("</tr>");
                    header = false;
                }
                i--;
                sb.Append("</table>");
            }
            else if (line.StartsWith("- ", StringComparison.Ordinal)) sb.Append("<ul><li>").Append(Inline(line[2..])).Append("</li></ul>");
            else if (line.Length > 0) sb.Append("<p>").Append(Inline(line)).Append("</p>");
        }
        return sb.ToString();
    }

    private static string Inline(string text)
    {
        var html = WebUtility.HtmlEncode(text);
        html = Bold().Replace(html, "<strong>$1</strong>");
        return Code().Replace(html, "<code>$1</code>");
    }

    [GeneratedRegex(@"\*\*(.+?)\*\*")]
    private static partial Regex Bold();

    [GeneratedRegex("`(.+?)`")]
    private static partial Regex Code();
}
