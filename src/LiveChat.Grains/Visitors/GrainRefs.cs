namespace LiveChat.Grains;

/// <summary>
/// Grain references without Orleans' per-call interface lookup. <c>GetGrain&lt;T&gt;(key)</c> finds the interface's
/// ids again on every call, by reflection (<c>GetCustomAttributes</c>) and type-name formatting: ~3 % of a node's CPU
/// during a connect ramp, once per <c>Hello</c> and once per visitor's stat outbox (dotnet-trace, issue 16). Here the
/// grain type and interface type of <typeparamref name="T"/> are found once (through Orleans itself) and reused; the
/// reference made from them is the one <c>GetGrain&lt;T&gt;(key)</c> makes.
/// </summary>
public static class GrainRefs
{
    public static T Get<T>(this IGrainFactory grains, string key) where T : IGrainWithStringKey
    {
        var (type, interfaceType) = Ids<T>.Value ??= Resolve<T>(grains);
        return (T)grains.GetGrain(GrainId.Create(type, key), interfaceType);
    }

    /// <summary>
    /// The same reference every time, for grains with few keys that every visitor calls (a site's stats aggregator):
    /// making a reference also builds its proxy, which looks up a copier per argument type. Kept per grain factory,
    /// since a reference belongs to one silo's runtime.
    /// </summary>
    public static T Shared<T>(this IGrainFactory grains, string key) where T : IGrainWithStringKey =>
        (T)Cache.GetOrCreateValue(grains).GetOrAdd((typeof(T), key), static (k, g) => g.Get<T>(k.Key), grains);

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IGrainFactory, System.Collections.Concurrent.ConcurrentDictionary<(Type Type, string Key), object>> Cache = new();

    private static (GrainType, GrainInterfaceType) Resolve<T>(IGrainFactory grains) where T : IGrainWithStringKey
    {
        var reference = (GrainReference)(object)grains.GetGrain<T>("-");
        return (reference.GrainId.Type, reference.InterfaceType);
    }

    // Ids only, no reference: a reference belongs to one silo's runtime, and tests run several silos in one process.
    private static class Ids<T>
    {
        public static (GrainType Type, GrainInterfaceType Interface)? Value;
    }
}
