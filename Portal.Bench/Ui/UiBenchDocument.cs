using System.Globalization;
using System.Text;

namespace Portal.Bench.Ui;

/// <summary>Renders the UI benchmark's section of docs/benchmarks.md.</summary>
internal static class UiBenchDocument
{
    /// <summary>The markdown section, markers included.</summary>
    public static string Render(UiBenchResults r, string beginMarker, string endMarker)
    {
        ArgumentNullException.ThrowIfNull(r);
        var o = r.Options;
        var s = new StringBuilder();
        void Line(FormattableString text) => s.Append(text.ToString(CultureInfo.InvariantCulture)).Append('\n');

        var median = Statistics.Median(r.SignInMs);
        var p95 = Statistics.Percentile(r.SignInMs, 95);
        var baseMedian = Statistics.Median(r.BaselineMs);
        var baseP95 = Statistics.Percentile(r.BaselineMs, 95);
        var perCircuit = r.RssKbPerCircuit;
        var anonPerCircuit = r.AnonKbPerCircuit;

        Line($"{beginMarker}");
        Line($"## Portal UI benchmark (headless Chromium)");
        Line($"");
        Line($"Measured {r.StartedAt:yyyy-MM-dd HH:mm} UTC with `dotnet run -c Release --project Portal.Bench -- ui --iterations {o.Iterations} --warmups {o.Warmups} --levels {string.Join(',', r.Levels.Select(l => l.Circuits))}`, once.");
        Line($"");
        Line($"| measure | median | p95 | ratio to baseline (median) | target | met? |");
        Line($"|---|---:|---:|---:|---|---|");
        Line($"| signed-in page load: fresh context with the session cookie, GET /me until the name is visible (baseline) | {baseMedian:F0} ms | {baseP95:F0} ms | 1.00 | (reference) | — |");
        Line($"| sign-in click to credentials shown (IdP page and form included) | {median:F0} ms | {p95:F0} ms | {median / baseMedian:F1} | ≤ {UiBenchResults.SignInMsTarget:F0} ms | {(p95 <= UiBenchResults.SignInMsTarget ? "yes (p95)" : median <= UiBenchResults.SignInMsTarget ? "median yes, p95 **no**" : "**no**")} |");
        Line($"| Portal memory per idle signed-in circuit (/roles), slope of VmRSS | {perCircuit:F0} KB | — | — | ≤ {UiBenchResults.CircuitKbTarget:F0} KB | {(perCircuit <= UiBenchResults.CircuitKbTarget ? "yes" : "**no**")} |");
        Line($"| the same from RssAnon (heap pages only, no mapped files) | {anonPerCircuit:F0} KB | — | — | ≤ {UiBenchResults.CircuitKbTarget:F0} KB | {(anonPerCircuit <= UiBenchResults.CircuitKbTarget ? "yes" : "**no**")} |");
        Line($"| the same from the managed heap after the full GC (all generations, GCHeapStats) | {r.HeapKbPerCircuit:F0} KB | — | — | ≤ {UiBenchResults.CircuitKbTarget:F0} KB | {(r.HeapKbPerCircuit <= UiBenchResults.CircuitKbTarget ? "yes" : "**no**")} |");
        Line($"| the same from the objects that GC found reachable (promoted bytes) | {r.LiveKbPerCircuit:F0} KB | — | — | ≤ {UiBenchResults.CircuitKbTarget:F0} KB | {(r.LiveKbPerCircuit <= UiBenchResults.CircuitKbTarget ? "yes" : "**no**")} |");
        Line($"");
        Line($"| idle circuits | Portal VmRSS after full GC | Portal RssAnon after full GC | managed heap after it | reachable objects | GC handles | VmRSS before it | RssAnon before it |");
        Line($"|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var level in r.Levels)
        {
            var heap = level.Heap is { } h ? $"{h.HeapBytes / 1048576.0:F1} MiB | {h.LiveBytes / 1048576.0:F1} MiB | {h.GcHandles}" : "**no GC seen** | — | —";
            Line($"| {level.Circuits} | {level.Memory.VmRssKb / 1024.0:F1} MiB | {level.Memory.RssAnonKb / 1024.0:F1} MiB | {heap} | {level.BeforeGc.VmRssKb / 1024.0:F1} MiB | {level.BeforeGc.RssAnonKb / 1024.0:F1} MiB |");
        }

        var beforeSlope = Statistics.Slope(r.Levels.Select(l => ((double)l.Circuits, (double)l.BeforeGc.VmRssKb)).ToList());
        Line($"");
        Line($"Without the induced GC the VmRSS slope would be {beforeSlope:F0} KB per circuit.");

        Line($"");
        Line($"Sign-in runs (ms, in order): {string.Join(", ", r.SignInMs.Select(v => v.ToString("F0", CultureInfo.InvariantCulture)))}. Baseline runs (ms): {string.Join(", ", r.BaselineMs.Select(v => v.ToString("F0", CultureInfo.InvariantCulture)))}.");
        Line($"");
        Line($"Method:");
        Line($"");
        Line($"- Portal: the Release build as its own process on a free 127.0.0.1 port (Production environment, Kestrel, HTTP/1.1, no TLS), SQLite in a temporary directory, the runtime settings of Portal's build (workstation GC, Portal.csproj){(o.PortalEnvironment.Count == 0 ? string.Empty : ", with " + string.Join(", ", o.PortalEnvironment.Select(v => "`" + v.Key + "=" + v.Value + "`")))}. The IdP is the browser tests' oidc-provider (Portal.Tests/EndToEnd/Idps/oidc/server.mjs) under node on a free port. It is registered the way an administrator does it: the break-glass administrator signs in (password, TOTP enrolment) and fills /admin/providers; the role is created through the IAM API, trusting that provider with the portal client as audience and the test user's subject.");
        Line($"- Sign-in: {o.Iterations} timed runs after {o.Warmups} warm-ups, each in a fresh browser context (no cookies at Portal or the IdP). The clock starts at the click on the IdP's button on Portal's sign-in page and stops when the access key id is visible; in between: the redirect to the IdP, its login page, filling and submitting it, the code exchange at Portal, /roles until its circuit is interactive, opening the role, and Get credentials (AssumeRoleWithWebIdentity with the durable audit). **The IdP's own pages and Playwright's typing are included.** The baseline is the same browser loading /me with the signed-in cookie in a fresh context until the name is visible; baseline and sign-in runs alternate, so both see the same background load.");
        Line($"- Memory: one signed-in cookie, one context; /roles pages are opened up to each level ({string.Join(", ", r.Levels.Select(l => l.Circuits))}), each waited until its circuit is interactive and the role is listed, then kept idle. One more /roles page is opened first and kept open uncounted, so JIT and first-use caches are not charged to the first level. After {o.Settle.TotalSeconds:F0} s at a level, the median of five samples of `/proc/PID/status` (one a second) is taken, then a full blocking GC is induced in Portal and five more samples are taken. Portal has no endpoint to force a GC, so the bench induces it from outside as dotnet-gcdump does: an EventPipe session over the runtime's diagnostics socket that enables the runtime provider's GCHeapCollect keyword (Ui/InducedGc.cs; checked on the bench's own process in this run: {(r.GcSelfCheck ? "the gen-2 count rose" : "**the gen-2 count did not rise**")}). The same EventPipe session enables the runtime's GC keyword, and the GCHeapStats event of that induced gen-2 GC gives the managed heap it left: the size of all generations (fragmentation and the GC's fresh allocation budget included) and the bytes it promoted, i.e. the objects it found reachable; the latter is what circuits really hold in managed memory. Resident memory adds native memory (runtime, Kestrel, zlib, glibc malloc arenas) and what the GC keeps committed, so it is an upper bound. KB per circuit is the slope of a least-squares line over the levels, so Portal's fixed memory (and the setup's few retained circuits) cancels out. Memory is measured before the timed runs, whose closed pages leave disconnected circuits that Blazor retains for minutes.");
        Line($"- Headless Chromium {r.BrowserVersion} (Debian, Playwright), on the same cores as Portal and the IdP.");
        Line($"");
        Line($"Machine: {r.Machine.ProcessorCount} logical CPUs ({r.Machine.CpuModel}), {r.Machine.Memory} RAM, {r.Machine.OperatingSystem}, {r.Machine.Runtime}. Load average (1/5/15 min) before the run: {r.Machine.LoadAverage}; after: {r.LoadAfter}. **The machine was shared with other engineers' builds and tests during the run: absolute times are pessimistic and noisy; the ratio to the baseline, measured in the same minutes, is the more meaningful figure.**");
        Line($"{endMarker}");
        return s.ToString();
    }
}
