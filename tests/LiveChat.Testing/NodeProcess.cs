using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace LiveChat.Testing;

/// <summary>
/// A server as its own process (<c>dotnet X.dll --urls http://127.0.0.1:PORT</c>, a LiveChat node or the bare baseline),
/// configured through environment variables as an operator would, registered with <see cref="ChildProcesses"/>.
/// Ready when <c>/health/ready</c> answers 2xx. <see cref="Kill"/> is a real SIGKILL, <see cref="Stop"/> SIGTERM first.
/// </summary>
public sealed class NodeProcess : IAsyncDisposable
{
    private static readonly HttpClient Probe = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly LogFile? log;
    private Process? process;

    private NodeProcess(string name, Uri url, Process process, LogFile? log)
    {
        Name = name;
        Url = url;
        this.process = process;
        this.log = log;
        Pid = process.Id;
    }

    public string Name { get; }
    public Uri Url { get; }
    public int Pid { get; }
    public bool Running { get { try { return process is { HasExited: false }; } catch (InvalidOperationException) { return false; } } }
    public int? ExitCode { get { try { return process is { HasExited: true } p ? p.ExitCode : null; } catch (InvalidOperationException) { return null; } } }

    /// <summary>
    /// <c>dotnet <paramref name="dll"/> --urls <paramref name="url"/></c> in the dll's folder (or <paramref name="workingDirectory"/>),
    /// with <c>ASPNETCORE_ENVIRONMENT=Production</c> and warnings-only logging; the caller adds its own environment and arguments.
    /// </summary>
    public static ProcessStartInfo Command(string dll, Uri url, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory ?? Path.GetDirectoryName(Path.GetFullPath(dll))! };
        info.ArgumentList.Add(dll);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add(url.ToString().TrimEnd('/'));
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        return info;
    }

    /// <summary>A fresh <c>http://127.0.0.1:PORT/</c> on a free port.</summary>
    public static Uri FreeUrl() => new($"http://127.0.0.1:{Ports.Free()}/");

    /// <summary>Free Orleans silo and gateway ports (the defaults 11111/30000 may be taken by another server on this machine).</summary>
    public static void AddFreeOrleansPorts(IDictionary<string, string?> environment)
    {
        environment["LiveChat__Orleans__SiloPort"] = Ports.Free().ToString(CultureInfo.InvariantCulture);
        environment["LiveChat__Orleans__GatewayPort"] = Ports.Free().ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Starts it, its output line by line to <paramref name="output"/>.</summary>
    public static NodeProcess Start(string name, Uri url, ProcessStartInfo info, Action<string> output) =>
        new(name, url, ChildProcesses.Start(info, output), null);

    /// <summary>Starts it, its output to <paramref name="log"/>, which is closed once the process is stopped or killed.</summary>
    public static NodeProcess Start(string name, Uri url, ProcessStartInfo info, LogFile log) =>
        new(name, url, ChildProcesses.Start(info, log.Write), log);

    /// <summary>Polls <c>/health/ready</c> until it answers 2xx; fails early, naming the process, if it exits first.</summary>
    /// <param name="exited">the message when it exits during start-up (default: name and exit code).</param>
    public async Task WaitReady(TimeSpan limit, CancellationToken ct = default, Func<string>? exited = null, int pollMs = 250) =>
        await Ports.Until(async () =>
        {
            if (!Running) throw new InvalidOperationException(exited?.Invoke() ?? $"{Name} exited with code {ExitCode} before it was ready");
            return (int)await Ready(ct) is >= 200 and < 300;
        }, limit, $"{Name} ({Url}) /health/ready", pollMs, ct);

    /// <summary>The status of /health/ready, or 0 when the node does not answer at all.</summary>
    public async Task<HttpStatusCode> Ready(CancellationToken ct = default)
    {
        try
        {
            using var response = await Probe.GetAsync(new Uri(Url, "/health/ready"), ct);
            return response.StatusCode;
        }
        catch (HttpRequestException) { return 0; }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested) { return 0; }
    }

    /// <summary>SIGKILL: no graceful shutdown, a silo cannot say goodbye to its cluster.</summary>
    public void Kill()
    {
        if (Interlocked.Exchange(ref process, null) is { } p) ChildProcesses.Kill(p);
        log?.Dispose();
    }

    /// <summary>SIGTERM, <paramref name="grace"/> to leave by itself, then SIGKILL.</summary>
    public async Task Stop(TimeSpan grace)
    {
        if (Interlocked.Exchange(ref process, null) is { } p) await ChildProcesses.Stop(p, grace);
        log?.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        return ValueTask.CompletedTask;
    }
}
