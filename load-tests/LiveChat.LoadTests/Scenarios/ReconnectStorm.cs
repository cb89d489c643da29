using LiveChat.LoadTests.Simulations;

namespace LiveChat.LoadTests.Scenarios;

/// <summary>
/// At one instant a share of the connected visitors lose their network (socket aborted, no close frame)
/// and come straight back: new connection, Hello with their token, GetMessages after their last sequence.
/// </summary>
internal static class ReconnectStorm
{
    /// <summary>A one-shot scenario: Pause until the storm, then one iteration that cuts and resumes the chosen visitors.</summary>
    public static Scenario Create(LoadEnvironment env, TimeSpan at) =>
        Scenario.Create("reconnect-storm", ctx => RunAsync(env, ctx.Stop))
            .WithLoadSimulations(Simulation.Pause(at), Simulation.Inject(1, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)));

    private static async Task RunAsync(LoadEnvironment env, CancellationToken ct)
    {
        var all = env.Sessions.Keys.ToList();
        var count = (int)Math.Round(all.Count * env.Options.StormShare);
        var chosen = all.Where(s => s.StormEligible).OrderBy(_ => Random.Shared.Next()).Take(count).ToList();
        // Everyone drops within one second: that's the storm.
        var spread = TimeSpan.FromSeconds(1);
        var tasks = chosen.Select(async (session, i) =>
        {
            await Task.Delay(spread * i / Math.Max(1, chosen.Count), ct);
            await session.DropAndResumeAsync(ct);
        });
        await Task.WhenAny(Task.WhenAll(tasks), Task.Delay(TimeSpan.FromSeconds(60), ct));
    }
}
