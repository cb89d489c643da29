using System.Globalization;
using LiveChat.LoadTests.Hosting;
using LiveChat.Testing;

namespace LiveChat.LoadTests.Baseline;

/// <summary>Starts load-tests/LiveChat.Baseline (the bare SignalR hub) on a free loopback port; stops it at the end.</summary>
internal sealed class BaselineServer : IAsyncDisposable
{
    private readonly NodeProcess process;

    private BaselineServer(NodeProcess process) => this.process = process;

    public Uri Url => process.Url;
    public int Pid => process.Pid;

    public static async Task<BaselineServer> StartAsync(string? dll, int lingerSeconds, string logPath, Action<string> say, CancellationToken ct)
    {
        var path = dll ?? FindDll() ?? throw new InvalidOperationException(
            "cannot find load-tests/LiveChat.Baseline/bin/*/net10.0/LiveChat.Baseline.dll: build the solution, or pass --baseline-dll");
        var url = NodeProcess.FreeUrl();
        var start = NodeProcess.Command(path, url);
        start.ArgumentList.Add("--linger");
        start.ArgumentList.Add(lingerSeconds.ToString(CultureInfo.InvariantCulture));
        start.Environment.Remove("Logging__LogLevel__Default"); // the baseline keeps its own logging settings, as before
        // The same extra environment as the LiveChat server (EmbeddedServer), so a GC experiment stays a fair comparison.
        foreach (var pair in (Environment.GetEnvironmentVariable("LIVECHAT_LOAD_SERVER_ENV") ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries))
            if (pair.Split('=', 2) is [var key, var value]) start.Environment[key] = value;
        say($"starting the bare baseline: dotnet {string.Join(' ', start.ArgumentList)}");
        return new BaselineServer(await EmbeddedServer.Launch("the baseline", url, start, logPath, TimeSpan.FromSeconds(60), ct));
    }

    private static string? FindDll() =>
        RepoPaths.Root is { } root ? ServerBuild.Newest(root, Path.Combine("load-tests", "LiveChat.Baseline"), "LiveChat.Baseline.dll") : null;

    /// <summary>SIGTERM, 15 s to stop, then SIGKILL.</summary>
    public async ValueTask DisposeAsync() => await process.Stop(TimeSpan.FromSeconds(15));
}
