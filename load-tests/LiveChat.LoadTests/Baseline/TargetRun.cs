using System.Collections.Concurrent;
using System.Diagnostics;
using LiveChat.Contracts;
using LiveChat.Testing;
using LiveChat.LoadTests.Cli;
using LiveChat.LoadTests.Transport;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveChat.LoadTests.Baseline;

/// <summary>What one server did for N visitors that each sent Hello and waited for the one invitation due linger seconds later.</summary>
internal sealed record TargetFigures(
    string Name, int Visitors, int Connected, int Failed, int Invited, double RssIdleMb, double RssAfterMb, double RssPeakMb,
    double CpuSeconds, double RampSeconds, double LatenessP50Ms, double LatenessP99Ms, double LatenessMaxMs, double LoadAverage,
    double HelloP50Ms = 0, double HelloP99Ms = 0)
{
    /// <summary>The CPU of each measured batch (the first is the one memory and lateness come from); <see cref="CpuSeconds"/> is their median.</summary>
    public IReadOnlyList<double> CpuBatches { get; init; } = [];
    /// <summary>The server's CPU per second when nothing happens (its timers, flushes, metrics), measured before the first batch.</summary>
    public double IdleCpuPerSecond { get; init; }
    /// <summary>Each batch's measured span, so its idle share can be shown beside it.</summary>
    public IReadOnlyList<double> BatchSeconds { get; init; } = [];
    /// <summary>The median batch CPU minus what the idle server would have spent over the same span.</summary>
    public double CpuAboveIdleSeconds =>
        CpuBatches.Count == 0 ? 0 : TargetRun.Median(CpuBatches.Select((c, i) => c - IdleCpuPerSecond * (i < BatchSeconds.Count ? BatchSeconds[i] : 0)));
    public int Missed => Connected - Invited;
    /// <summary>Resident memory the visitors added, per visitor, read once every invitation had arrived.</summary>
    public double RssPerVisitorKb => Visitors == 0 ? 0 : Math.Max(0, RssAfterMb - RssIdleMb) * 1024 / Visitors;
    /// <summary>Each batch's live managed heap (after a full collection) before its first connect and once all were invited, MB.</summary>
    public IReadOnlyList<(double Before, double After)> HeapBatches { get; init; } = [];
    /// <summary>The managed heap the visitors added, per visitor: the median over the batches (see <see cref="LiveHeap"/>).</summary>
    public double HeapPerVisitorKb => HeapBatches.Count == 0 || Visitors == 0 ? 0 : TargetRun.Median(HeapBatches.Select(h => Math.Max(0, h.After - h.Before) * 1024 / Visitors));
}

/// <summary>
/// The client shape of the comparison, the same for both servers: every visitor connects (bounded concurrency) and
/// sends Hello on a /load/ page; lateness = invitation received − (Hello sent + linger).
/// </summary>
internal static class TargetRun
{
    private sealed class Probe
    {
        public long DueTicks;
        public int Received;
    }

    public static async Task<TargetFigures> MeasureAsync(string name, Uri url, int pid, LoadOptions o, Action<string> say, CancellationToken ct)
    {
        using var connector = new LoopbackConnector(url, o.SourceAddresses, 0);
        var hubs = new HubClientFactory(url, connector);
        var page = new Uri(url, "/load/landing").ToString();
        var linger = TimeSpan.FromSeconds(o.LingerSeconds);
        var clients = new ConcurrentBag<HubClient>();
        var lateness = new ConcurrentQueue<double>();
        var helloTimes = new ConcurrentQueue<double>();
        int invited = 0, failed = 0;
        long lastHello = 0;

        await WarmUpAsync(name, hubs, page, pid, o, say, ct);
        var heapBefore = await HeapBeforeBatchAsync(pid, ct);
        var idleRate = await IdleRateAsync(pid, ct);
        var idle = ProcFigures.Read(pid);
        var windowStarted = Stopwatch.GetTimestamp();
        var peak = idle.RssMb;
        using var sampleStop = new CancellationTokenSource();
        var sampling = Task.Run(async () =>
        {
            while (!sampleStop.IsCancellationRequested)
            {
                try { peak = Math.Max(peak, ProcFigures.Read(pid).RssMb); } catch (IOException) { }
                try { await Task.Delay(500, sampleStop.Token); } catch (OperationCanceledException) { }
            }
        }, CancellationToken.None);

        say($"{name}: idle RSS {idle.RssMb:0} MB; {o.Visitors} visitors connect and send Hello ({o.ConnectConcurrency} at a time)");
        var gate = new SemaphoreSlim(o.ConnectConcurrency);
        var started = Stopwatch.GetTimestamp();
        var visitors = Enumerable.Range(0, o.Visitors).Select(async _ =>
        {
            await gate.WaitAsync(ct);
            try
            {
                var probe = new Probe();
                var client = NewVisitor(hubs, o, () =>
                {
                    var now = Stopwatch.GetTimestamp();
                    if (Interlocked.Exchange(ref probe.Received, 1) != 0 || Volatile.Read(ref probe.DueTicks) == 0) return;
                    lateness.Enqueue(Stopwatch.GetElapsedTime(Volatile.Read(ref probe.DueTicks), now).TotalMilliseconds);
                    Interlocked.Increment(ref invited);
                });
                clients.Add(client);
                await client.Connection.StartAsync(ct);
                Volatile.Write(ref probe.DueTicks, Stopwatch.GetTimestamp() + (long)(linger.TotalSeconds * Stopwatch.Frequency));
                var sent = Stopwatch.GetTimestamp();
                await new VisitorHubCalls(client.Connection).Hello(new HelloRequest(null, null, new PageInfo(page, "Load landing")), ct);
                var at = Stopwatch.GetTimestamp();
                helloTimes.Enqueue(Stopwatch.GetElapsedTime(sent, at).TotalMilliseconds);
                long seen;
                while ((seen = Interlocked.Read(ref lastHello)) < at && Interlocked.CompareExchange(ref lastHello, at, seen) != seen) { }
            }
            catch (Exception) when (!ct.IsCancellationRequested)
            {
                Interlocked.Increment(ref failed);
            }
            finally { gate.Release(); }
        }).ToList();
        await Task.WhenAll(visitors);
        var ramp = lastHello == 0 ? 0 : Stopwatch.GetElapsedTime(started, lastHello).TotalSeconds;
        var connected = o.Visitors - failed;
        say($"{name}: {connected} connected and said Hello in {ramp:0.0} s ({failed} failed); waiting for the invitations");

        var deadline = Stopwatch.GetTimestamp() + (long)((linger + o.InvitationTimeout).TotalSeconds * Stopwatch.Frequency);
        while (Volatile.Read(ref invited) < connected && Stopwatch.GetTimestamp() < deadline)
            await Task.Delay(100, ct);
        var after = ProcFigures.Read(pid);
        var window = Stopwatch.GetElapsedTime(windowStarted).TotalSeconds;
        sampleStop.Cancel();
        await sampling;
        var load = ProcFigures.LoadAverage();
        var heaps = new List<(double Before, double After)> { (heapBefore, await LiveHeap.ReadMbAsync(pid, ct)) }; // after the CPU was read

        var sorted = lateness.Order().ToArray();
        var hellos = helloTimes.Order().ToArray();
        var figures = new TargetFigures(name, o.Visitors, connected, failed, sorted.Length, idle.RssMb, after.RssMb, peak,
            after.CpuSeconds - idle.CpuSeconds, ramp, Percentile(sorted, 0.50), Percentile(sorted, 0.99), sorted.Length == 0 ? 0 : sorted[^1], load,
            Percentile(hellos, 0.50), Percentile(hellos, 0.99));
        figures = figures with { HeapBatches = heaps };
        say($"{name}: {figures.Invited}/{connected} invited; lateness p50/p99/max {figures.LatenessP50Ms:0.0}/{figures.LatenessP99Ms:0.0}/{figures.LatenessMaxMs:0} ms; Hello p50/p99 {figures.HelloP50Ms:0.0}/{figures.HelloP99Ms:0.0} ms; CPU {figures.CpuSeconds:0.0} s; RSS {after.RssMb:0} MB ({figures.RssPerVisitorKb:0.0} KB/visitor); live heap {heaps[0].Before:0.0} → {heaps[0].After:0.0} MB ({figures.HeapPerVisitorKb:0.0} KB/visitor); disconnecting");

        if (o.CompareHold > TimeSpan.Zero)
        {
            say($"{name}: holding the visitors for {o.CompareHold.TotalSeconds:0} s (server pid {pid})");
            await Task.Delay(o.CompareHold, ct);
        }
        await LeaveAsync(clients, gate);
        figures = figures with { IdleCpuPerSecond = idleRate };
        if (o.CpuBatches <= 1) return figures with { CpuBatches = [figures.CpuSeconds], BatchSeconds = [window] };

        // One batch's CPU swings by ±15 % on a quiet machine (when the collections fall, how the threads meet); the
        // median of a few batches of the same shape on the same warm server is steadier. Memory and lateness stay the first's.
        var cpus = new List<double> { figures.CpuSeconds };
        var windows = new List<double> { window };
        for (var batch = 2; batch <= o.CpuBatches; batch++)
        {
            await Task.Delay(LeaveGrace, ct);
            await QuietAsync(pid, ct);
            var round = await RoundAsync(hubs, page, pid, o.Visitors, "", o, gate, ct, measureHeap: true);
            cpus.Add(round.Cpu);
            windows.Add(round.Seconds);
            heaps.Add(round.Heap);
            say($"{name}: CPU batch {batch}: {round.Invited}/{o.Visitors} invited; CPU {round.Cpu:0.00} s; live heap {round.Heap.Before:0.0} → {round.Heap.After:0.0} MB");
        }
        var median = Median(cpus);
        say($"{name}: CPU per batch {string.Join(" / ", cpus.Select(c => c.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)))} s; median {median:0.00} s");
        return figures with { CpuSeconds = median, CpuBatches = cpus, BatchSeconds = windows, HeapBatches = heaps };
    }

    /// <summary>
    /// Before anything is measured, rounds of <c>--warm-up</c> visitors (500) go through the whole measured path: connect,
    /// <c>Hello</c>, the invitation <c>linger</c> s later, leave. A method goes from quick JIT to instrumented to optimised code
    /// in steps (each after 30 calls, once no new method was compiled for 100 ms, then in the background), so there are six
    /// rounds: LiveChat's recompiles fall in rounds 2–3 (the costliest), where a rule stopping at "as costly as the round
    /// before" stopped. Then the visitors' leave grace passes and the server's CPU goes quiet. So neither server's start-up is counted as per-visitor cost: not the
    /// first-call JIT of the invitation path (the old warm-up left before its invitations), not the recompiles of the hot
    /// code, not the warm-up visitors' own leaving.
    /// </summary>
    private static async Task WarmUpAsync(string name, HubClientFactory hubs, string page, int pid, LoadOptions o, Action<string> say, CancellationToken ct)
    {
        if (o.WarmUpVisitors == 0) return;
        var started = Stopwatch.GetTimestamp();
        var gate = new SemaphoreSlim(o.ConnectConcurrency);
        for (var round = 1; round <= WarmUpRounds; round++)
        {
            var result = await RoundAsync(hubs, page, pid, o.WarmUpVisitors, "?warm-up", o, gate, ct);
            say($"{name}: warm-up round {round}: {result.Connected} visitors, {result.Invited} invited, left; server CPU {result.Cpu:0.00} s");
        }
        await Task.Delay(LeaveGrace, ct);
        var quietFor = await QuietAsync(pid, ct);
        say($"{name}: warm-up done in {Stopwatch.GetElapsedTime(started).TotalSeconds:0} s (server CPU quiet after {quietFor.TotalSeconds:0} s more)");
    }

    /// <summary>
    /// <paramref name="count"/> visitors connect and Hello, each gets its invitation, then all leave; returns the server's
    /// CPU from before the first connect to the last invitation (not the leaving).
    /// </summary>
    private static async Task<(int Connected, int Invited, double Cpu, double Seconds, (double Before, double After) Heap)> RoundAsync(HubClientFactory hubs, string page, int pid,
        int count, string query, LoadOptions o, SemaphoreSlim gate, CancellationToken ct, bool measureHeap = false)
    {
        var invited = 0;
        var clients = new ConcurrentBag<HubClient>();
        var heapBefore = measureHeap ? await HeapBeforeBatchAsync(pid, ct) : 0;
        var cpuBefore = ProcFigures.Read(pid).CpuSeconds;
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, count).Select(async _ =>
        {
            await gate.WaitAsync(ct);
            try
            {
                var client = NewVisitor(hubs, o, () => Interlocked.Increment(ref invited));
                clients.Add(client);
                await client.Connection.StartAsync(ct);
                await new VisitorHubCalls(client.Connection).Hello(new HelloRequest(null, null, new PageInfo(page + query, "Load landing")), ct);
            }
            catch (Exception) when (!ct.IsCancellationRequested) { }
            finally { gate.Release(); }
        }));
        var deadline = Stopwatch.GetTimestamp() + (long)((TimeSpan.FromSeconds(o.LingerSeconds) + o.InvitationTimeout).TotalSeconds * Stopwatch.Frequency);
        while (Volatile.Read(ref invited) < clients.Count && Stopwatch.GetTimestamp() < deadline)
            await Task.Delay(100, ct);
        var cpu = ProcFigures.Read(pid).CpuSeconds - cpuBefore;
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var heapAfter = measureHeap ? await LiveHeap.ReadMbAsync(pid, ct) : 0;
        await LeaveAsync(clients, gate);
        return (clients.Count, invited, cpu, seconds, (heapBefore, heapAfter));
    }

    /// <summary>The live heap before a batch; then the server's CPU goes quiet, so the collection and its session are in no CPU figure.</summary>
    private static async Task<double> HeapBeforeBatchAsync(int pid, CancellationToken ct)
    {
        var heap = await LiveHeap.ReadMbAsync(pid, ct);
        await QuietAsync(pid, ct);
        return heap;
    }

    /// <summary>A visitor's connection, not started, that reports its invitations and ignores the notices.</summary>
    private static HubClient NewVisitor(HubClientFactory hubs, LoadOptions o, Action invited)
    {
        var client = hubs.Create($"/hubs/visitor?site={Uri.EscapeDataString(o.Site)}");
        var on = new VisitorHubPushes(client.Connection);
        on.Invitation(_ => invited());
        on.Notice(_ => { });
        on.NoticeCleared(_ => { });
        return client;
    }

    /// <summary>Every visitor leaves (closes its connection), as many at a time as connect.</summary>
    private static Task LeaveAsync(IEnumerable<HubClient> clients, SemaphoreSlim gate) =>
        Task.WhenAll(clients.Select(async c =>
        {
            await gate.WaitAsync(CancellationToken.None);
            try { c.Intentional = true; await c.DisposeAsync(); } finally { gate.Release(); }
        }));

    private const int WarmUpRounds = 6;

    /// <summary>Longer than a left visitor's grace before the server lets them go (<c>GrainTimings.VisitorLeaveGrace</c>, 10 s).</summary>
    private static readonly TimeSpan LeaveGrace = TimeSpan.FromSeconds(12);

    /// <summary>The server's CPU seconds per second over 3 s with no visitor doing anything.</summary>
    private static async Task<double> IdleRateAsync(int pid, CancellationToken ct)
    {
        var before = ProcFigures.Read(pid).CpuSeconds;
        var started = Stopwatch.GetTimestamp();
        await Task.Delay(TimeSpan.FromSeconds(3), ct);
        return (ProcFigures.Read(pid).CpuSeconds - before) / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    /// <summary>Waits (at most 20 s) until the process used under 3 % of a core over a whole second; returns how long that took.</summary>
    private static async Task<TimeSpan> QuietAsync(int pid, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var before = ProcFigures.Read(pid).CpuSeconds;
        while (Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(1000, ct);
            var now = ProcFigures.Read(pid).CpuSeconds;
            if (now - before < 0.03) break;
            before = now;
        }
        return Stopwatch.GetElapsedTime(started);
    }

    internal static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
