using System.Globalization;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Runtime;

namespace Portal.Bench.Ui;

/// <summary>
/// What a process's managed heap holds, by type: a dump written by the runtime itself over the diagnostics socket
/// (createdump, no ptrace from the bench), read with ClrMD. Both come with BenchmarkDotNet (its diagnosers use them).
/// For finding what a circuit retains (<c>--heap-types</c>, the growth between the first and last levels); not part of the document.
/// </summary>
internal static class HeapTypes
{
    /// <summary>Writes a dump and returns the managed heap's bytes and object counts by type name.</summary>
    public static async Task<IReadOnlyDictionary<string, (long Bytes, long Count)>> SnapshotAsync(int processId)
    {
        var path = Path.Combine(Path.GetTempPath(), $"portal-uibench-{processId.ToString(CultureInfo.InvariantCulture)}.dmp");
        try
        {
            await new DiagnosticsClient(processId).WriteDumpAsync(DumpType.WithHeap, path, logDumpGeneration: false, CancellationToken.None).ConfigureAwait(false);
            using var target = DataTarget.LoadDump(path);
            using var runtime = target.ClrVersions[0].CreateRuntime();
            var byType = new Dictionary<string, (long Bytes, long Count)>(StringComparer.Ordinal);
            foreach (var obj in runtime.Heap.EnumerateObjects())
            {
                if (!obj.IsValid || obj.IsFree)
                {
                    continue;
                }

                var name = obj.Type?.Name ?? "?";
                var (bytes, count) = byType.GetValueOrDefault(name);
                byType[name] = (bytes + (long)obj.Size, count + 1);
            }

            return byType;
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Prints the <paramref name="top"/> types that grew most from <paramref name="from"/> to <paramref name="to"/>, per circuit added.</summary>
    public static async Task PrintGrowthAsync(
        IReadOnlyDictionary<string, (long Bytes, long Count)> from, IReadOnlyDictionary<string, (long Bytes, long Count)> to, int circuits, int top, TextWriter log)
    {
        var growth = to.Select(t => (Name: t.Key, Bytes: t.Value.Bytes - from.GetValueOrDefault(t.Key).Bytes, Count: t.Value.Count - from.GetValueOrDefault(t.Key).Count)).ToList();
        await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"ui: heap growth per circuit by type over {circuits} circuits (bytes, objects); total {growth.Sum(g => g.Bytes) / circuits} bytes:")).ConfigureAwait(false);
        foreach (var (name, bytes, count) in growth.OrderByDescending(g => g.Bytes).Take(top))
        {
            await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"ui:   {bytes / circuits,9} {count / (double)circuits,7:F1} {name}")).ConfigureAwait(false);
        }
    }
}
