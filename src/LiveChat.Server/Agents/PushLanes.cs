using System.Collections.Concurrent;
using System.Threading.Channels;

namespace LiveChat.Server.Agents;

/// <summary>
/// Fire-and-forget pushes that keep their order: one lane per target (an agent, a site's agents), drained by one
/// loop that awaits each send, so a grain never waits on a browser and one agent's stalled console holds up only
/// its own lane. Nothing is dropped, except that a snapshot (<see cref="Latest"/>) still waiting is replaced by a newer one.
/// A site lane stops waiting for a slow send after <see cref="SlowSend"/> and goes on: the slow connection still
/// receives it, in order, as SignalR serialises writes per connection, while the site's other agents are not held up.
/// </summary>
internal sealed class PushLanes(ILogger<PushLanes> log)
{
    public static readonly TimeSpan SlowSend = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<string, Channel<Func<Task>>> lanes = new();
    private readonly Dictionary<string, Func<Task>> latest = [];

    /// <summary>Queues a push; its order against other pushes of the lane is kept.</summary>
    public Task Ordered(string lane, Func<Task> send)
    {
        Lane(lane).Writer.TryWrite(send);
        return Task.CompletedTask;
    }

    /// <summary>Queues a snapshot (a site's whole queue, its agents): if one of this kind is still waiting, the newer replaces it.</summary>
    public Task Latest(string lane, string kind, Func<Task> send)
    {
        var key = lane + "\n" + kind;
        lock (latest)
        {
            var waiting = latest.ContainsKey(key);
            latest[key] = send;
            if (waiting) return Task.CompletedTask;
        }
        Lane(lane).Writer.TryWrite(() =>
        {
            Func<Task>? newest;
            lock (latest) latest.Remove(key, out newest);
            return newest?.Invoke() ?? Task.CompletedTask;
        });
        return Task.CompletedTask;
    }

    private Channel<Func<Task>> Lane(string lane) => lanes.GetOrAdd(lane, name =>
    {
        var channel = Channel.CreateUnbounded<Func<Task>>(new UnboundedChannelOptions { SingleReader = true });
        _ = Task.Run(() => Drain(name, channel.Reader));
        return channel;
    });

    private async Task Drain(string lane, ChannelReader<Func<Task>> reader)
    {
        var patient = !lane.StartsWith("site:", StringComparison.Ordinal);
        await foreach (var send in reader.ReadAllAsync())
        {
            try
            {
                var sending = send();
                if (patient) await sending;
                else if (await Task.WhenAny(sending, Task.Delay(SlowSend)) != sending) Observe(lane, sending);
            }
            catch (Exception e) { log.LogDebug(e, "A push on {Lane} failed", lane); }
        }
    }

    private void Observe(string lane, Task sending) =>
        sending.ContinueWith(t => log.LogDebug(t.Exception, "A slow push on {Lane} failed", lane), TaskContinuationOptions.OnlyOnFaulted);
}
