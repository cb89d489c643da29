using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using LiveChat.Contracts;
using LiveChat.LoadTests.Metrics;
using LiveChat.LoadTests.Simulations;
using LiveChat.LoadTests.Transport;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveChat.LoadTests.Scenarios;

/// <summary>
/// An agent console's live-visitors list without a browser (issue 15): subscribes to the default view and counts
/// what arrives — pushes and bytes per second, how long a visitor's activity takes to show in the view, drops.
/// Against a server without the subscription (main before issue 15) it falls back to the old WatchVisitors() and
/// counts its per-event VisitorUpdated / VisitorLeft pushes, for a before/after on the same harness.
/// </summary>
internal sealed class WatchingAgent(LoadEnvironment env)
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
    public static WatchStats Stats { get; } = new();

    private readonly Dictionary<string, DateTimeOffset> lastSeen = [];

    /// <summary>Issue 15's limits: no watcher dropped or refused, at most 20 pushes a second to one console.</summary>
    public static IEnumerable<Reports.ThresholdResult> Thresholds(Cli.LoadOptions options)
    {
        if (options.Watchers <= 0) yield break;
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        yield return new("watcher connections dropped or refused", "≤ 0", (Stats.Dropped + Stats.Failed).ToString(inv), Stats.Dropped + Stats.Failed == 0);
        var rate = Stats.PushesPerSecondPerWatcher;
        yield return new("list pushes per second to one watcher", "≤ 20", rate.ToString("0.0", inv), rate <= 20);
    }

    public static Scenario Create(LoadEnvironment env) => Scenario.Create("watchers", ctx => new WatchingAgent(env).RunAsync(ctx.Stop));

    private async Task RunAsync(CancellationToken ct)
    {
        HubClient? client = null;
        try
        {
            var cookie = await env.Admin.LoginAsync(env.Options.WatcherId ?? "demo", env.Options.WatcherPassword ?? "demo", ct);
            client = env.Hubs.Create("/hubs/agent", cookie);
            var c = client.Connection;
            c.On<JsonElement>("VisitorsChanged", d => Received(d, d.GetProperty("upserts").EnumerateArray(), d.GetProperty("removals").EnumerateArray()));
            c.On<JsonElement>("VisitorUpdated", v => Received(v, [v], []));
            c.On<JsonElement>("VisitorLeft", v => Received(v, [], [v]));
            await c.StartAsync(ct);
            try { await c.InvokeAsync<JsonElement>("WatchVisitors", new WatchVisitorsRequest(), ct); }
            catch (Exception) when (!ct.IsCancellationRequested) { await c.InvokeAsync<JsonElement>("WatchVisitors", ct); Stats.Legacy = true; }
            Interlocked.Increment(ref Stats.Connected);
            var mine = client;
            c.Closed += _ =>
            {
                if (!mine.Intentional) Interlocked.Increment(ref Stats.Dropped);
                return Task.CompletedTask;
            };
            await Task.Delay(Timeout.Infinite, ct);
        }
        catch (Exception) when (!ct.IsCancellationRequested) { Interlocked.Increment(ref Stats.Failed); }
        catch (OperationCanceledException) { }
        finally
        {
            if (client is not null) { client.Intentional = true; await client.DisposeAsync(); }
        }
    }

    /// <summary>
    /// Counts one push; for each row that stayed in the view and whose activity time moved, the delay from that
    /// activity (the server's LastSeenAt, same machine clock) to now: how late a visitor's page view shows.
    /// </summary>
    private void Received(JsonElement push, IEnumerable<JsonElement> rows, IEnumerable<JsonElement> removed)
    {
        var now = DateTimeOffset.UtcNow;
        Stats.Push(push.GetRawText().Length);
        lock (lastSeen)
        {
            foreach (var gone in removed) lastSeen.Remove(gone.GetProperty("visitorId").GetString()!);
            foreach (var row in rows)
            {
                var id = row.GetProperty("visitorId").GetString()!;
                var at = row.GetProperty("lastSeenAt").GetDateTimeOffset();
                if (lastSeen.TryGetValue(id, out var before) && before != at) Stats.Latency((now - at).TotalMilliseconds);
                lastSeen[id] = at;
            }
        }
    }
}

/// <summary>What every watcher of the run received, summed; per-watcher rates divide by the watchers connected.</summary>
internal sealed class WatchStats
{
    public int Connected, Failed, Dropped;
    public bool Legacy;
    private long pushes, bytes;
    private readonly ConcurrentQueue<(long At, int Bytes)> recent = new();
    private readonly List<double> latencies = [];
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private long steadyFrom = long.MaxValue, steadyPushes, steadyBytes;

    public void Push(int size)
    {
        Interlocked.Increment(ref pushes);
        Interlocked.Add(ref bytes, size);
        if (clock.ElapsedTicks >= Interlocked.Read(ref steadyFrom)) { Interlocked.Increment(ref steadyPushes); Interlocked.Add(ref steadyBytes, size); }
    }

    public void Latency(double ms) { lock (latencies) latencies.Add(ms); }

    /// <summary>From now on, pushes count towards the steady rates (the harness calls it when the ramp is over).</summary>
    public void SteadyStarts() => Interlocked.Exchange(ref steadyFrom, clock.ElapsedTicks);

    private double SteadySeconds => steadyFrom == long.MaxValue ? 0 : (clock.ElapsedTicks - steadyFrom) / (double)Stopwatch.Frequency;
    public double PushesPerSecondPerWatcher => SteadySeconds > 0 ? steadyPushes / SteadySeconds / Math.Max(1, Connected) : 0;

    public object Summary()
    {
        var seconds = steadyFrom == long.MaxValue ? 0 : (clock.ElapsedTicks - steadyFrom) / (double)Stopwatch.Frequency;
        double[] sorted;
        lock (latencies) sorted = latencies.Order().ToArray();
        double? P(double q) => sorted.Length == 0 ? null : Math.Round(sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))]);
        var per = Math.Max(1, Connected);
        return new
        {
            protocol = Legacy ? "main: WatchVisitors() + VisitorUpdated per event" : "WatchVisitors(request) + VisitorsChanged diffs",
            watchers = Connected, failed = Failed, dropped = Dropped,
            steadySeconds = Math.Round(seconds, 1),
            pushesPerSecondPerWatcher = seconds > 0 ? Math.Round(steadyPushes / seconds / per, 2) : 0,
            kilobytesPerSecondPerWatcher = seconds > 0 ? Math.Round(steadyBytes / 1024.0 / seconds / per, 1) : 0,
            activityToViewMs = new { samples = sorted.Length, p50 = P(0.5), p99 = P(0.99), max = P(1) },
            totalPushes = pushes, totalBytes = bytes,
        };
    }
}
