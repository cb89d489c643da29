using System.Net;

namespace LiveChat.Cluster.Tests.Infrastructure;

/// <summary>
/// One LiveChat server as its own process (the kit's <see cref="NodeProcess"/>: <c>dotnet LiveChat.Server.dll --urls …</c>),
/// configured only through environment variables, exactly as an operator runs a node. <see cref="Kill"/> is a real SIGKILL.
/// </summary>
public sealed class ServerNode : IAsyncDisposable
{
    private readonly List<string> log = [];
    private readonly string home = Directory.CreateTempSubdirectory("livechat-node-").FullName;
    private readonly NodeProcess process;

    private ServerNode(string name, IReadOnlyDictionary<string, string> environment)
    {
        Name = name;
        var url = NodeProcess.FreeUrl();
        Url = url.ToString().TrimEnd('/');
        var (dll, contentRoot) = ServerBuild.Locate();
        var info = NodeProcess.Command(dll, url, workingDirectory: contentRoot);
        info.Environment["DOTNET_gcServer"] = "0";
        // A home of its own, as on a separate machine: no key ring shared through ~/.aspnet, only through Redis.
        info.Environment["HOME"] = home;
        info.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        foreach (var (key, value) in environment) info.Environment[key] = value;
        process = NodeProcess.Start($"node {name}", url, info, Log);
    }

    public string Name { get; }
    public string Url { get; }
    public bool Running => process.Running;

    public static ServerNode Start(string name, IReadOnlyDictionary<string, string> environment) => new(name, environment);

    public Task WaitReady(TimeSpan limit) =>
        process.WaitReady(limit, exited: () => $"node {Name} exited during start-up:\n{LogTail()}", pollMs: 200);

    /// <summary>The status of /health/ready, or 0 when the node does not answer at all.</summary>
    public Task<HttpStatusCode> Ready() => process.Ready();

    /// <summary>SIGKILL: no graceful shutdown, the silo cannot say goodbye to the cluster.</summary>
    public void Kill() => process.Kill();

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
