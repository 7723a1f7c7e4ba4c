using System.Diagnostics;
using System.Globalization;
using Microsoft.Playwright;

namespace Portal.Bench.Ui;

/// <summary>Resident memory of a process from <c>/proc/PID/status</c>, in KiB, and its thread count.</summary>
internal readonly record struct MemorySample(long VmRssKb, long RssAnonKb, long Threads);

/// <summary>
/// Memory of Portal with <paramref name="Circuits"/> idle /roles pages open (medians of the samples): after the induced
/// full GC (<paramref name="Memory"/>; <paramref name="Heap"/> is the managed heap it left, null when no GC was induced)
/// and just before it.
/// </summary>
internal sealed record CircuitLevel(int Circuits, MemorySample Memory, MemorySample BeforeGc, ManagedHeapSample? Heap)
{
    /// <summary>Whether the full GC was induced (and seen).</summary>
    public bool GcInduced => Heap is not null;
}

/// <summary>The browser-driven measurements of <c>Portal.Bench -- ui</c>.</summary>
internal static class UiMeasurements
{
    private static readonly LocatorAssertionsToHaveTextOptions Slow = new() { Timeout = 30_000 };

    /// <summary>
    /// Signs alice in from the portal sign-in page to credentials shown, in a fresh context, and returns the time from
    /// the click on the IdP's button to the access key id being visible (the IdP's own page and form are included).
    /// </summary>
    public static async Task<double> SignInToCredentialsAsync(IBrowser browser, string origin)
    {
        await using var context = await browser.NewContextAsync().ConfigureAwait(false);
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync().ConfigureAwait(false);
        await page.GotoAsync(origin + "/account/signin?returnUrl=/roles").ConfigureAwait(false);
        var button = page.Locator("button.idp", new() { HasText = PortalUiSetup.DisplayName });
        await button.WaitForAsync().ConfigureAwait(false);

        var clock = Stopwatch.StartNew();
        await button.ClickAsync().ConfigureAwait(false);
        await page.Locator("#username").FillAsync(OidcTestIdp.User).ConfigureAwait(false);
        await page.Locator("#password").FillAsync(OidcTestIdp.Password).ConfigureAwait(false);
        await page.Locator("#signin").ClickAsync().ConfigureAwait(false);
        await Assertions.Expect(page.Locator("#roles-render")).ToHaveTextAsync("interactive", Slow).ConfigureAwait(false);
        var role = page.Locator($"[data-testid=role][data-role-arn='{PortalUiSetup.RoleArn}']");
        await role.Locator("[data-testid=get-credentials]").ClickAsync().ConfigureAwait(false);
        await page.Locator("[data-testid=issue]").ClickAsync().ConfigureAwait(false);
        var accessKeyId = page.Locator("[data-testid=access-key-id]");
        await accessKeyId.WaitForAsync(new() { State = WaitForSelectorState.Visible }).ConfigureAwait(false);
        clock.Stop();

        // Temporary credentials (STS-SPEC: access key ids of session credentials start with ASIA).
        var text = await accessKeyId.InnerTextAsync().ConfigureAwait(false);
        return text.StartsWith("ASIA", StringComparison.Ordinal)
            ? clock.Elapsed.TotalMilliseconds
            : throw new InvalidOperationException($"The access key id shown was '{text}', not temporary credentials.");
    }

    /// <summary>Signs alice in once (not timed) and returns the context's storage state: the signed-in cookie.</summary>
    public static async Task<string> SignInStateAsync(IBrowser browser, string origin)
    {
        await using var context = await browser.NewContextAsync().ConfigureAwait(false);
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync().ConfigureAwait(false);
        await page.GotoAsync(origin + "/account/signin?returnUrl=/me").ConfigureAwait(false);
        await page.Locator("button.idp", new() { HasText = PortalUiSetup.DisplayName }).ClickAsync().ConfigureAwait(false);
        await page.Locator("#username").FillAsync(OidcTestIdp.User).ConfigureAwait(false);
        await page.Locator("#password").FillAsync(OidcTestIdp.Password).ConfigureAwait(false);
        await page.Locator("#signin").ClickAsync().ConfigureAwait(false);
        await Assertions.Expect(page.Locator("#me-render")).ToHaveTextAsync("interactive", Slow).ConfigureAwait(false);
        return await context.StorageStateAsync().ConfigureAwait(false);
    }

    /// <summary>The baseline: a fresh context with the signed-in cookie loads /me until the person's name is visible.</summary>
    public static async Task<double> SignedInPageAsync(IBrowser browser, string origin, string state)
    {
        await using var context = await browser.NewContextAsync(new() { StorageState = state }).ConfigureAwait(false);
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync().ConfigureAwait(false);
        var clock = Stopwatch.StartNew();
        await page.GotoAsync(origin + "/me").ConfigureAwait(false);
        var name = page.Locator("#me-name");
        await Assertions.Expect(name).ToHaveTextAsync("Alice Admin", Slow).ConfigureAwait(false);
        clock.Stop();
        return clock.Elapsed.TotalMilliseconds;
    }

    /// <summary>
    /// Opens /roles pages in one signed-in context up to each level, each waited until its circuit is interactive, lets
    /// Portal settle, and samples its resident memory (and, with <paramref name="heapTypes"/>, prints the heap's growth by type). The pages stay open (idle circuits) until the context closes.
    /// </summary>
    public static async Task<IReadOnlyList<CircuitLevel>> CircuitMemoryAsync(
        IBrowser browser, string origin, string state, int processId, IReadOnlyList<int> levels, TimeSpan settle, int heapTypes, TextWriter log)
    {
        await using var context = await browser.NewContextAsync(new() { StorageState = state }).ConfigureAwait(false);
        context.SetDefaultTimeout(30_000);
        async Task OpenRolesPageAsync()
        {
            var page = await context.NewPageAsync().ConfigureAwait(false);
            await page.GotoAsync(origin + "/roles").ConfigureAwait(false);
            await Assertions.Expect(page.Locator("#roles-render")).ToHaveTextAsync("interactive", Slow).ConfigureAwait(false);
            await Assertions.Expect(page.Locator($"[data-testid=role][data-role-arn='{PortalUiSetup.RoleArn}']")).ToBeVisibleAsync().ConfigureAwait(false);
        }

        // One uncounted page first, kept open: the first /roles circuit also pays for JIT and first-use caches.
        await OpenRolesPageAsync().ConfigureAwait(false);
        var results = new List<CircuitLevel>();
        IReadOnlyDictionary<string, (long Bytes, long Count)>? firstHeap = null;
        var open = 0;
        foreach (var level in levels)
        {
            for (; open < level; open++)
            {
                await OpenRolesPageAsync().ConfigureAwait(false);
            }

            await Task.Delay(settle).ConfigureAwait(false);
            var before = await SampleAsync(processId).ConfigureAwait(false);
            var heap = await InducedGc.CollectAsync(processId, TimeSpan.FromSeconds(3)).ConfigureAwait(false);
            var after = await SampleAsync(processId).ConfigureAwait(false);
            var heapText = heap is { } h ? $"managed heap {h.HeapBytes / 1024} KB, live {h.LiveBytes / 1024} KB, {h.GcHandles} GC handles" : "NO induced GC seen";
            await log.WriteLineAsync(string.Create(
                CultureInfo.InvariantCulture,
                $"ui: {level} idle circuits: before GC VmRSS {before.VmRssKb} KB, RssAnon {before.RssAnonKb} KB; after GC VmRSS {after.VmRssKb} KB, RssAnon {after.RssAnonKb} KB, {after.Threads} threads, {heapText}")).ConfigureAwait(false);
            results.Add(new CircuitLevel(level, after, before, heap));
            if (heapTypes > 0 && level == levels[0])
            {
                // After the induced GC, as the last level's is: both dumps then hold (almost) only reachable objects.
                firstHeap = await HeapTypes.SnapshotAsync(processId).ConfigureAwait(false);
            }
        }

        if (heapTypes > 0)
        {
            await HeapTypes.PrintGrowthAsync(firstHeap!, await HeapTypes.SnapshotAsync(processId).ConfigureAwait(false), levels[^1] - levels[0], heapTypes, log).ConfigureAwait(false);
        }

        return results;
    }

    /// <summary>Reads <c>/proc/PID/status</c>.</summary>
    public static MemorySample ReadMemory(int processId)
    {
        long rss = 0, anon = 0, threads = 0;
        foreach (var line in File.ReadLines($"/proc/{processId.ToString(CultureInfo.InvariantCulture)}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = ParseLeadingNumber(line);
            }
            else if (line.StartsWith("RssAnon:", StringComparison.Ordinal))
            {
                anon = ParseLeadingNumber(line);
            }
            else if (line.StartsWith("Threads:", StringComparison.Ordinal))
            {
                threads = ParseLeadingNumber(line);
            }
        }

        return new MemorySample(rss, anon, threads);
    }

    /// <summary>Five samples a second apart; their medians.</summary>
    private static async Task<MemorySample> SampleAsync(int processId)
    {
        var samples = new List<MemorySample>();
        for (var i = 0; i < 5; i++)
        {
            samples.Add(ReadMemory(processId));
            await Task.Delay(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        }

        return new MemorySample(
            (long)Statistics.Median(samples.Select(s => (double)s.VmRssKb).ToList()),
            (long)Statistics.Median(samples.Select(s => (double)s.RssAnonKb).ToList()),
            (long)Statistics.Median(samples.Select(s => (double)s.Threads).ToList()));
    }

    private static long ParseLeadingNumber(string line) =>
        long.Parse(line.Split(':')[1].Trim().Split(' ')[0], NumberStyles.None, CultureInfo.InvariantCulture);
}

/// <summary>Order statistics and a least-squares line, for the report.</summary>
internal static class Statistics
{
    /// <summary>The median (mean of the two middle values for an even count).</summary>
    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToList();
        var mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /// <summary>The nearest-rank percentile (p in 0..100).</summary>
    public static double Percentile(IReadOnlyList<double> values, double p)
    {
        var sorted = values.Order().ToList();
        var rank = (int)Math.Ceiling(p / 100 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }

    /// <summary>The slope of the least-squares line through (x, y).</summary>
    public static double Slope(IReadOnlyList<(double X, double Y)> points)
    {
        var mx = points.Average(p => p.X);
        var my = points.Average(p => p.Y);
        var sxx = points.Sum(p => (p.X - mx) * (p.X - mx));
        return sxx == 0 ? double.NaN : points.Sum(p => (p.X - mx) * (p.Y - my)) / sxx;
    }
}
