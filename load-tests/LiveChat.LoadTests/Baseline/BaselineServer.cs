using System.Diagnostics;
using LiveChat.LoadTests.Hosting;
using LiveChat.LoadTests.Transport;

namespace LiveChat.LoadTests.Baseline;

/// <summary>Starts load-tests/LiveChat.Baseline (the bare SignalR hub) on a free loopback port; stops it at the end.</summary>
internal sealed class BaselineServer : IAsyncDisposable
{
    private readonly Process process;
    private readonly StreamWriter log;

    private BaselineServer(Process process, Uri url, StreamWriter log) { this.process = process; Url = url; this.log = log; }

    public Uri Url { get; }
    public int Pid => process.Id;

    public static async Task<BaselineServer> StartAsync(string? dll, int lingerSeconds, string logPath, Action<string> say, CancellationToken ct)
    {
        var path = dll ?? FindDll() ?? throw new InvalidOperationException(
            "cannot find load-tests/LiveChat.Baseline/bin/*/net10.0/LiveChat.Baseline.dll: build the solution, or pass --baseline-dll");
        var url = new Uri($"http://127.0.0.1:{LocalProcess.FreePort()}/");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { path, "--urls", url.ToString().TrimEnd('/'), "--linger", lingerSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            WorkingDirectory = Path.GetDirectoryName(Path.GetFullPath(path))!,
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        say($"starting the bare baseline: dotnet {string.Join(' ', start.ArgumentList)}");
        Directory.CreateDirectory(Path.GetDirectoryName(logPath)!);
        var log = new StreamWriter(logPath) { AutoFlush = true };
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the baseline process");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new BaselineServer(process, url, log);
        try { await LocalProcess.WaitReadyAsync(process, url, "the baseline", Path.GetFileName(logPath), TimeSpan.FromSeconds(60), ct); }
        catch { await server.DisposeAsync(); throw; }
        return server;
    }

    private static string? FindDll() =>
        RepoPaths.Root is not { } root ? null
        : new[] { "Release", "Debug" }
            .Select(c => Path.Combine(root, "load-tests", "LiveChat.Baseline", "bin", c, "net10.0", "LiveChat.Baseline.dll"))
            .Where(File.Exists).OrderByDescending(File.GetLastWriteTimeUtc).FirstOrDefault();

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!process.HasExited)
            {
                NativeMethods.Terminate(process.Id);
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                try { await process.WaitForExitAsync(cts.Token); }
                catch (OperationCanceledException) { process.Kill(entireProcessTree: true); }
            }
        }
        catch (InvalidOperationException) { }
        process.Dispose();
        lock (log) log.Dispose();
    }
}
