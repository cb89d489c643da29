using LiveChat.LoadTests.Metrics;

namespace LiveChat.LoadTests.Simulations;

/// <summary>
/// A named piece of user behaviour with its load shape, as NBomber's <c>Scenario.Create(name, run)</c>
/// plus <c>WithLoadSimulations</c>. In a closed model the body is one long-lived virtual user (it runs
/// until its copy is stopped); in an open model the body is one iteration.
/// </summary>
internal sealed record Scenario(string Name, Func<ScenarioContext, Task> Run, IReadOnlyList<LoadSimulation> Simulations)
{
    public static Scenario Create(string name, Func<ScenarioContext, Task> run) => new(name, run, []);

    public Scenario WithLoadSimulations(params LoadSimulation[] simulations) => this with { Simulations = simulations };

    public bool IsOpenModel => Simulations.Any(s => s is Inject);

    public TimeSpan Length => Simulation.Length(Simulations);
}

/// <summary>What a scenario body gets: who it is, when to stop, where to count.</summary>
internal sealed record ScenarioContext(string ScenarioName, long Number, RunMetrics Metrics, CancellationToken Stop);
