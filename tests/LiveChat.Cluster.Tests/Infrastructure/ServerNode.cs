using System.Diagnostics;
using System.Net;

namespace LiveChat.Cluster.Tests.Infrastructure;

/// <summary>
/// One LiveChat server as its own process (<c>dotnet LiveChat.Server.dll --urls …</c>), configured only through
/// environment variables, exactly as an operator runs a node. <see cref="Kill"/> is a real SIGKILL.
/// </summary>
public sealed class ServerNode : IAsyncDisposable
{
    private static readonly HttpClient Probe = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly List<string> log = [];
    private readonly string home = Directory.CreateTempSubdirectory("livechat-node-").FullName;
    private Process? process;

    private ServerNode(string name, int port) { Name = name; Url = $"http://127.0.0.1:{port}"; }

    public string Name { get; }
    public string Url { get; }
    public bool Running => process is { HasExited: false };

    public static ServerNode Start(string name, IReadOnlyDictionary<string, string> environment)
    {
        var node = new ServerNode(name, Ports.Free());
        var (dll, contentRoot) = ServerBuild.Locate();
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = contentRoot };
        info.ArgumentList.Add(dll);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add(node.Url);
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["DOTNET_gcServer"] = "0";
        // A home of its own, as on a separate machine: no key ring shared through ~/.aspnet, only through Redis.
        info.Environment["HOME"] = node.home;
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        foreach (var (key, value) in environment) info.Environment[key] = value;
        node.process = ChildProcesses.Start(info, node.Log);
        return node;
    }

    public async Task WaitReady(TimeSpan limit) =>
        await Ports.Until(async () =>
        {
            if (!Running) throw new InvalidOperationException($"node {Name} exited during start-up:\n{LogTail()}");
            return await Ready() == HttpStatusCode.OK;
        }, limit, $"node {Name} ({Url}) /health/ready");

    /// <summary>The status of /health/ready, or 0 when the node does not answer at all.</summary>
    public async Task<HttpStatusCode> Ready()
    {
        try
        {
            using var response = await Probe.GetAsync($"{Url}/health/ready");
            return response.StatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { return 0; }
    }

    /// <summary>SIGKILL: no graceful shutdown, the silo cannot say goodbye to the cluster.</summary>
    public void Kill()
    {
        if (process is null) return;
        ChildProcesses.Kill(process);
        process = null;
    }

    public string LogTail(int lines = 60)
    {
        lock (log) return string.Join(Environment.NewLine, log.TakeLast(lines));
    }

    private void Log(string line) { lock (log) log.Add(line); }

    public ValueTask DisposeAsync()
    {
        Kill();
        try { Directory.Delete(home, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        return ValueTask.CompletedTask;
    }
}

/// <summary>Finds the server's own build output (same configuration as this test assembly) and its content root.</summary>
internal static class ServerBuild
{
    public static (string Dll, string ContentRoot) Locate()
    {
        var bin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = bin.Name;                       // net10.0
        var configuration = bin.Parent!.Name;           // Debug or Release
        var contentRoot = Path.Combine(RepositoryRoot(), "src", "LiveChat.Server");
        var dll = Path.Combine(contentRoot, "bin", configuration, framework, "LiveChat.Server.dll");
        if (!File.Exists(dll)) throw new InvalidOperationException($"{dll} is missing: build the solution ({configuration}) first");
        return (dll, contentRoot);
    }

    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "LiveChat.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException($"LiveChat.sln not found above {AppContext.BaseDirectory}");
    }
}
