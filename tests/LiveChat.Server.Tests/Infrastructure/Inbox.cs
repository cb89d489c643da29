using System.Threading.Channels;

namespace LiveChat.Server.Tests.Infrastructure;

/// <summary>Pushes of one kind, received in order; tests await the next one with a generous timeout.</summary>
public sealed class Inbox<T>
{
    private readonly Channel<T> channel = Channel.CreateUnbounded<T>();
    private readonly List<T> all = [];

    public IReadOnlyList<T> All { get { lock (all) return all.ToList(); } }

    public void Add(T item)
    {
        lock (all) all.Add(item);
        channel.Writer.TryWrite(item);
    }

    public async Task<T> Next(double seconds = 10)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        try { return await channel.Reader.ReadAsync(cts.Token); }
        catch (OperationCanceledException) { throw new TimeoutException($"no {typeof(T).Name} within {seconds} s"); }
    }

    /// <summary>The next item matching, skipping others.</summary>
    public async Task<T> Next(Func<T, bool> match, double seconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var left = (deadline - DateTime.UtcNow).TotalSeconds;
            if (left <= 0) throw new TimeoutException($"no matching {typeof(T).Name} within {seconds} s");
            var item = await Next(left);
            if (match(item)) return item;
        }
    }

    /// <summary>True if nothing arrives for the given time.</summary>
    public async Task<bool> StaysEmpty(double seconds)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        try { await channel.Reader.WaitToReadAsync(cts.Token); return false; }
        catch (OperationCanceledException) { return true; }
    }
}
