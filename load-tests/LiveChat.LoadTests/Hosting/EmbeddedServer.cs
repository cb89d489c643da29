using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using LiveChat.LoadTests.Transport;

namespace LiveChat.LoadTests.Hosting;

/// <summary>Starts the LiveChat server as a child process on a free loopback port, waits for readiness, stops it at the end.</summary>
internal sealed class EmbeddedServer : IAsyncDisposable
{
    private readonly Process process;
    private readonly StreamWriter log;

    private EmbeddedServer(Process process, Uri url, StreamWriter log)
    {
        this.process = process;
        Url = url;
        this.log = log;
    }

    public Uri Url { get; }
    public int Pid => process.Id;

    /// <summary>Agent accounts the embedded server is started with: demo/demo (admin) plus load-agent-1…N with password "load".</summary>
    public const string LoadAgentPattern = "load-agent-{0}";
    public const string LoadAgentPassword = "load";

    public static async Task<EmbeddedServer> StartAsync(string? serverDll, int loadAgents, string logPath, Action<string> say, CancellationToken ct)
    {
        var port = LocalProcess.FreePort();
        var url = new Uri($"http://127.0.0.1:{port}/");
        var start = Command(serverDll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(url.ToString().TrimEnd('/'));
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        // LIVECHAT_LOAD_SERVER_ENV="A=1;B=2": extra environment for the server under test (experiments, e.g. GC settings).
        foreach (var pair in (Environment.GetEnvironmentVariable("LIVECHAT_LOAD_SERVER_ENV") ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries))
            if (pair.Split('=', 2) is [var key, var value]) start.Environment[key] = value;
        // Orleans' default ports (11111/30000) may be taken by another engineer's server on this machine.
        start.Environment["LiveChat__Orleans__SiloPort"] = LocalProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["LiveChat__Orleans__GatewayPort"] = LocalProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        AddAgents(start.Environment, loadAgents);
        say($"starting server: {start.FileName} {string.Join(' ', start.ArgumentList)}");

        Directory.CreateDirectory(Path.GetDirectoryName(logPath)!);
        var log = new StreamWriter(logPath) { AutoFlush = true };
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the server process");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new EmbeddedServer(process, url, log);
        try
        {
            await server.WaitReadyAsync(TimeSpan.FromSeconds(90), ct);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    /// <summary>Configured agents replace the seeded demo agent, so demo/demo (admin) is configured here too.</summary>
    private static void AddAgents(IDictionary<string, string?> env, int loadAgents)
    {
        void Agent(int i, string id, string name, string password, bool admin)
        {
            var prefix = $"LiveChat__Agents__{i}__";
            env[prefix + "Id"] = id;
            env[prefix + "Name"] = name;
            env[prefix + "Sites__0"] = "demo";
            env[prefix + "Roles__0"] = "agent";
            if (admin) env[prefix + "Roles__1"] = "admin";
            env[prefix + "PasswordHash"] = PasswordHash.Create(password);
        }
        Agent(0, "demo", "Demo Agent", "demo", admin: true);
        var hash = PasswordHash.Create(LoadAgentPassword);
        for (var n = 1; n <= loadAgents; n++)
        {
            Agent(n, string.Format(System.Globalization.CultureInfo.InvariantCulture, LoadAgentPattern, n), $"Load Agent {n}", LoadAgentPassword, admin: false);
            env[$"LiveChat__Agents__{n}__PasswordHash"] = hash; // one PBKDF2 is enough for all of them
        }
    }

    private static ProcessStartInfo Command(string? serverDll)
    {
        var dll = serverDll ?? FindServerDll();
        // The content root is the working directory: the dll's folder holds appsettings.json and demo-rules.json.
        if (dll is not null) return new ProcessStartInfo("dotnet") { ArgumentList = { dll }, WorkingDirectory = Path.GetDirectoryName(Path.GetFullPath(dll))! };
        var root = RepoPaths.Root ?? throw new InvalidOperationException(
            "cannot find LiveChat.sln above the working directory; pass --url or --server-dll");
        return new ProcessStartInfo("dotnet")
        {
            ArgumentList = { "run", "--project", Path.Combine(root, "src", "LiveChat.Server"), "-c", "Release", "--no-launch-profile", "--" },
            WorkingDirectory = Path.Combine(root, "src", "LiveChat.Server"),
        };
    }

    /// <summary>The most recently built server dll (Release preferred when both are equally fresh).</summary>
    internal static string? FindServerDll()
    {
        if (RepoPaths.Root is not { } root) return null;
        return new[] { "Release", "Debug" }
            .Select(c => Path.Combine(root, "src", "LiveChat.Server", "bin", c, "net10.0", "LiveChat.Server.dll"))
            .Where(File.Exists)
            .OrderByDescending(File.GetLastWriteTimeUtc)
            .FirstOrDefault();
    }

    private Task WaitReadyAsync(TimeSpan limit, CancellationToken ct) =>
        LocalProcess.WaitReadyAsync(process, Url, "the server", "server.log", limit, ct);

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
