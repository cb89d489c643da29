using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace LiveChat.Testing;

/// <summary>
/// A real redis-server of the test's own, on a free loopback port in a temp directory. It can be shut down and
/// started again on the same port and directory (with append-only persistence, the data comes back as well).
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly bool appendOnly;
    private readonly string[] extra;
    private readonly string directory = Directory.CreateTempSubdirectory("livechat-redis-").FullName;
    private readonly List<string> log = [];
    private readonly Action<string>? output;
    private Process? process;

    private RedisServer(bool appendOnly, string[] extra, Action<string>? output)
    {
        this.appendOnly = appendOnly;
        this.extra = extra;
        this.output = output;
        Port = Ports.Free();
    }

    public int Port { get; }
    public string ConnectionString => $"127.0.0.1:{Port}";

    /// <param name="extraArguments">more redis-server options, e.g. <c>--replicaof 127.0.0.1 PORT</c>.</param>
    public static Task<RedisServer> Start(bool appendOnly = false, params string[] extraArguments) => Start(appendOnly, null, extraArguments);

    /// <param name="output">where redis-server's output goes as well (e.g. a <see cref="LogFile"/>).</param>
    public static async Task<RedisServer> Start(bool appendOnly, Action<string>? output, params string[] extraArguments)
    {
        var redis = new RedisServer(appendOnly, extraArguments, output);
        try { await redis.Start(); }
        catch { await redis.DisposeAsync(); throw; }
        return redis;
    }

    public async Task Start()
    {
        var info = new ProcessStartInfo("redis-server") { WorkingDirectory = directory };
        foreach (var arg in new string[] { "--port", Port.ToString(), "--bind", "127.0.0.1", "--dir", directory, "--save", "",
                     "--appendonly", appendOnly ? "yes" : "no", "--appendfsync", "everysec", "--daemonize", "no" }.Concat(extra))
            info.ArgumentList.Add(arg);
        try { process = ChildProcesses.Start(info, Log); }
        catch (System.ComponentModel.Win32Exception e) { throw new InvalidOperationException("redis-server is not installed: apt-get install -y redis-server", e); }
        await Ports.Until(async () =>
        {
            if (process is { HasExited: true }) throw new InvalidOperationException($"redis-server exited at start: {LogTail()}");
            return await Ping();
        }, TimeSpan.FromSeconds(15), $"redis-server on port {Port} answering PING", pollMs: 100);
    }

    /// <summary>SIGKILL: no shutdown, no flush, as a crash or power loss would end it.</summary>
    public void Kill()
    {
        if (process is not null) ChildProcesses.Kill(process);
        process = null;
    }

    /// <summary>A clean shutdown (SHUTDOWN flushes the append-only file), then the process is gone.</summary>
    public async Task Stop()
    {
        if (process is null) return;
        try { await Command("*1\r\n$8\r\nSHUTDOWN\r\n"); } catch (IOException) { } catch (SocketException) { }
        await Task.Run(() => process.WaitForExit(5_000));
        ChildProcesses.Kill(process);
        process = null;
    }

    public async Task<bool> Ping()
    {
        try { return (await Command("*1\r\n$4\r\nPING\r\n")).StartsWith("+PONG", StringComparison.Ordinal); }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException) { return false; }
    }

    private async Task<string> Command(string resp)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", Port, cts.Token);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(resp), cts.Token);
        var buffer = new byte[64];
        var read = await stream.ReadAsync(buffer, cts.Token);
        return Encoding.ASCII.GetString(buffer, 0, read);
    }

    public string LogTail(int lines = 20)
    {
        lock (log) return string.Join(Environment.NewLine, log.TakeLast(lines));
    }

    private void Log(string line)
    {
        lock (log) log.Add(line);
        output?.Invoke(line);
    }

    public async ValueTask DisposeAsync()
    {
        if (process is not null) ChildProcesses.Kill(process);
        process = null;
        await Task.Yield();
        try { Directory.Delete(directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
