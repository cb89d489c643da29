using LiveChat.Cluster.Tests.Infrastructure;

namespace LiveChat.Cluster.Tests;

/// <summary>A two-node cluster shared by the tests of a class that neither kill nodes nor stop Redis.</summary>
public sealed class TwoNodes : IAsyncLifetime
{
    public LiveCluster Cluster { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Cluster = await LiveCluster.Start(nodeCount: 2);

    public async ValueTask DisposeAsync()
    {
        if (Cluster is not null) await Cluster.DisposeAsync();
    }
}
