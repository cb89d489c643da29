using System.Threading.Channels;

namespace LiveChat.Cluster.Tests.Infrastructure;

/// <summary>Pushes of one kind, received in order; tests await the next matching one with a bounded wait.</summary>
public sealed class Inbox<T>
{
    private readonly Channel<T> channel = Channel.CreateUnbounded<T>();

    public void Add(T item) => channel.Writer.TryWrite(item);

    public async Task<T> Next(Func<T, bool> match, double seconds = 15)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        try
        {
            while (true)
            {
                var item = await channel.Reader.ReadAsync(cts.Token);
                if (match(item)) return item;
            }
        }
        catch (OperationCanceledException) { throw new TimeoutException($"no matching {typeof(T).Name} within {seconds} s"); }
    }
}
