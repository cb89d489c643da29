using System.Diagnostics;
using LiveChat.LoadTests.Metrics;
using LiveChat.LoadTests.Simulations;
using LiveChat.LoadTests.Transport;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveChat.LoadTests.Scenarios;

/// <summary>
/// The baseline: a bare SignalR hub (/hubs/echo) with no grains behind it. Echo(payload) returns the
/// payload; Broadcast(payload) pushes it back as "Echo". That push's latency is what a chat message is compared to.
/// </summary>
internal sealed class EchoClient(HubClient client)
{
    public HubConnection Connection => client.Connection;
    public volatile bool Ready;

    public static Scenario Create(LoadEnvironment env) => Scenario.Create("echo-clients", ctx => RunAsync(env, ctx.Stop));

    /// <summary>One injected call: the next echo client sends one stamped payload.</summary>
    public static Scenario Calls(LoadEnvironment env) => Scenario.Create("echo-calls", async ctx =>
    {
        if (env.EchoClients.Next(e => e.Ready) is not { } echo) return;
        var metrics = env.Metrics;
        metrics.Add(Counter.EchoSent);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var payload = MessageStamp.Create("echo");
            var answer = await echo.Connection.InvokeAsync<string>("Echo", payload, ctx.Stop);
            metrics.EchoInvoke.Record(Stopwatch.GetElapsedTime(started), metrics.Elapsed);
            if (answer == payload) metrics.Add(Counter.EchoReturned);
            // The push baseline, shaped like a chat message: one call in, one push out ("Echo").
            await echo.Connection.SendAsync("Broadcast", MessageStamp.Create("push"), ctx.Stop);
        }
        catch (Exception) when (!ctx.Stop.IsCancellationRequested)
        {
            metrics.Add(Counter.EchoFailed);
        }
    });

    private static async Task RunAsync(LoadEnvironment env, CancellationToken ct)
    {
        var metrics = env.Metrics;
        var client = env.Hubs.Create("/hubs/echo");
        client.Connection.On<string>("Echo", payload =>
        {
            if (!MessageStamp.TryRead(payload, out var age)) return;
            metrics.EchoPush.Record(age, metrics.Elapsed);
            metrics.Add(Counter.EchoPushed);
        });
        metrics.Add(Counter.EchoConnectAttempted);
        try
        {
            await client.Connection.StartAsync(ct);
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            metrics.Add(Counter.EchoConnectFailed);
            client.Intentional = true;
            await client.DisposeAsync();
            return;
        }
        metrics.Add(Counter.EchoConnectEstablished);
        metrics.Connected(ClientKind.Echo, +1);
        client.Connection.Closed += _ =>
        {
            metrics.Connected(ClientKind.Echo, -1);
            if (!client.Intentional) metrics.Add(Counter.EchoDropped);
            return Task.CompletedTask;
        };
        var echo = new EchoClient(client) { Ready = true };
        env.EchoClients.Add(echo);
        try
        {
            await Task.Delay(Timeout.Infinite, ct);
        }
        finally
        {
            echo.Ready = false;
            env.EchoClients.Remove(echo);
            client.Intentional = true;
            await client.DisposeAsync();
        }
    }
}
