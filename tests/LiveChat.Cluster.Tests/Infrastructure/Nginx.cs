using System.Diagnostics;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace LiveChat.Cluster.Tests.Infrastructure;

/// <summary>
/// A real nginx (Debian's package) running the repository's own <c>deploy/nginx.conf</c>: the file is read as it is
/// and only its deployment-specific lines are swapped — <c>listen 80</c> for a free loopback port, the
/// <c>server nodeN:8080</c> lines for the test's nodes — plus temp and log paths in a directory of its own (nothing
/// root-owned). Runs in the foreground, registered with <see cref="ChildProcesses"/>; disposing kills it.
/// </summary>
public sealed partial class Nginx : IAsyncDisposable
{
    /// <summary>The deployment's load-balancer config: what docker compose mounts and what every test here runs.</summary>
    public static string ConfigTemplate => Path.Combine(ServerBuild.RepositoryRoot(), "deploy", "nginx.conf");

    private readonly string directory = Directory.CreateTempSubdirectory("livechat-nginx-").FullName;
    private readonly List<string> output = [];
    private Process? process;

    private Nginx(int port) { Port = port; Url = $"http://127.0.0.1:{port}"; }

    public int Port { get; }
    public string Url { get; }
    private string AccessLogPath => Path.Combine(directory, "access.log");

    public static async Task<Nginx> Start(IEnumerable<ServerNode> nodes)
    {
        var upstreams = nodes.Select(n => new Uri(n.Url).Authority).ToList();
        for (var attempt = 1; ; attempt++)
        {
            var nginx = new Nginx(Ports.Free());
            try
            {
                await nginx.Run(upstreams);
                return nginx;
            }
            // Another process on this shared machine took the free port first: try another.
            catch (InvalidOperationException) when (attempt < 3 && nginx.LogTail().Contains("Address already in use", StringComparison.OrdinalIgnoreCase))
            {
                await nginx.DisposeAsync();
            }
            catch
            {
                await nginx.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>The deployment file with the test's ports; throws if a line it must swap is not there (the test must follow the file).</summary>
    public static string Render(string template, int port, IReadOnlyList<string> upstreams, string directory)
    {
        var servers = ServerLine().Matches(template);
        if (servers.Count == 0) throw new InvalidOperationException($"{ConfigTemplate}: no 'server nodeN:8080 …;' line in its upstream");
        var parameters = servers[0].Groups["parameters"].Value;
        var first = true;
        var text = ServerLine().Replace(template, m =>
        {
            if (!first) return "";
            first = false;
            return string.Concat(upstreams.Select(u => $"{m.Groups["indent"].Value}server {u}{parameters};\n"));
        });
        if (!ListenLine().IsMatch(text)) throw new InvalidOperationException($"{ConfigTemplate}: no 'listen 80;' line");
        text = ListenLine().Replace(text, m => $"{m.Groups["indent"].Value}listen 127.0.0.1:{port};");
        if (!HttpBlock().IsMatch(text)) throw new InvalidOperationException($"{ConfigTemplate}: no 'http {{' block");
        // Test-only: where a non-root nginx keeps its files, and an access log naming the node each request went to.
        var local = string.Join("\n", [
            $"  client_body_temp_path {directory}/body;", $"  proxy_temp_path {directory}/proxy;", $"  fastcgi_temp_path {directory}/fastcgi;",
            $"  uwsgi_temp_path {directory}/uwsgi;", $"  scgi_temp_path {directory}/scgi;",
            "  log_format livechat_test '$remote_addr \"$request\" $status $upstream_addr';",
            $"  access_log {directory}/access.log livechat_test;",
        ]);
        return HttpBlock().Replace(text, m => m.Value + "\n" + local, 1);
    }

    private async Task Run(IReadOnlyList<string> upstreams)
    {
        // Workers drop to an unprivileged user when nginx starts as root: they must be able to reach the directory.
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(directory, (UnixFileMode)0b111_101_101);
        var config = Path.Combine(directory, "nginx.conf");
        await File.WriteAllTextAsync(config, Render(await File.ReadAllTextAsync(ConfigTemplate), Port, upstreams, directory));
        var info = new ProcessStartInfo(Binary()) { WorkingDirectory = directory };
        foreach (var arg in new[] { "-p", directory + "/", "-c", config, "-e", Path.Combine(directory, "error.log"),
                     "-g", $"daemon off; pid {directory}/nginx.pid;" })
            info.ArgumentList.Add(arg);
        process = ChildProcesses.Start(info, Log);
        await Ports.Until(async () =>
        {
            if (process.HasExited) throw new InvalidOperationException($"nginx exited at start-up:\n{LogTail()}");
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", Port);
                return true;
            }
            catch (SocketException) { return false; }
        }, TimeSpan.FromSeconds(15), $"nginx on port {Port}");
    }

    private static string Binary()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Append("/usr/sbin"))
            if (dir.Length > 0 && File.Exists(Path.Combine(dir, "nginx"))) return Path.Combine(dir, "nginx");
        throw new InvalidOperationException("nginx is not installed: apt-get install -y nginx (test.sh does it)");
    }

    /// <summary>One request nginx passed on: the client's address, the request line, the status and the node(s) it tried.</summary>
    public sealed record Request(string ClientAddress, string Line, int Status, string Upstream);

    public IReadOnlyList<Request> Requests()
    {
        if (!File.Exists(AccessLogPath)) return [];
        using var stream = new FileStream(AccessLogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var lines = new StreamReader(stream).ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return lines.Select(l => AccessLine().Match(l)).Where(m => m.Success)
            .Select(m => new Request(m.Groups["client"].Value, m.Groups["line"].Value, int.Parse(m.Groups["status"].Value), m.Groups["upstream"].Value))
            .ToList();
    }

    public string LogTail(int lines = 40)
    {
        var errors = Path.Combine(directory, "error.log");
        var text = File.Exists(errors) ? File.ReadLines(errors).TakeLast(lines) : [];
        lock (output) return string.Join(Environment.NewLine, output.TakeLast(lines).Concat(text));
    }

    private void Log(string line) { lock (output) output.Add(line); }

    public ValueTask DisposeAsync()
    {
        if (process is not null) ChildProcesses.Kill(process);
        process = null;
        TestContext.Current.TestOutputHelper?.WriteLine($"---- nginx ({Url}) error log tail ----{Environment.NewLine}{LogTail()}");
        try { Directory.Delete(directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        return ValueTask.CompletedTask;
    }

    [GeneratedRegex(@"^(?<indent>[ \t]*)server[ \t]+node\d+:8080(?<parameters>[^;\n]*);[ \t]*\n?", RegexOptions.Multiline)]
    private static partial Regex ServerLine();

    [GeneratedRegex(@"^(?<indent>[ \t]*)listen[ \t]+80;", RegexOptions.Multiline)]
    private static partial Regex ListenLine();

    [GeneratedRegex(@"^http[ \t]*\{", RegexOptions.Multiline)]
    private static partial Regex HttpBlock();

    [GeneratedRegex(@"^(?<client>\S+) ""(?<line>[^""]*)"" (?<status>\d+) (?<upstream>.*)$")]
    private static partial Regex AccessLine();
}
