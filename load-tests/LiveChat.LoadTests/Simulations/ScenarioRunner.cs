using LiveChat.LoadTests.Metrics;

namespace LiveChat.LoadTests.Simulations;

/// <summary>Drives one scenario through its load simulations, ticking every 100 ms; stops by itself at the end.</summary>
internal sealed class ScenarioRunner(Scenario scenario, RunMetrics metrics, int maxInFlightIterations = 10_000)
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);
    private readonly List<(CancellationTokenSource Stop, Task Task)> copies = [];
    private readonly HashSet<Task> iterations = [];
    private long started;
    private long iterationsDropped;

    public Scenario Scenario => scenario;
    public int ActiveCopies { get { lock (copies) return copies.Count; } }
    public long IterationsDropped => Interlocked.Read(ref iterationsDropped);

    public async Task RunAsync(CancellationToken runStop)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var length = scenario.Length;
        long injected = 0;
        using var timer = new PeriodicTimer(Tick);
        try
        {
            while (!runStop.IsCancellationRequested)
            {
                var at = clock.Elapsed;
                if (scenario.IsOpenModel)
                {
                    // Counted from the clock, not from ticks, so a late tick neither loses nor adds iterations.
                    for (var due = Simulation.InjectedBy(scenario.Simulations, at); injected < due; injected++) StartIteration(runStop);
                }
                if (at >= length) break;
                if (!scenario.IsOpenModel)
                {
                    Resize(Simulation.TargetCopies(scenario.Simulations, at), runStop);
                }
                await timer.WaitForNextTickAsync(runStop);
            }
        }
        catch (OperationCanceledException) { }
        await StopAllAsync();
    }

    private void Resize(int target, CancellationToken runStop)
    {
        lock (copies)
        {
            while (copies.Count < target)
            {
                var stop = CancellationTokenSource.CreateLinkedTokenSource(runStop);
                var context = new ScenarioContext(scenario.Name, Interlocked.Increment(ref started) - 1, metrics, stop.Token);
                copies.Add((stop, Task.Run(() => Guard(context), CancellationToken.None))); // Guard ends on its own token
            }
            while (copies.Count > target)
            {
                var last = copies[^1];
                copies.RemoveAt(copies.Count - 1);
                last.Stop.Cancel();
            }
        }
    }

    private void StartIteration(CancellationToken runStop)
    {
        lock (iterations)
        {
            iterations.RemoveWhere(t => t.IsCompleted);
            if (iterations.Count >= maxInFlightIterations)
            {
                // An open model doesn't wait for the system; past the bound we count instead of piling up.
                Interlocked.Increment(ref iterationsDropped);
                return;
            }
            var context = new ScenarioContext(scenario.Name, Interlocked.Increment(ref started) - 1, metrics, runStop);
            iterations.Add(Task.Run(() => Guard(context), CancellationToken.None)); // Guard ends on the run's token
        }
    }

    private async Task Guard(ScenarioContext context)
    {
        try
        {
            await scenario.Run(context);
        }
        catch (OperationCanceledException) when (context.Stop.IsCancellationRequested) { }
        catch (Exception)
        {
            metrics.Add(Counter.InvokeErrors);
        }
    }

    private async Task StopAllAsync()
    {
        List<Task> pending;
        lock (copies)
        {
            foreach (var (stop, _) in copies) stop.Cancel();
            pending = copies.Select(c => c.Task).ToList();
            copies.Clear();
        }
        lock (iterations) pending.AddRange(iterations);
        // Bounded: copies get 30 s to say goodbye, then we move on.
        await Task.WhenAny(Task.WhenAll(pending), Task.Delay(TimeSpan.FromSeconds(30)));
    }
}
