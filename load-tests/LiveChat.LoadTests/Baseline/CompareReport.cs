using System.Globalization;
using System.Text;
using LiveChat.LoadTests.Cli;

namespace LiveChat.LoadTests.Baseline;

internal sealed record CompareCheck(string Name, string Limit, string Actual, bool Passed);

/// <summary>The side-by-side table (bare hub | LiveChat | ratio) and the thresholds that decide the exit code.</summary>
internal static class CompareReport
{
    public static IReadOnlyList<CompareCheck> Check(TargetFigures bare, TargetFigures live, Thresholds t)
    {
        var memory = Ratio(live.RssPerVisitorKb, bare.RssPerVisitorKb);
        var cpu = Ratio(live.CpuSeconds, bare.CpuSeconds);
        var heap = Ratio(live.HeapPerVisitorKb, bare.HeapPerVisitorKb);
        var over = live.LatenessP99Ms - bare.LatenessP99Ms;
        return
        [
            new("memory per visitor vs bare", $"≤ ×{F(t.MaxMemoryRatio)}", $"×{F(memory)}", memory <= t.MaxMemoryRatio),
            // The same limit on what the visitors' objects themselves take, without what the GC happened to keep (LiveHeap).
            new("managed heap per visitor vs bare (live, after a full collection)", $"≤ ×{F(t.MaxMemoryRatio)}", $"×{F(heap)}", heap <= t.MaxMemoryRatio),
            new("server CPU vs bare", $"≤ ×{F(t.MaxCpuRatio)}", $"×{F(cpu)}", cpu <= t.MaxCpuRatio),
            new("invitation lateness p99 over bare", $"≤ +{F(t.MaxLatenessOverBareMs)} ms", $"{over:+0.0;-0.0} ms", over <= t.MaxLatenessOverBareMs),
            // The one-node shape's own target (17,000 visitors: ≤ 250 ms), with the bare hub's p99 beside it.
            new("LiveChat: invitation lateness p99", $"≤ {F(t.InvitationLatenessP99Ms)} ms", $"{F(live.LatenessP99Ms)} ms (bare {F(bare.LatenessP99Ms)} ms)", live.LatenessP99Ms <= t.InvitationLatenessP99Ms),
            new("LiveChat: connections failed", "0", I(live.Failed), live.Failed == 0),
            new("LiveChat: invitations missed", "0", I(live.Missed), live.Missed == 0 && live.Invited > 0),
            new("bare: connections failed / invitations missed", "0 / 0", $"{I(bare.Failed)} / {I(bare.Missed)}", bare.Failed == 0 && bare.Missed == 0 && bare.Invited > 0),
        ];
    }

    public static string Render(TargetFigures bare, TargetFigures live, IReadOnlyList<CompareCheck> checks, string command, DateTimeOffset at, IReadOnlyList<string> notes)
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# LiveChat against a bare SignalR hub: {I(live.Visitors)} visitors, one invitation each");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"`{command}` — {at:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores shared with the load generator; load average after each run: bare {F(bare.LoadAverage)}, LiveChat {F(live.LoadAverage)}.");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"**{(checks.All(c => c.Passed) ? "PASSED" : "FAILED")}**");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"| figure, {I(live.Visitors)} visitors | bare hub | LiveChat | ratio |");
        md.AppendLine("| --- | ---: | ---: | ---: |");
        Row(md, "server RSS per visitor (after all invited, above idle)", $"{F(bare.RssPerVisitorKb)} KB", $"{F(live.RssPerVisitorKb)} KB", $"×{F(Ratio(live.RssPerVisitorKb, bare.RssPerVisitorKb))}");
        Row(md, $"server managed heap per visitor (live, after a full collection; median of {I(live.HeapBatches.Count)} batch{(live.HeapBatches.Count == 1 ? "" : "es")})", $"{F(bare.HeapPerVisitorKb)} KB", $"{F(live.HeapPerVisitorKb)} KB", $"×{F(Ratio(live.HeapPerVisitorKb, bare.HeapPerVisitorKb))}");
        Row(md, "server managed heap per batch, before → all invited", Heaps(bare), Heaps(live), "");
        Row(md, "server RSS idle → after all invited (peak)", $"{bare.RssIdleMb:0} → {bare.RssAfterMb:0} ({bare.RssPeakMb:0}) MB", $"{live.RssIdleMb:0} → {live.RssAfterMb:0} ({live.RssPeakMb:0}) MB", "");
        Row(md, $"server CPU for connect + Hello + invitation (median of {I(live.CpuBatches.Count)} batch{(live.CpuBatches.Count == 1 ? "" : "es")})", $"{F(bare.CpuSeconds)} s", $"{F(live.CpuSeconds)} s", $"×{F(Ratio(live.CpuSeconds, bare.CpuSeconds))}");
        if (live.CpuBatches.Count > 1)
            Row(md, "server CPU per batch", string.Join(" / ", bare.CpuBatches.Select(F)) + " s", string.Join(" / ", live.CpuBatches.Select(F)) + " s", "");
        Row(md, "server CPU when idle (timers, flushes, metrics), per second", $"{F(bare.IdleCpuPerSecond * 1000)} ms", $"{F(live.IdleCpuPerSecond * 1000)} ms", "");
        Row(md, "server CPU above idle (median batch, less the idle rate over its span; not a threshold)", $"{F(bare.CpuAboveIdleSeconds)} s", $"{F(live.CpuAboveIdleSeconds)} s", $"×{F(Ratio(live.CpuAboveIdleSeconds, bare.CpuAboveIdleSeconds))}");
        Row(md, "invitation lateness p99", $"{F(bare.LatenessP99Ms)} ms", $"{F(live.LatenessP99Ms)} ms", $"{live.LatenessP99Ms - bare.LatenessP99Ms:+0.0;-0.0} ms");
        Row(md, "invitation lateness p50 / max", $"{F(bare.LatenessP50Ms)} / {F(bare.LatenessMaxMs)} ms", $"{F(live.LatenessP50Ms)} / {F(live.LatenessMaxMs)} ms", "");
        Row(md, "Hello round trip p50 / p99 (part of the lateness: the timer starts when the server takes the Hello)", $"{F(bare.HelloP50Ms)} / {F(bare.HelloP99Ms)} ms", $"{F(live.HelloP50Ms)} / {F(live.HelloP99Ms)} ms", "");
        Row(md, $"connect + Hello ramp for {I(live.Visitors)}", $"{F(bare.RampSeconds)} s", $"{F(live.RampSeconds)} s", $"×{F(Ratio(live.RampSeconds, bare.RampSeconds))}");
        Row(md, "connected / failed / invited", $"{I(bare.Connected)} / {I(bare.Failed)} / {I(bare.Invited)}", $"{I(live.Connected)} / {I(live.Failed)} / {I(live.Invited)}", "");
        md.AppendLine();
        md.AppendLine("| threshold | limit | actual | |");
        md.AppendLine("| --- | --- | --- | --- |");
        foreach (var c in checks) md.AppendLine(CultureInfo.InvariantCulture, $"| {c.Name} | {c.Limit} | {c.Actual} | {(c.Passed ? "ok" : "**broken**")} |");
        md.AppendLine();
        md.AppendLine("Lateness = invitation received − (Hello sent + linger), on the client. CPU = the server process's user + system time from before the first connect to the last invitation, after six warm-up rounds (`--warm-up` visitors each) through the whole path, so the server's JIT has settled; the median over `--cpu-batches` batches of the same visitors on the same server (memory and lateness are the first batch's). Each server is a fresh process; the bare hub runs first. Managed heap = the server's whole managed heap right after a full blocking collection the harness induces over EventPipe (as dotnet-gcdump does), before each batch's first connect and once all its visitors are invited (median of the batches); RSS moves with what the GC keeps besides (objects of visitors who left, free regions), the live heap does not.");
        foreach (var note in notes) md.AppendLine(CultureInfo.InvariantCulture, $"- {note}");
        return md.ToString();
    }

    private static string Heaps(TargetFigures f) => string.Join(" / ", f.HeapBatches.Select(h => $"{h.Before:0} → {h.After:0}")) + " MB";

    private static void Row(StringBuilder md, string name, string bare, string live, string ratio) =>
        md.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {bare} | {live} | {ratio} |");

    private static double Ratio(double a, double b) => b <= 0 ? double.PositiveInfinity : a / b;
    private static string F(double v) => double.IsInfinity(v) ? "∞" : v.ToString(v >= 100 ? "0" : "0.0#", CultureInfo.InvariantCulture);
    private static string I(int v) => v.ToString("N0", CultureInfo.InvariantCulture);
}
