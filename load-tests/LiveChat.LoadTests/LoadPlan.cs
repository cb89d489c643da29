using LiveChat.LoadTests.Cli;
using LiveChat.LoadTests.Scenarios;
using LiveChat.LoadTests.Simulations;

namespace LiveChat.LoadTests;

/// <summary>The run's scenarios and their load simulations, in NBomber's terms.</summary>
internal static class LoadPlan
{
    /// <summary>Agents and echo clients: connected before the visitors come and kept until they're gone.</summary>
    public static IReadOnlyList<Scenario> Support(LoadEnvironment env, TimeSpan hold)
    {
        var o = env.Options;
        var list = new List<Scenario>();
        if (o.Agents > 0) list.Add(AgentBot.Create(env).WithLoadSimulations(Simulation.KeepConstant(o.Agents, hold)));
        if (o.EchoClients > 0) list.Add(EchoClient.Create(env).WithLoadSimulations(Simulation.KeepConstant(o.EchoClients, hold)));
        if (o.Watchers > 0) list.Add(WatchingAgent.Create(env).WithLoadSimulations(Simulation.KeepConstant(o.Watchers, hold)));
        return list;
    }

    /// <summary>Visitors ramp up then hold; messages and echo calls are injected in the steady part; the storm hits mid-way.</summary>
    public static IReadOnlyList<Scenario> Visitors(LoadEnvironment env, bool withVisitors, bool withEcho)
    {
        var o = env.Options;
        if (!withVisitors) o = o with { Visitors = 0, Chatters = 0, StormShare = 0 };
        var settle = TimeSpan.FromSeconds(10); // chatters need their invitation and an agent before they talk
        var talk = o.Duration - o.Grace - settle;
        var list = new List<Scenario>();
        if (o.Visitors > 0)
            list.Add(BrowsingVisitor.Create(env).WithLoadSimulations(
                Simulation.RampingConstant(o.Visitors, o.Ramp), Simulation.KeepConstant(o.Visitors, o.Duration)));
        if (o.Chatters > 0)
        {
            list.Add(ChattingVisitor.Create(env).WithLoadSimulations(
                Simulation.RampingConstant(o.Chatters, o.Ramp), Simulation.KeepConstant(o.Chatters, o.Duration)));
            if (o.ChatRate > 0)
                list.Add(ChattingVisitor.Messages(env).WithLoadSimulations(
                    Simulation.Pause(o.Ramp + settle), Simulation.Inject(o.ChatRate, TimeSpan.FromSeconds(1), talk)));
        }
        if (withEcho && o.EchoClients > 0 && env.Options.EffectiveEchoRate > 0)
            list.Add(EchoClient.Calls(env).WithLoadSimulations(
                Simulation.Pause(o.Ramp + settle), Simulation.Inject(env.Options.EffectiveEchoRate, TimeSpan.FromSeconds(1), talk)));
        if (o.StormShare > 0)
            list.Add(ReconnectStorm.Create(env, o.EffectiveStormAt));
        return list;
    }
}
