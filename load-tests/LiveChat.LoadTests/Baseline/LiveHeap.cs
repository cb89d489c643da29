using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;

namespace LiveChat.LoadTests.Baseline;

/// <summary>
/// The managed heap a server process really holds: it is made to run a full blocking collection, as dotnet-gcdump does
/// (the runtime's GCHeapCollect keyword over EventPipe), and the heap's size after it is read from that collection's
/// GCHeapStats event (every generation, the large and the pinned object heaps).
/// <para>
/// Resident memory is what a node pays for, but between two readings it also moves with what the GC happens to keep:
/// objects of visitors who already left that no full collection has reclaimed yet, free regions not yet given back.
/// On the bare hub that was 108–154 MB of idle RSS for the same code, ±9 KB a visitor at 5,000. The live heap after a
/// full collection has none of that.
/// </para>
/// </summary>
internal static class LiveHeap
{
    private const long GcHeapCollect = 0x800000;

    /// <summary>Induces a full collection in <paramref name="pid"/> and returns its managed heap after it, in MB.</summary>
    public static async Task<double> ReadMbAsync(int pid, CancellationToken ct)
    {
        var client = new DiagnosticsClient(pid);
        var providers = new[]
        {
            new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Informational, (long)ClrTraceEventParser.Keywords.GC | GcHeapCollect),
        };
        using var session = await client.StartEventPipeSessionAsync(providers, requestRundown: false, circularBufferMB: 16, ct);
        using var source = new EventPipeEventSource(session.EventStream);
        var heap = new TaskCompletionSource<double>(TaskCreationOptions.RunContinuationsAsynchronously);
        var full = false;
        source.Clr.GCStart += e => full |= e.Depth == 2;
        source.Clr.GCHeapStats += e =>
        {
            if (!full) return;
            heap.TrySetResult((e.GenerationSize0 + e.GenerationSize1 + e.GenerationSize2 + e.GenerationSize3 + e.GenerationSize4) / 1048576.0);
        };
        var processing = Task.Run(source.Process, CancellationToken.None);
        try
        {
            return await heap.Task.WaitAsync(TimeSpan.FromSeconds(30), ct);
        }
        finally
        {
            try { await session.StopAsync(CancellationToken.None); } catch (Exception e) when (e is ServerNotAvailableException or EndOfStreamException or IOException) { }
            try { await processing.WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None); } catch (Exception) { /* the stream ended with the session */ }
        }
    }
}
