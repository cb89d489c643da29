using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace LiveChat.Testing;

/// <summary>
/// Every process a test or the load harness starts (redis-server, server nodes, nginx) is registered here and killed
/// when this process exits, even if a test failed before its own clean-up ran.
/// </summary>
public static partial class ChildProcesses
{
    private const int Sigterm = 15;
    private static readonly ConcurrentDictionary<int, Process> Live = new();

    static ChildProcesses()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
        Console.CancelKeyPress += (_, _) => KillAll();
    }

    /// <summary>Starts the process with its standard output and error, line by line, to <paramref name="output"/>.</summary>
    public static Process Start(ProcessStartInfo info, Action<string> output)
    {
        info.UseShellExecute = false;
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) output(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) output(e.Data); };
        process.Start();
        Live[process.Id] = process;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>SIGKILL on Unix: no clean-up code runs in the child, as when a machine dies. The process object is disposed.</summary>
    public static void Kill(Process process)
    {
        int? id = null;
        try
        {
            id = process.Id;
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
        catch (InvalidOperationException) { } // never started or already reaped
        finally
        {
            if (id is { } pid) Live.TryRemove(pid, out _);
            process.Dispose();
        }
    }

    /// <summary>SIGTERM, then up to <paramref name="grace"/> to exit by itself, then <see cref="Kill"/>.</summary>
    public static async Task Stop(Process process, TimeSpan grace)
    {
        try
        {
            if (!process.HasExited && Terminate(process.Id))
            {
                using var cts = new CancellationTokenSource(grace);
                try { await process.WaitForExitAsync(cts.Token); }
                catch (OperationCanceledException) { }
            }
        }
        catch (InvalidOperationException) { }
        Kill(process);
    }

    /// <summary>Asks politely (SIGTERM on Linux); false where that is not possible.</summary>
    public static bool Terminate(int pid) => OperatingSystem.IsLinux() && kill(pid, Sigterm) == 0;

    /// <summary>Kills every registered process now, without waiting (a watchdog's last resort).</summary>
    public static void KillAll()
    {
        foreach (var p in Live.Values)
            try { if (!p.HasExited) p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { } catch (System.ComponentModel.Win32Exception) { }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int signal);
}
