using BenchmarkDotNet.Running;

// Run in Release: dotnet run -c Release --project tests/LiveChat.Benchmarks -- --filter '*' --job short
BenchmarkSwitcher.FromAssembly(typeof(LiveChat.Benchmarks.EngineBenchmarks).Assembly).Run(args);
