using System.Text.Json;

namespace LiveChat.LoadTests.Reports;

/// <summary>Writes report.md, report.csv, timeline.csv, report.html and run.json under reports/&lt;timestamp&gt;/ and copies them to reports/latest/.</summary>
internal static class ReportWriter
{
    public static readonly string[] Files = ["report.md", "report.csv", "timeline.csv", "report.html", "run.json"];
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string Write(string runDirectory, string latestDirectory, RunReport report, IReadOnlyList<ThresholdResult> thresholds)
    {
        Directory.CreateDirectory(runDirectory);
        var markdown = MarkdownReport.Render(report, thresholds);
        File.WriteAllText(Path.Combine(runDirectory, "report.md"), markdown);
        File.WriteAllText(Path.Combine(runDirectory, "report.csv"), CsvReport.Summary(report, thresholds));
        File.WriteAllText(Path.Combine(runDirectory, "timeline.csv"), CsvReport.Timeline(report));
        File.WriteAllText(Path.Combine(runDirectory, "report.html"), HtmlReport.Render(report, markdown));
        File.WriteAllText(Path.Combine(runDirectory, "run.json"), JsonSerializer.Serialize(new
        {
            report.Target, report.CommandLine, report.StartedAt, report.WallTime, report.Metrics.Counters, thresholds,
            latencies = MarkdownReport.LatencyRows.ToDictionary(l => l.Name, l => report.Latency(l.Name)),
            server = report.ServerFigures,
        }, Indented));

        if (Directory.Exists(latestDirectory)) Directory.Delete(latestDirectory, recursive: true);
        Directory.CreateDirectory(latestDirectory);
        foreach (var file in Files) File.Copy(Path.Combine(runDirectory, file), Path.Combine(latestDirectory, file));
        return markdown;
    }
}
