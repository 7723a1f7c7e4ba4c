using System.Globalization;

namespace Portal.Bench.Http;

/// <summary>Command-line options of <c>Portal.Bench -- http</c>.</summary>
internal sealed record HttpBenchOptions
{
    /// <summary>Length of each measured wrk run and of the fixed-rate run.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>wrk connections (<c>-c</c>).</summary>
    public int Connections { get; init; } = 32;

    /// <summary>wrk threads (<c>-t</c>).</summary>
    public int Threads { get; init; } = 2;

    /// <summary>Distinct pre-signed requests per scenario.</summary>
    public int Requests { get; init; } = 2000;

    /// <summary>Length of the unmeasured warm-up run before each Portal scenario (JIT tiering, SQLite page cache).</summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>A prebuilt Portal.dll to run instead of building Portal in Release.</summary>
    public string? PortalDll { get; init; }

    /// <summary>The markdown file to update; default <c>docs/benchmarks.md</c> under the repository root.</summary>
    public string? OutputPath { get; init; }

    /// <summary>Whether to write the markdown file at all.</summary>
    public bool WriteDocument { get; init; } = true;

    /// <summary>Only run the in-process stage profile (no wrk, no Portal process).</summary>
    public bool StagesOnly { get; init; }

    /// <summary>Parses the arguments after <c>http</c>; returns null and prints the usage on an error.</summary>
    public static HttpBenchOptions? Parse(IReadOnlyList<string> args, TextWriter error)
    {
        var options = new HttpBenchOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name == "--no-write")
            {
                options = options with { WriteDocument = false };
                continue;
            }

            if (name == "--stages-only")
            {
                options = options with { StagesOnly = true };
                continue;
            }

            if (i + 1 >= args.Count)
            {
                return Usage(error, $"missing value for {name}");
            }

            var value = args[++i];
            switch (name)
            {
                case "--duration" when TryParseDuration(value, out var d):
                    options = options with { Duration = d };
                    break;
                case "--warmup" when TryParseDuration(value, out var w):
                    options = options with { Warmup = w };
                    break;
                case "--connections" when TryParsePositive(value, out var c):
                    options = options with { Connections = c };
                    break;
                case "--threads" when TryParsePositive(value, out var t):
                    options = options with { Threads = t };
                    break;
                case "--requests" when TryParsePositive(value, out var n):
                    options = options with { Requests = n };
                    break;
                case "--portal":
                    options = options with { PortalDll = Path.GetFullPath(value) };
                    break;
                case "--output":
                    options = options with { OutputPath = Path.GetFullPath(value) };
                    break;
                default:
                    return Usage(error, $"unknown option or bad value: {name} {value}");
            }
        }

        if (options.Connections < options.Threads)
        {
            return Usage(error, "--connections must be at least --threads");
        }

        return options;
    }

    /// <summary>Parses <c>10s</c>, <c>500ms</c>, <c>1m</c> or a bare number of seconds.</summary>
    internal static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = default;
        var (number, scale) = text switch
        {
            _ when text.EndsWith("ms", StringComparison.Ordinal) => (text[..^2], 0.001),
            _ when text.EndsWith('s') => (text[..^1], 1.0),
            _ when text.EndsWith('m') => (text[..^1], 60.0),
            _ => (text, 1.0),
        };
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value <= 0)
        {
            return false;
        }

        duration = TimeSpan.FromSeconds(value * scale);
        return true;
    }

    private static bool TryParsePositive(string text, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value > 0;

    private static HttpBenchOptions? Usage(TextWriter error, string problem)
    {
        error.WriteLine($"http: {problem}");
        error.WriteLine("usage: dotnet run -c Release --project Portal.Bench -- http [--duration 10s] [--connections 32] [--threads 2]");
        error.WriteLine("       [--requests 2000] [--warmup 3s] [--portal path/to/Portal.dll] [--output docs/benchmarks.md] [--no-write]");
        error.WriteLine("       --stages-only: only the in-process, Stopwatch-instrumented stage profile");
        return null;
    }
}
