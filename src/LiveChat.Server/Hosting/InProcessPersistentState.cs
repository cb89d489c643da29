using Orleans.Runtime;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace LiveChat.Server.Hosting;

/// <summary>
/// Embedded mode's <c>[PersistentState]</c> for LiveChat's own storage (<see cref="Grains.Storage.Name"/>): reads and
/// writes call the storage directly. Orleans' own bridge queues every operation and starts each on a forced yield, so a
/// write that <see cref="InProcessGrainStorage"/> finishes at once still costs an extra turn of the activation, and
/// every async method above it (the grain's Save, the event that saved, the grain call) completes asynchronously: about
/// a tenth of a warm embedded node's allocations for a visitor's Hello and invitation (issue 16, GC event trace). In one
/// process nothing else can touch the storage meanwhile, and a turn runs one operation at a time, so the queue guards
/// nothing here. Other storage names, and every state in a cluster (Redis), keep Orleans' bridge.
/// </summary>
internal sealed class InProcessPersistentStateFactory : IPersistentStateFactory
{
    private readonly PersistentStateFactory orleans = new();

    public IPersistentState<TState> Create<TState>(IGrainContext context, IPersistentStateConfiguration config) =>
        config.StorageName == Grains.Storage.Name
            ? new InProcessPersistentState<TState>(config.StateName, context, context.ActivationServices.GetRequiredKeyedService<IGrainStorage>(config.StorageName))
            : orleans.Create<TState>(context, config);
}

/// <summary>One grain's state, read when the grain activates (before <c>OnActivateAsync</c>, as Orleans' bridge does).</summary>
internal sealed class InProcessPersistentState<TState> : IPersistentState<TState>, IGrainState<TState>, ILifecycleObserver
{
    private readonly string name;
    private readonly IGrainContext context;
    private readonly IGrainStorage storage;
    private bool read;

    public InProcessPersistentState(string name, IGrainContext context, IGrainStorage storage)
    {
        this.name = name;
        this.context = context;
        this.storage = storage;
        State = context.ActivationServices.GetRequiredService<IActivatorProvider>().GetActivator<TState>().Create();
        context.ObservableLifecycle.Subscribe(nameof(InProcessPersistentState<TState>), GrainLifecycleStage.SetupState, this);
    }

    [System.Diagnostics.CodeAnalysis.AllowNull]
    public TState State { get; set; }
    public string? Etag { get; set; }
    string? IGrainState<TState>.ETag { get => Etag; set => Etag = value; }
    public bool RecordExists => read ? exists : throw new InvalidOperationException("State has not yet been loaded");
    bool IGrainState<TState>.RecordExists { get => exists; set => exists = value; }
    private bool exists;

    public async Task ReadStateAsync()
    {
        await storage.ReadStateAsync(name, context.GrainId, this);
        read = true;
    }

    public Task WriteStateAsync() => storage.WriteStateAsync(name, context.GrainId, this);

    public Task ClearStateAsync() => storage.ClearStateAsync(name, context.GrainId, this);

    public Task ReadStateAsync(CancellationToken cancellationToken) => ReadStateAsync(); // in process: nothing to cancel
    public Task WriteStateAsync(CancellationToken cancellationToken) => WriteStateAsync();
    public Task ClearStateAsync(CancellationToken cancellationToken) => ClearStateAsync();

    Task ILifecycleObserver.OnStart(CancellationToken cancellationToken) => cancellationToken.IsCancellationRequested ? Task.CompletedTask : ReadStateAsync(CancellationToken.None);
    Task ILifecycleObserver.OnStop(CancellationToken cancellationToken) => Task.CompletedTask;
}
