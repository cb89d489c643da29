using System.Globalization;

namespace LiveChat.LoadTests.Metrics;

/// <summary>Samples a local process's CPU and memory from /proc once a second (Linux only).</summary>
internal sealed class ProcessSampler(int pid, Func<long> connectedVisitors, Func<TimeSpan> elapsed)
{
    private static readonly double TicksPerSecond = 100.0; // USER_HZ; 100 on every Linux we run on
    private readonly List<ServerSample> samples = [];
    private long? lastCpuTicks;
    private TimeSpan lastAt;
    private (long Busy, long Total)? lastMachine;

    public int Pid { get; } = pid;

    public IReadOnlyList<ServerSample> Samples
    {
        get { lock (samples) return samples.ToList(); }
    }

    public ServerSample? Latest
    {
        get { lock (samples) return samples.Count > 0 ? samples[^1] : null; }
    }

    public async Task RunAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            do
            {
                if (Read() is { } sample) lock (samples) samples.Add(sample);
            }
            while (await timer.WaitForNextTickAsync(stop));
        }
        catch (OperationCanceledException) { }
    }

    /// <summary>Machine-wide busy share from /proc/stat's first line, and the 1-minute load average.</summary>
    private (double BusyPercent, double LoadAverage) Machine()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Take(8).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        var total = fields.Sum();
        var busy = total - fields[3] - fields[4]; // idle, iowait
        double percent = 0;
        if (lastMachine is { } last && total > last.Total) percent = 100.0 * (busy - last.Busy) / (total - last.Total);
        lastMachine = (busy, total);
        var load = double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);
        return (percent, load);
    }

    private ServerSample? Read()
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{Pid}/stat");
            // The command name may contain spaces: fields start after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var cpuTicks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            var threads = int.Parse(fields[17], CultureInfo.InvariantCulture);
            long rssKb = 0;
            foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
            {
                if (!line.StartsWith("VmRSS:", StringComparison.Ordinal)) continue;
                rssKb = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
                break;
            }
            var now = elapsed();
            double cpuPercent = 0;
            if (lastCpuTicks is { } last && now > lastAt)
            {
                cpuPercent = (cpuTicks - last) / TicksPerSecond / (now - lastAt).TotalSeconds * 100.0;
            }
            lastCpuTicks = cpuTicks;
            lastAt = now;
            var (machineBusy, load) = Machine();
            return new ServerSample(now.TotalSeconds, cpuPercent, rssKb / 1024.0, threads, connectedVisitors(), cpuTicks / TicksPerSecond, machineBusy, load);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null; // the process went away or /proc isn't there: no sample, no crash
        }
    }
}

/// <summary>
/// One reading: the process's CPU % of one core since the previous reading, resident memory, connected visitors;
/// and the whole machine's busy % (of all cores) and 1-minute load average, which show when other work competed.
/// </summary>
internal sealed record ServerSample(
    double AtSeconds, double CpuPercent, double RssMb, int Threads, long ConnectedVisitors, double CpuSecondsTotal,
    double MachineBusyPercent = 0, double LoadAverage = 0);
