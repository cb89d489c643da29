using LiveChat.LoadTests.Metrics;

namespace LiveChat.LoadTests.Simulations;

/// <summary>Drives one scenario through its load simulations, ticking every 100 ms; stops by itself at the end.</summary>
internal sealed class ScenarioRunner(Scenario scenario, RunMetrics metrics, int maxInFlightIterations = 10_000)
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);
    private readonly List<(CancellationTokenSource Stop, Task Task)> _copies = [];
    private readonly HashSet<Task> _iterations = [];
    private long _started;
    private long _iterationsDropped;

    public Scenario Scenario => scenario;
    public int ActiveCopies { get { lock (_copies) return _copies.Count; } }
    public long IterationsDropped => Interlocked.Read(ref _iterationsDropped);

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
        lock (_copies)
        {
            while (_copies.Count < target)
            {
                var stop = CancellationTokenSource.CreateLinkedTokenSource(runStop);
                var context = new ScenarioContext(scenario.Name, Interlocked.Increment(ref _started) - 1, metrics, stop.Token);
                _copies.Add((stop, Task.Run(() => Guard(context))));
            }
            while (_copies.Count > target)
            {
                var last = _copies[^1];
                _copies.RemoveAt(_copies.Count - 1);
                last.Stop.Cancel();
            }
        }
    }

    private void StartIteration(CancellationToken runStop)
    {
        lock (_iterations)
        {
            _iterations.RemoveWhere(t => t.IsCompleted);
            if (_iterations.Count >= maxInFlightIterations)
            {
                // An open model doesn't wait for the system; past the bound we count instead of piling up.
                Interlocked.Increment(ref _iterationsDropped);
                return;
            }
            var context = new ScenarioContext(scenario.Name, Interlocked.Increment(ref _started) - 1, metrics, runStop);
            _iterations.Add(Task.Run(() => Guard(context)));
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
        lock (_copies)
        {
            foreach (var (stop, _) in _copies) stop.Cancel();
            pending = _copies.Select(c => c.Task).ToList();
            _copies.Clear();
        }
        lock (_iterations) pending.AddRange(_iterations);
        // Bounded: copies get 30 s to say goodbye, then we move on.
        await Task.WhenAny(Task.WhenAll(pending), Task.Delay(TimeSpan.FromSeconds(30)));
    }
}
