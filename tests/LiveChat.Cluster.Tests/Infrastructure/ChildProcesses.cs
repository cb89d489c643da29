using System.Collections.Concurrent;
using System.Diagnostics;

namespace LiveChat.Cluster.Tests.Infrastructure;

/// <summary>
/// Every process a test starts (redis-server, server nodes) is registered here and killed when the test host
/// exits, even if a test failed before its own clean-up ran.
/// </summary>
internal static class ChildProcesses
{
    private static readonly ConcurrentDictionary<int, Process> Live = new();

    static ChildProcesses()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
        Console.CancelKeyPress += (_, _) => KillAll();
    }

    public static Process Start(ProcessStartInfo info, Action<string> output)
    {
        info.UseShellExecute = false;
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) output(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) output(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        Live[process.Id] = process;
        return process;
    }

    /// <summary>SIGKILL on Unix: no clean-up code runs in the child, as when a machine dies.</summary>
    public static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
        catch (InvalidOperationException) { } // never started or already reaped
        finally
        {
            Live.TryRemove(process.Id, out _);
            process.Dispose();
        }
    }

    private static void KillAll()
    {
        foreach (var p in Live.Values)
            try { if (!p.HasExited) p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
    }
}
