using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace Portal.Bench.Ui;

/// <summary>
/// The managed heap after an induced full GC, from the runtime's GCHeapStats event: <paramref name="HeapBytes"/> is the
/// size of all generations (gen0–2, large- and pinned-object heaps, fragmentation included), <paramref name="LiveBytes"/>
/// what the gen-2 GC promoted (objects reachable when it ran), <paramref name="GcHandles"/> the GC handle count.
/// </summary>
internal readonly record struct ManagedHeapSample(long HeapBytes, long LiveBytes, long GcHandles);

/// <summary>
/// Forces a full blocking GC in another .NET process without an endpoint in it, as dotnet-gcdump does, and reads the
/// managed heap it left: an EventPipe session over the runtime's diagnostics IPC socket that enables the runtime
/// provider's GCHeapCollect keyword (the runtime answers it by inducing a gen-2 GC) and its GC keyword (GCStart and
/// GCHeapStats events). Microsoft.Diagnostics.NETCore.Client and TraceEvent come with BenchmarkDotNet (its
/// diagnosers use them); no package is referenced for them.
/// </summary>
internal static class InducedGc
{
    private const string RuntimeProvider = "Microsoft-Windows-DotNETRuntime";

    /// <summary>
    /// Induces a GC in the bench's own process and reports whether the gen-2 collection count rose: evidence that the
    /// runtime in use honours the keyword, since the count of another process cannot be read from outside.
    /// </summary>
    public static async Task<bool> SelfCheckAsync()
    {
        var before = GC.CollectionCount(2);
        return await CollectAsync(Environment.ProcessId, TimeSpan.FromSeconds(1)).ConfigureAwait(false) is not null && GC.CollectionCount(2) > before;
    }

    /// <summary>
    /// Induces the GC, waits <paramref name="after"/> for it to finish and returns the heap after the last induced gen-2
    /// GC; null when no diagnostics socket answered or no induced gen-2 GC was seen.
    /// </summary>
    public static async Task<ManagedHeapSample?> CollectAsync(int processId, TimeSpan after)
    {
        var keywords = (long)(ClrTraceEventParser.Keywords.GC | ClrTraceEventParser.Keywords.GCHeapCollect);
        var client = new DiagnosticsClient(processId);
        EventPipeSession session;
        try
        {
            session = client.StartEventPipeSession([new EventPipeProvider(RuntimeProvider, EventLevel.Informational, keywords)], requestRundown: false, circularBufferMB: 16);
        }
        catch (ServerNotAvailableException)
        {
            return null;
        }

        using (session)
        {
            ManagedHeapSample? result = null;
            var inducedGen2 = false;
            using var source = new EventPipeEventSource(session.EventStream);
            source.Clr.GCStart += e => inducedGen2 = e.Depth == 2 && e.Reason is GCReason.Induced or GCReason.InducedNotForced or GCReason.InducedCompacting;
            source.Clr.GCHeapStats += e =>
            {
                if (inducedGen2)
                {
                    result = new ManagedHeapSample(
                        e.GenerationSize0 + e.GenerationSize1 + e.GenerationSize2 + e.GenerationSize3 + e.GenerationSize4,
                        e.TotalPromotedSize0 + e.TotalPromotedSize1 + e.TotalPromotedSize2 + e.TotalPromotedSize3 + e.TotalPromotedSize4,
                        e.GCHandleCount);
                }
            };
            var processing = Task.Run(source.Process);
            await Task.Delay(after).ConfigureAwait(false);
            await session.StopAsync(CancellationToken.None).ConfigureAwait(false);
            await processing.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            return result;
        }
    }
}
