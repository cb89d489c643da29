using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace LiveChat.Grains;

/// <summary>The grain storage provider every LiveChat grain persists to (memory when embedded, Redis in a cluster).</summary>
public static class Storage
{
    public const string Name = "livechat";

    /// <summary>
    /// How grain state is written where it is serialized (Redis): Orleans' own binary format, version tolerant through the
    /// state types' <c>[Id]</c>s, about a tenth of the default JSON, which names the type of every collection (issue 16).
    /// States an earlier version wrote as JSON are still read, and are written in the binary format on their next write.
    /// </summary>
    public static IGrainStorageSerializer Serializer(IServiceProvider services) => new GrainStorageSerializer(
        new OrleansGrainStorageSerializer(services.GetRequiredService<Orleans.Serialization.Serializer>()),
        services.GetRequiredService<IGrainStorageSerializer>());
}
