using System.Globalization;
using System.Runtime.InteropServices;

namespace Portal.Bench.Http;

/// <summary>The machine a run was measured on, and how busy it was with other work.</summary>
internal sealed record MachineInfo(int ProcessorCount, string CpuModel, string Memory, string OperatingSystem, string Runtime, string LoadAverage)
{
    /// <summary>Reads <c>/proc</c> and the runtime (Linux; elsewhere the fields say "unknown").</summary>
    public static MachineInfo Capture()
    {
        var cpu = ReadField("/proc/cpuinfo", "model name", ':') ?? RuntimeInformation.ProcessArchitecture.ToString();
        var memory = ReadField("/proc/meminfo", "MemTotal", ':') is { } kb && long.TryParse(kb.Split(' ')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var k)
            ? string.Create(CultureInfo.InvariantCulture, $"{k / 1024.0 / 1024.0:F1} GiB")
            : "unknown";
        var os = ReadField("/etc/os-release", "PRETTY_NAME", '=')?.Trim('"') is { } pretty
            ? $"{pretty}, kernel {(File.Exists("/proc/sys/kernel/osrelease") ? File.ReadAllText("/proc/sys/kernel/osrelease").Trim() : "unknown")}"
            : RuntimeInformation.OSDescription;
        return new MachineInfo(Environment.ProcessorCount, cpu, memory, os, RuntimeInformation.FrameworkDescription, LoadAverageNow());
    }

    /// <summary>The 1/5/15-minute load averages from <c>/proc/loadavg</c>.</summary>
    public static string LoadAverageNow() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    /// <summary>The 1-minute load average, or NaN when unknown.</summary>
    public static double OneMinuteLoad() =>
        double.TryParse(LoadAverageNow().Split(' ')[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var load) ? load : double.NaN;

    private static string? ReadField(string path, string name, char separator)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        foreach (var line in File.ReadLines(path))
        {
            var at = line.IndexOf(separator, StringComparison.Ordinal);
            if (at > 0 && line[..at].Trim() == name)
            {
                return line[(at + 1)..].Trim();
            }
        }

        return null;
    }
}
