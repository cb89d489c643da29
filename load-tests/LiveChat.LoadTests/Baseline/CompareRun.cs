using System.Globalization;
using System.Text.Json;
using LiveChat.LoadTests.Cli;
using LiveChat.LoadTests.Hosting;
using LiveChat.LoadTests.Transport;

namespace LiveChat.LoadTests.Baseline;

/// <summary>
/// <c>--compare-baseline</c>: the same visitors against the bare SignalR hub and then against LiveChat, back to back in
/// one run, each on a fresh server process; reports both side by side with the ratios and checks the ratio thresholds.
/// </summary>
internal static class CompareRun
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    public static async Task<int> RunAsync(LoadOptions o, string[] args, CancellationToken ct)
    {
        var startedAt = DateTimeOffset.UtcNow;
        var reportsRoot = RepoPaths.ReportsRoot(o.ReportsDir);
        var runDirectory = Path.Combine(reportsRoot, startedAt.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-compare");
        Directory.CreateDirectory(runDirectory);
        if (NativeMethods.RaiseOpenFileLimit() is { } limit) Say($"open files: soft limit {limit.Before} → {limit.After}");

        TargetFigures bare, liveChat;
        await using (var server = await BaselineServer.StartAsync(o.BaselineDll, o.LingerSeconds, Path.Combine(runDirectory, "baseline.log"), Say, ct))
        {
            Watchdog.OnFire(() => LiveChat.Testing.ChildProcesses.Terminate(server.Pid));
            bare = await TargetRun.MeasureAsync("bare", server.Url, server.Pid, o, Say, ct);
        }
        await using (var server = await EmbeddedServer.StartAsync(o.ServerDll, 0, Path.Combine(runDirectory, "server.log"), Say, ct))
        {
            Watchdog.OnFire(() => LiveChat.Testing.ChildProcesses.Terminate(server.Pid));
            using var connector = new LoopbackConnector(server.Url, 1, 0);
            var admin = new AdminApi(server.Url, connector);
            var cookie = await admin.LoginAsync(o.AdminId, o.AdminPassword, ct);
            await admin.PutRulesAsync(o.Site, cookie, AdminApi.LoadRules(o.LingerSeconds), ct);
            Say($"rules set: load-linger ({o.LingerSeconds} s on /load/*)");
            liveChat = await TargetRun.MeasureAsync("LiveChat", server.Url, server.Pid, o, Say, ct);
        }

        var checks = CompareReport.Check(bare, liveChat, o.Thresholds);
        var markdown = CompareReport.Render(bare, liveChat, checks, "LiveChat.LoadTests " + string.Join(' ', args), startedAt, o.Notes);
        File.WriteAllText(Path.Combine(runDirectory, "compare.md"), markdown);
        File.WriteAllText(Path.Combine(runDirectory, "compare.json"), JsonSerializer.Serialize(new { startedAt, args, bare, liveChat, checks }, Indented));
        Console.WriteLine();
        Console.WriteLine(markdown);
        Say($"report: {runDirectory}");
        return checks.All(c => c.Passed) ? 0 : 1;
    }

    private static void Say(string text) => Console.WriteLine($"[compare] {text}");
}
