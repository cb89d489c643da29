using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using LiveChat.LoadTests.Cli;
using LiveChat.LoadTests.Live;
using LiveChat.LoadTests.Metrics;

namespace LiveChat.LoadTests.Workers;

/// <summary>
/// Splits the visitors over child processes (each has its own 20,000 open-file limit and its own
/// 127.0.x.y source addresses). Workers print a status line a second and write their measurements to a file.
/// In a cluster run every worker gets every node's URL and spreads its visitors over them round-robin; each visitor
/// stays on its node, as behind a load balancer with sticky sessions.
/// </summary>
internal sealed class WorkerPool(LoadOptions options, Uri url, IReadOnlyList<Uri> nodeUrls, string runDirectory, string[] originalArgs)
{
    public const string StatusPrefix = "WORKER-STATUS ";
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly List<(Process Process, string Output)> workers = [];
    private readonly LiveStatus?[] status = new LiveStatus?[options.Workers];

    public IReadOnlyList<int> Pids => workers.Select(w => w.Process.Id).ToList();

    public IReadOnlyList<LiveStatus> Statuses => status.Where(s => s is not null).Select(s => s!).ToList();

    public void Start(long originUnixMs)
    {
        var dll = typeof(WorkerPool).Assembly.Location;
        for (var i = 0; i < options.Workers; i++)
        {
            var output = Path.Combine(runDirectory, $"worker-{i}.json");
            var start = new ProcessStartInfo(Environment.ProcessPath ?? "dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            if (Environment.GetEnvironmentVariable("LIVECHAT_LOAD_WORKER_ENV") is { Length: > 0 } extra)
                foreach (var pair in extra.Split(';', StringSplitOptions.RemoveEmptyEntries))
                    if (pair.Split('=', 2) is [var key, var value]) start.Environment[key] = value;
            if (!(Environment.ProcessPath ?? "").EndsWith("LiveChat.LoadTests", StringComparison.Ordinal)) start.ArgumentList.Add(dll);
            foreach (var arg in WorkerArgs(i, output, originUnixMs)) start.ArgumentList.Add(arg);
            var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start worker {i}");
            var index = i;
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is { } line && line.StartsWith(StatusPrefix, StringComparison.Ordinal))
                {
                    try { status[index] = JsonSerializer.Deserialize<LiveStatus>(line[StatusPrefix.Length..], Json); }
                    catch (JsonException) { }
                }
            };
            process.ErrorDataReceived += (_, e) => { if (e.Data is { Length: > 0 } line) Console.Error.WriteLine($"worker {index}: {line}"); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            workers.Add((process, output));
        }
    }

    private IEnumerable<string> WorkerArgs(int i, string output, long originUnixMs)
    {
        int Share(int total) => total / options.Workers + (i < total % options.Workers ? 1 : 0);
        // Everything the user said, then the worker's own share (later values win in the parser).
        for (var a = 0; a < originalArgs.Length; a++)
        {
            if (originalArgs[a] == "--smoke") continue;
            if (originalArgs[a] == "--note") { a++; continue; }
            yield return originalArgs[a];
        }
        string N(double v) => v.ToString(CultureInfo.InvariantCulture);
        string S(TimeSpan t) => N(t.TotalSeconds) + "s";
        yield return "--url"; yield return url.ToString();
        if (nodeUrls.Count > 1)
        {
            yield return "--nodes"; yield return N(nodeUrls.Count);
            yield return "--node-urls"; yield return string.Join(',', nodeUrls);
        }
        yield return "--visitors"; yield return N(Share(options.Visitors));
        yield return "--chatters"; yield return N(Share(options.Chatters));
        yield return "--agents"; yield return N(options.Agents);
        yield return "--rate"; yield return N(options.ChatRate * Share(options.Chatters) / Math.Max(1, options.Chatters));
        yield return "--ramp"; yield return S(options.Ramp);
        yield return "--duration"; yield return S(options.Duration);
        yield return "--storm-share"; yield return N(options.StormShare);
        yield return "--storm-at"; yield return S(options.EffectiveStormAt);
        yield return "--linger"; yield return N(options.LingerSeconds);
        yield return "--workers"; yield return "1";
        yield return "--no-rules";
        yield return "--no-live";
        yield return "--worker-index"; yield return N(i + 1);
        yield return "--worker-output"; yield return output;
        yield return "--origin-unix-ms"; yield return N(originUnixMs);
    }

    /// <summary>Waits for every worker (bounded) and reads their measurements.</summary>
    public async Task<IReadOnlyList<MetricsSnapshot>> CollectAsync(TimeSpan limit)
    {
        using var cts = new CancellationTokenSource(limit);
        var results = new List<MetricsSnapshot>();
        foreach (var (process, output) in workers)
        {
            try { await process.WaitForExitAsync(cts.Token); }
            catch (OperationCanceledException) { process.Kill(entireProcessTree: true); }
            if (File.Exists(output))
            {
                await using var stream = File.OpenRead(output);
                if (await JsonSerializer.DeserializeAsync<MetricsSnapshot>(stream, Json) is { } snapshot) results.Add(snapshot);
            }
            process.Dispose();
        }
        return results;
    }

    public void KillAll()
    {
        foreach (var (process, _) in workers)
        {
            try { if (!process.HasExited) process.Kill(entireProcessTree: true); }
            catch (InvalidOperationException) { }
        }
    }
}
