using System.Threading.Channels;

namespace LiveChat.Testing;

/// <summary>Pushes of one kind, received in order; tests await the next (matching) one with a bounded wait.</summary>
public sealed class Inbox<T>(double defaultSeconds = 10)
{
    private readonly Channel<T> channel = Channel.CreateUnbounded<T>();
    private readonly List<T> all = [];

    /// <summary>Everything received so far, whether or not a <see cref="Next(double?)"/> took it.</summary>
    public IReadOnlyList<T> All { get { lock (all) return all.ToList(); } }

    public void Add(T item)
    {
        lock (all) all.Add(item);
        channel.Writer.TryWrite(item);
    }

    public async Task<T> Next(double? seconds = null)
    {
        var limit = seconds ?? defaultSeconds;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(limit));
        try { return await channel.Reader.ReadAsync(cts.Token); }
        catch (OperationCanceledException) { throw new TimeoutException($"no {typeof(T).Name} within {limit} s"); }
    }

    /// <summary>The next item matching, skipping others.</summary>
    public async Task<T> Next(Func<T, bool> match, double? seconds = null)
    {
        var limit = seconds ?? defaultSeconds;
        var deadline = DateTime.UtcNow.AddSeconds(limit);
        while (true)
        {
            var left = (deadline - DateTime.UtcNow).TotalSeconds;
            if (left <= 0) throw new TimeoutException($"no matching {typeof(T).Name} within {limit} s");
            T item;
            try { item = await Next(left); }
            catch (TimeoutException) { throw new TimeoutException($"no matching {typeof(T).Name} within {limit} s"); }
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
