using System.Collections.Concurrent;
using System.Globalization;
using Orleans.Storage;

namespace LiveChat.Server.Hosting;

/// <summary>
/// Embedded mode's grain storage: one process is the whole deployment and its state ends with it, so each grain's last
/// written state object is simply kept (no serialized copy, no storage-grain call per write), and handed back to the
/// grain's next activation. A cluster uses Redis storage instead.
/// </summary>
internal sealed class InProcessGrainStorage : IGrainStorage
{
    /// <summary>One record per grain, updated in place: a write allocates nothing (a tuple value would cost a new node per write).</summary>
    private sealed class Stored(object value)
    {
        public object Value = value;
        public long Version;
    }

    private readonly ConcurrentDictionary<(string State, GrainId Grain), Stored> states = new();

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (states.TryGetValue((stateName, grainId), out var stored))
        {
            lock (stored)
            {
                grainState.State = (T)stored.Value;
                grainState.ETag = stored.Version.ToString(CultureInfo.InvariantCulture);
            }
            grainState.RecordExists = true;
        }
        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var stored = states.GetOrAdd((stateName, grainId), static (_, value) => new Stored(value), (object)grainState.State!);
        long version;
        lock (stored)
        {
            stored.Value = grainState.State!;
            version = ++stored.Version;
        }
        grainState.ETag = version.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        states.TryRemove((stateName, grainId), out _);
        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }
}
