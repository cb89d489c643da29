namespace LiveChat.Grains.Tests.Infrastructure;

/// <summary>A thread-safe log of pushes (who it went to, what it was), with bounded waits for the one a test expects.</summary>
public sealed class Recorded
{
    /// <summary>How long a wait for something that must happen may take: generous, since only a failing test waits it out (a 2-core CI machine runs the suite's classes in parallel).</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private readonly Lock gate = new();
    private readonly List<(string To, object Push)> pushes = [];

    public void Add(string to, object push)
    {
        lock (gate) pushes.Add((to, push));
    }

    public IReadOnlyList<T> To<T>(string to)
    {
        lock (gate) return pushes.Where(p => p.To == to).Select(p => p.Push).OfType<T>().ToList();
    }

    /// <summary>The first push of type <typeparamref name="T"/> to <paramref name="to"/> matching <paramref name="match"/>, waiting at most <see cref="Patience"/>.</summary>
    public async Task<T> Next<T>(string to, Func<T, bool>? match = null)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            if (To<T>(to).FirstOrDefault(p => match?.Invoke(p) ?? true) is { } found) return found;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"no {typeof(T).Name} to '{to}' within {Patience.TotalSeconds} s");
            await Task.Delay(10);
        }
    }
}
