using System.Runtime.InteropServices;

namespace LiveChat.LoadTests.Transport;

/// <summary>The libc calls the harness needs: raise the open-file limit (stopping children is the test kit's <c>ChildProcesses</c>).</summary>
internal static partial class NativeMethods
{
    private const int RlimitNofile = 7; // Linux

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
}
