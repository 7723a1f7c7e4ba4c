using System.Diagnostics;
using System.Globalization;

namespace Portal.Bench.Http;

/// <summary>CPU used by one process and by the whole machine over an interval (from <c>/proc</c>).</summary>
internal sealed record CpuUsage(double ProcessSeconds, double MachineBusySeconds, double WallSeconds)
{
    /// <summary>Cores the machine kept busy on average (all processes, including other users').</summary>
    public double MachineBusyCores => WallSeconds > 0 ? MachineBusySeconds / WallSeconds : double.NaN;
}

/// <summary>Starts a CPU measurement of a process and the machine; <see cref="Stop"/> returns the usage since.</summary>
internal sealed class CpuMeter
{
    private readonly int _processId;
    private readonly TimeSpan _processStart;
    private readonly double _machineStart;
    private readonly Stopwatch _wall;

    private CpuMeter(int processId)
    {
        _processId = processId;
        _processStart = ProcessCpu(processId);
        _machineStart = MachineBusySeconds();
        _wall = Stopwatch.StartNew();
    }

    /// <summary>Starts measuring the given process.</summary>
    public static CpuMeter Start(int processId) => new(processId);

    /// <summary>The usage since the start.</summary>
    public CpuUsage Stop() => new(
        (ProcessCpu(_processId) - _processStart).TotalSeconds,
        MachineBusySeconds() - _machineStart,
        _wall.Elapsed.TotalSeconds);

    private static TimeSpan ProcessCpu(int processId)
    {
        using var process = Process.GetProcessById(processId);
        return process.TotalProcessorTime;
    }

    private static double MachineBusySeconds()
    {
        // /proc/stat "cpu" line: user nice system idle iowait irq softirq steal … in clock ticks (USER_HZ = 100 on Linux).
        if (!File.Exists("/proc/stat"))
        {
            return double.NaN;
        }

        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        var busy = fields.Take(8).Sum() - fields[3] - fields[4];
        return busy / 100.0;
    }
}
