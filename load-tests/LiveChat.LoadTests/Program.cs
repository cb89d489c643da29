using LiveChat.LoadTests;
using LiveChat.LoadTests.Cli;

// LiveChat load harness: exit 0 = thresholds held, 1 = a threshold broke, 2 = bad options or setup failure, 3 = watchdog.
LoadOptions options;
try
{
    options = OptionsParser.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(OptionsParser.Usage);
    return 2;
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };

// Every run ends by itself: the watchdog gives the whole run its planned length plus slack, then exits.
var limit = options.RunLength + TimeSpan.FromMinutes(5);
_ = Task.Delay(limit).ContinueWith(_ =>
{
    Console.Error.WriteLine($"watchdog: the run exceeded {limit.TotalMinutes:0} minutes; exiting");
    Watchdog.Fire();
    Environment.Exit(3);
}, TaskScheduler.Default);

try
{
    return options.IsWorker ? await LoadRun.RunWorkerAsync(options, stop.Token)
        : options.CompareBaseline ? await LiveChat.LoadTests.Baseline.CompareRun.RunAsync(options, args, stop.Token)
        : await new LoadRun(options, args).RunAsync(stop.Token);
}
catch (Exception e) when (e is InvalidOperationException or TimeoutException or HttpRequestException or OperationCanceledException)
{
    Console.Error.WriteLine($"load run failed: {e.Message}");
    return 2;
}
