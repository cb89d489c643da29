using System.Globalization;

namespace LiveChat.LoadTests.Baseline;

/// <summary>One reading of a local process from /proc: CPU seconds used so far (user + system) and resident memory.</summary>
internal readonly record struct ProcFigures(double CpuSeconds, double RssMb)
{
    public static ProcFigures Read(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        var rssKb = File.ReadLines($"/proc/{pid}/status").Where(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
            .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture)).FirstOrDefault();
        return new ProcFigures(ticks / 100.0, rssKb / 1024.0); // USER_HZ is 100 on every Linux we run on
    }

    public static double LoadAverage() =>
        double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);
}
