using System.Runtime.InteropServices;

namespace LiveChat.LoadTests.Transport;

/// <summary>The two libc calls the harness needs: raise the open-file limit, and stop a child politely.</summary>
internal static partial class NativeMethods
{
    private const int RlimitNofile = 7; // Linux
    private const int Sigterm = 15;

    [StructLayout(LayoutKind.Sequential)]
    private struct RLimit
    {
        public ulong Current;
        public ulong Maximum;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int getrlimit(int resource, out RLimit limit);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setrlimit(int resource, in RLimit limit);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int signal);

    /// <summary>Raises the soft open-file limit to the hard one; returns (before, after), or null where unsupported.</summary>
    public static (ulong Before, ulong After)? RaiseOpenFileLimit()
    {
        if (!OperatingSystem.IsLinux()) return null;
        try
        {
            if (getrlimit(RlimitNofile, out var limit) != 0) return null;
            var before = limit.Current;
            if (limit.Current < limit.Maximum)
            {
                limit.Current = limit.Maximum;
                if (setrlimit(RlimitNofile, in limit) != 0) return (before, before);
            }
            return (before, limit.Current);
        }
        catch (DllNotFoundException) { return null; }
        catch (EntryPointNotFoundException) { return null; }
    }

    public static bool Terminate(int pid) => OperatingSystem.IsLinux() && kill(pid, Sigterm) == 0;
}
