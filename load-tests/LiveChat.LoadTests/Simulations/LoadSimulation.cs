namespace LiveChat.LoadTests.Simulations;

/// <summary>
/// NBomber's load-shape vocabulary. A closed model (RampingConstant, KeepConstant) holds a number of
/// concurrent copies; an open model (Inject) starts a number of iterations per interval whatever the
/// system's answer time.
/// </summary>
internal abstract record LoadSimulation(TimeSpan During);

/// <summary>Linearly moves the number of copies from the previous level to <paramref name="Copies"/>.</summary>
internal sealed record RampingConstant(int Copies, TimeSpan During) : LoadSimulation(During);

/// <summary>Holds <paramref name="Copies"/> copies.</summary>
internal sealed record KeepConstant(int Copies, TimeSpan During) : LoadSimulation(During);

/// <summary>Starts <paramref name="Rate"/> iterations every <paramref name="Interval"/>.</summary>
internal sealed record Inject(double Rate, TimeSpan Interval, TimeSpan During) : LoadSimulation(During);

/// <summary>Does nothing for a while (keeps the copies it has in a closed model).</summary>
internal sealed record Pause(TimeSpan During) : LoadSimulation(During);

/// <summary>Factory methods spelled as in NBomber (<c>Simulation.KeepConstant(copies, during)</c>).</summary>
internal static class Simulation
{
    public static LoadSimulation RampingConstant(int copies, TimeSpan during) => new RampingConstant(copies, during);
    public static LoadSimulation KeepConstant(int copies, TimeSpan during) => new KeepConstant(copies, during);
    public static LoadSimulation Inject(double rate, TimeSpan interval, TimeSpan during) => new Inject(rate, interval, during);
    public static LoadSimulation Pause(TimeSpan during) => new Pause(during);

    public static TimeSpan Length(IEnumerable<LoadSimulation> simulations) =>
        simulations.Aggregate(TimeSpan.Zero, (sum, s) => sum + s.During);

    /// <summary>Closed model: copies wanted at <paramref name="at"/> since the scenario started.</summary>
    public static int TargetCopies(IReadOnlyList<LoadSimulation> simulations, TimeSpan at)
    {
        var level = 0;
        var start = TimeSpan.Zero;
        foreach (var sim in simulations)
        {
            var end = start + sim.During;
            if (at < end || sim == simulations[^1])
            {
                var progress = sim.During <= TimeSpan.Zero ? 1.0 : Math.Clamp((at - start) / sim.During, 0, 1);
                return sim switch
                {
                    RampingConstant r => (int)Math.Round(level + (r.Copies - level) * progress),
                    KeepConstant k => k.Copies,
                    _ => level,
                };
            }
            level = sim switch { RampingConstant r => r.Copies, KeepConstant k => k.Copies, _ => level };
            start = end;
        }
        return level;
    }

    /// <summary>Open model: how many iterations should have started by <paramref name="at"/> (rounded to the nearest).</summary>
    public static long InjectedBy(IReadOnlyList<LoadSimulation> simulations, TimeSpan at)
    {
        double total = 0;
        var start = TimeSpan.Zero;
        foreach (var sim in simulations)
        {
            var end = start + sim.During;
            if (sim is Inject i && i.Interval > TimeSpan.Zero && at > start)
            {
                var covered = (at < end ? at : end) - start;
                total += i.Rate * (covered / i.Interval);
            }
            start = end;
        }
        return (long)Math.Floor(total + 0.5);
    }
}
