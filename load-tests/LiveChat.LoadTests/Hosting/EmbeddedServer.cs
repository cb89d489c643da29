using System.Diagnostics;
using LiveChat.Testing;

namespace LiveChat.LoadTests.Hosting;

/// <summary>Starts the LiveChat server as a child process on a free loopback port, waits for readiness, stops it at the end.</summary>
internal sealed class EmbeddedServer : IAsyncDisposable
{
    private readonly NodeProcess process;

    private EmbeddedServer(NodeProcess process) => this.process = process;

    public Uri Url => process.Url;
    public int Pid => process.Pid;

    /// <summary>Agent accounts the embedded server is started with: demo/demo (admin) plus load-agent-1…N with password "load".</summary>
    public const string LoadAgentPattern = "load-agent-{0}";
    private static readonly System.Text.CompositeFormat LoadAgentFormat = System.Text.CompositeFormat.Parse(LoadAgentPattern);
    private static string LoadAgentId(int n) => string.Format(System.Globalization.CultureInfo.InvariantCulture, LoadAgentFormat, n);
    public const string LoadAgentPassword = "load";

    /// <summary>Bots sign in all at once: a cheaper PBKDF2 than Identity's default (the server accepts it and would suggest a rehash).</summary>
    private const int BotHashIterations = 10_000;

    public static async Task<EmbeddedServer> StartAsync(string? serverDll, int loadAgents, string logPath, Action<string> say, CancellationToken ct)
    {
        var url = NodeProcess.FreeUrl();
        var start = Command(serverDll, url);
        // LIVECHAT_LOAD_SERVER_ENV="A=1;B=2": extra environment for the server under test (experiments, e.g. GC settings).
        foreach (var pair in (Environment.GetEnvironmentVariable("LIVECHAT_LOAD_SERVER_ENV") ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries))
            if (pair.Split('=', 2) is [var key, var value]) start.Environment[key] = value;
        NodeProcess.AddFreeOrleansPorts(start.Environment);
        foreach (var (key, value) in Accounts("demo", "Demo Agent", "demo", loadAgents).ToEnvironment()) start.Environment[key] = value;
        say($"starting server: {start.FileName} {string.Join(' ', start.ArgumentList)}");
        return new EmbeddedServer(await Launch("the server", url, start, logPath, TimeSpan.FromSeconds(90), ct));
    }

    /// <summary>
    /// The admin (agent + admin on the demo site) and load-agent-1…<paramref name="loadAgents"/> (password "load", one hash for all).
    /// Configured agents replace the seeded demo agent, so the embedded server's demo/demo is configured here too.
    /// </summary>
    internal static AgentSettings Accounts(string adminId, string adminName, string adminPassword, int loadAgents)
    {
        var accounts = new AgentSettings().Add(adminId, adminPassword, name: adminName, roles: ["agent", "admin"], iterations: BotHashIterations);
        for (var n = 1; n <= loadAgents; n++)
            accounts.Add(LoadAgentId(n), LoadAgentPassword,
                name: $"Load Agent {n}", roles: ["agent"], iterations: BotHashIterations);
        return accounts;
    }

    /// <summary>Starts a server process with its output in <paramref name="logPath"/> and waits for /health/ready; kills it if it never gets there.</summary>
    internal static async Task<NodeProcess> Launch(string name, Uri url, ProcessStartInfo start, string logPath, TimeSpan limit, CancellationToken ct)
    {
        var log = new LogFile(logPath);
        var process = NodeProcess.Start(name, url, start, log);
        try
        {
            await process.WaitReady(limit, () => $"{name} exited with code {process.ExitCode} before it was ready (see {log.FileName})", ct: ct);
        }
        catch (TimeoutException)
        {
            await process.DisposeAsync();
            throw new TimeoutException($"{name} was not ready within {limit.TotalSeconds:0} s (GET /health/ready)");
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
        return process;
    }

    private static ProcessStartInfo Command(string? serverDll, Uri url)
    {
        // The content root is the working directory: the dll's folder holds appsettings.json and demo-rules.json.
        if ((serverDll ?? FindServerDll()) is { } dll) return NodeProcess.Command(dll, url);
        var root = RepoPaths.Root ?? throw new InvalidOperationException(
            "cannot find LiveChat.sln above the working directory; pass --url or --server-dll");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { "run", "--project", Path.Combine(root, "src", "LiveChat.Server"), "-c", "Release", "--no-launch-profile", "--", "--urls", url.ToString().TrimEnd('/') },
            WorkingDirectory = Path.Combine(root, "src", "LiveChat.Server"),
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        return start;
    }

    /// <summary>The most recently built server dll (Release preferred when both are equally fresh).</summary>
    internal static string? FindServerDll() =>
        RepoPaths.Root is { } root ? ServerBuild.Newest(root, Path.Combine("src", "LiveChat.Server"), "LiveChat.Server.dll") : null;

    /// <summary>SIGTERM, 15 s to stop, then SIGKILL.</summary>
    public async ValueTask DisposeAsync() => await process.Stop(TimeSpan.FromSeconds(15));
}
