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
    private readonly ConcurrentDictionary<(string State, GrainId Grain), (object Value, long Version)> states = new();

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (states.TryGetValue((stateName, grainId), out var stored))
        {
            grainState.State = (T)stored.Value;
            grainState.ETag = stored.Version.ToString(CultureInfo.InvariantCulture);
            grainState.RecordExists = true;
        }
        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var stored = states.AddOrUpdate((stateName, grainId), _ => (grainState.State!, 1), (_, old) => (grainState.State!, old.Version + 1));
        grainState.ETag = stored.Version.ToString(CultureInfo.InvariantCulture);
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
