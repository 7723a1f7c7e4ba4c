using System.Globalization;
using Microsoft.Playwright;
using Portal.Bench.Http;

namespace Portal.Bench.Ui;

/// <summary>Command-line options of <c>Portal.Bench -- ui</c>.</summary>
internal sealed record UiBenchOptions
{
    /// <summary>Timed sign-in-to-credentials runs (and baseline page loads).</summary>
    public int Iterations { get; init; } = 15;

    /// <summary>Untimed runs of each before the timed ones (JIT tiering, IdP and Chromium caches).</summary>
    public int Warmups { get; init; } = 2;

    /// <summary>Numbers of idle circuits at which Portal's memory is sampled.</summary>
    public IReadOnlyList<int> Levels { get; init; } = [0, 20, 40];

    /// <summary>Wait after reaching a level before sampling memory.</summary>
    public TimeSpan Settle { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A prebuilt Portal.dll to run instead of building Portal in Release.</summary>
    public string? PortalDll { get; init; }

    /// <summary>Whether to write docs/benchmarks.md.</summary>
    public bool WriteDocument { get; init; } = true;

    /// <summary>Only the memory levels, no timed runs (for trying settings); implies not writing the document.</summary>
    public bool MemoryOnly { get; init; }

    /// <summary>When above 0, the number of types to print by heap growth per circuit (heap dumps at the first and last levels).</summary>
    public int HeapTypes { get; init; }

    /// <summary>Extra environment variables for Portal (NAME=VALUE), e.g. <c>DOTNET_gcServer=0</c> to try a setting.</summary>
    public IReadOnlyDictionary<string, string> PortalEnvironment { get; init; } = new Dictionary<string, string>();

    /// <summary>Parses the arguments after <c>ui</c>; null (usage printed) on an error.</summary>
    public static UiBenchOptions? Parse(IReadOnlyList<string> args, TextWriter error)
    {
        var options = new UiBenchOptions();
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == "--no-write")
            {
                options = options with { WriteDocument = false };
                continue;
            }

            if (args[i] == "--memory-only")
            {
                options = options with { MemoryOnly = true, WriteDocument = false };
                continue;
            }

            if (i + 1 >= args.Count)
            {
                error.WriteLine("ui: missing value for " + args[i]);
                return null;
            }

            var value = args[++i];
            try
            {
                options = args[i - 1] switch
                {
                    "--iterations" => options with { Iterations = int.Parse(value, CultureInfo.InvariantCulture) },
                    "--warmups" => options with { Warmups = int.Parse(value, CultureInfo.InvariantCulture) },
                    "--levels" => options with { Levels = value.Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture)).Order().ToList() },
                    "--settle" => options with { Settle = TimeSpan.FromSeconds(int.Parse(value, CultureInfo.InvariantCulture)) },
                    "--portal" => options with { PortalDll = value },
                    "--heap-types" => options with { HeapTypes = int.Parse(value, CultureInfo.InvariantCulture) },
                    "--portal-env" => options with { PortalEnvironment = WithVariable(options.PortalEnvironment, value) },
                    _ => throw new FormatException("unknown option " + args[i - 1]),
                };
            }
            catch (FormatException ex)
            {
                error.WriteLine("ui: " + ex.Message);
                error.WriteLine("usage: Portal.Bench -- ui [--iterations 15] [--warmups 2] [--levels 0,20,40] [--settle 10] [--portal Portal.dll] [--portal-env NAME=VALUE]... [--memory-only] [--heap-types 30] [--no-write]");
                return null;
            }
        }

        return options.Iterations > 0 && options.Levels.Count >= 2 ? options : null;
    }

    private static Dictionary<string, string> WithVariable(IReadOnlyDictionary<string, string> current, string assignment)
    {
        var equals = assignment.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            throw new FormatException("--portal-env takes NAME=VALUE, not " + assignment);
        }

        return new Dictionary<string, string>(current) { [assignment[..equals]] = assignment[(equals + 1)..] };
    }
}

/// <summary>What one run of <c>Portal.Bench -- ui</c> measured.</summary>
internal sealed record UiBenchResults(
    UiBenchOptions Options,
    MachineInfo Machine,
    string LoadAfter,
    DateTimeOffset StartedAt,
    string BrowserVersion,
    IReadOnlyList<double> SignInMs,
    IReadOnlyList<double> BaselineMs,
    IReadOnlyList<CircuitLevel> Levels,
    bool GcSelfCheck)
{
    /// <summary>Target: at most this many KB of Portal memory per idle signed-in circuit (the UI issue).</summary>
    public const double CircuitKbTarget = 250;

    /// <summary>Target: at most this long from the sign-in click to credentials shown (the UI issue).</summary>
    public const double SignInMsTarget = 1500;

    /// <summary>KB per circuit: slope of the least-squares line of VmRSS over the number of circuits.</summary>
    public double RssKbPerCircuit => Statistics.Slope(Levels.Select(l => ((double)l.Circuits, (double)l.Memory.VmRssKb)).ToList());

    /// <summary>KB per circuit from the anonymous resident memory (heap, no mapped files).</summary>
    public double AnonKbPerCircuit => Statistics.Slope(Levels.Select(l => ((double)l.Circuits, (double)l.Memory.RssAnonKb)).ToList());

    /// <summary>KB per circuit of the managed heap after the full GC (all generations); NaN when a level lacks it.</summary>
    public double HeapKbPerCircuit => HeapSlope(h => h.HeapBytes);

    /// <summary>KB per circuit of what that GC found reachable (promoted bytes); NaN when a level lacks it.</summary>
    public double LiveKbPerCircuit => HeapSlope(h => h.LiveBytes);

    private double HeapSlope(Func<ManagedHeapSample, long> bytes) => Levels.All(l => l.Heap is not null)
        ? Statistics.Slope(Levels.Select(l => ((double)l.Circuits, bytes(l.Heap!.Value) / 1024.0)).ToList())
        : double.NaN;
}

/// <summary>
/// <c>Portal.Bench -- ui</c>: starts the Release Portal as its own process and the browser tests' OIDC IdP, registers
/// the IdP (admin UI) and a role (IAM API), then in headless Debian Chromium times sign-in click to credentials shown
/// against a signed-in page load measured in the same run, and measures Portal's memory per idle signed-in circuit.
/// </summary>
internal static class UiBenchCommand
{
    private const string BeginMarker = "<!-- ui-benchmark:begin (generated by `Portal.Bench -- ui`; edits inside are overwritten) -->";
    private const string EndMarker = "<!-- ui-benchmark:end -->";
    private const string ChromiumDefault = "/usr/bin/chromium";

    /// <summary>Runs the benchmark; 0 when it ran, 2 on a setup problem.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var options = UiBenchOptions.Parse(args, Console.Error);
        if (options is null)
        {
            return 2;
        }

        var chromium = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? ChromiumDefault;
        var missing = OidcTestIdp.MissingPrerequisite() ?? (File.Exists(chromium) ? null : $"{chromium} is missing: apt-get install chromium (or set CHROMIUM_PATH).");
        if (missing is not null)
        {
            await Console.Error.WriteLineAsync("ui: " + missing).ConfigureAwait(false);
            return 2;
        }

        var results = await MeasureAsync(options, chromium).ConfigureAwait(false);
        if (options.MemoryOnly)
        {
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"ui: KB per circuit ({string.Join(' ', options.PortalEnvironment.Select(v => v.Key + "=" + v.Value))}): VmRSS {results.RssKbPerCircuit:F0}, RssAnon {results.AnonKbPerCircuit:F0}, managed heap {results.HeapKbPerCircuit:F0}, live {results.LiveKbPerCircuit:F0}; load after {results.LoadAfter}"));
            return 0;
        }

        var report = UiBenchDocument.Render(results, BeginMarker, EndMarker);
        Console.WriteLine(report);
        if (options.WriteDocument)
        {
            var path = Path.Combine(PortalProcess.FindRepositoryRoot(), "docs", "benchmarks.md");
            BenchmarkDocument.Update(path, report, BeginMarker, EndMarker);
            Console.WriteLine("ui: wrote " + path);
        }

        return 0;
    }

    private static async Task<UiBenchResults> MeasureAsync(UiBenchOptions options, string chromium)
    {
        var gcSelfCheck = await InducedGc.SelfCheckAsync().ConfigureAwait(false);
        Console.WriteLine("ui: inducing a GC through the diagnostics IPC " + (gcSelfCheck ? "works (checked on the bench process)." : "did NOT raise the bench's own gen-2 count."));
        var machine = MachineInfo.Capture();
        var startedAt = TimeProvider.System.GetUtcNow();
        var portalDll = options.PortalDll ?? await PortalProcess.BuildReleaseAsync(PortalProcess.FindRepositoryRoot(), Console.Out).ConfigureAwait(false);
        var run = Directory.CreateTempSubdirectory("portal-uibench-");
        try
        {
            var port = PortalProcess.FreeLoopbackPort();
            var origin = "http://127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture);
            await using var idp = await OidcTestIdp.StartAsync(origin, run.FullName).ConfigureAwait(false);
            var environment = new Dictionary<string, string>(options.PortalEnvironment) { ["Bootstrap__AdminPassword"] = PortalUiSetup.AdminPassword };
            using var portal = await PortalProcess.StartAsync(portalDll, environment, port).ConfigureAwait(false);
            Console.WriteLine($"ui: Portal on {origin} (pid {portal.ProcessId}), OIDC IdP on {idp.Issuer}");

            using var playwright = await Playwright.CreateAsync().ConfigureAwait(false);
            await using var browser = await playwright.Chromium.LaunchAsync(new()
            {
                ExecutablePath = chromium,
                Headless = true,
                Args =
                [
                    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                ],
            }).ConfigureAwait(false);
            try
            {
                await PortalUiSetup.RegisterIdpAsync(browser, origin, idp).ConfigureAwait(false);
                using (var client = new PortalApiClient(portal.Endpoint, TimeProvider.System))
                {
                    await PortalUiSetup.CreateRoleAsync(client, idp).ConfigureAwait(false);
                }

                var state = await UiMeasurements.SignInStateAsync(browser, origin).ConfigureAwait(false);
                Console.WriteLine("ui: IdP registered, role created, alice signed in once.");

                // Memory first: every closed page of the timing runs leaves a disconnected circuit that Blazor retains
                // for minutes, which would drift under the levels.
                var levels = await UiMeasurements.CircuitMemoryAsync(browser, origin, state, portal.ProcessId, options.Levels, options.Settle, options.HeapTypes, Console.Out).ConfigureAwait(false);

                var signIn = new List<double>();
                var baseline = new List<double>();
                for (var i = -options.Warmups; i < (options.MemoryOnly ? -options.Warmups : options.Iterations); i++)
                {
                    // Interleaved, so both series see the same background load.
                    var b = await UiMeasurements.SignedInPageAsync(browser, origin, state).ConfigureAwait(false);
                    var s = await UiMeasurements.SignInToCredentialsAsync(browser, origin).ConfigureAwait(false);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ui: {(i < 0 ? "warm-up" : "run " + i)}: sign-in to credentials {s:F0} ms, signed-in /me {b:F0} ms"));
                    if (i >= 0)
                    {
                        signIn.Add(s);
                        baseline.Add(b);
                    }
                }

                return new UiBenchResults(options, machine, MachineInfo.LoadAverageNow(), startedAt, browser.Version, signIn, baseline, levels, gcSelfCheck);
            }
            catch (Exception ex) when (ex is PlaywrightException or TimeoutException or InvalidOperationException)
            {
                throw new InvalidOperationException($"ui: the browser run failed.\nIdP output:\n{idp.Output}", ex);
            }
        }
        finally
        {
            run.Delete(recursive: true);
        }
    }
}
