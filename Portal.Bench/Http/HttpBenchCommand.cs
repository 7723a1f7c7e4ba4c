using System.Globalization;
using Portal.Core.Signing;

namespace Portal.Bench.Http;

/// <summary>
/// <c>Portal.Bench -- http</c>: the HTTP load benchmark. Starts the Release Portal as its own process and a bare Kestrel
/// baseline, seeds a user and a role through the IAM API, replays distinct pre-signed requests with wrk (baseline,
/// AssumeRole, GetCallerIdentity with temporary credentials), measures AssumeRole latency at half its peak rate with an
/// open-loop sender, profiles the stages in process, and writes the report into docs/benchmarks.md.
/// </summary>
internal static class HttpBenchCommand
{
    /// <summary>The role's permissions; what they allow does not matter for issuance, their evaluation size does.</summary>
    public const string RolePolicy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:Get*","s3:List*"],"Resource":"*"}]}""";

    /// <summary>A trust policy that lets exactly <paramref name="userArn"/> assume the role.</summary>
    public static string TrustPolicy(string userArn) =>
        $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"{{userArn}}"},"Action":"sts:AssumeRole"}]}""";

    /// <summary>Runs the benchmark; returns the process exit code (0 valid run, 1 errors measured, 2 setup problem).</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var options = HttpBenchOptions.Parse(args, Console.Error);
        if (options is null)
        {
            return 2;
        }

        if (options.StagesOnly)
        {
            foreach (var stage in await StageProfiler.RunAsync(500).ConfigureAwait(false))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"p50 {stage.P50Microseconds,7:F0} µs, mean {stage.MeanMicroseconds,7:F0} µs, p99 {stage.P99Microseconds,7:F0} µs, CPU {stage.CpuMicroseconds,7:F0} µs  {stage.Stage}"));
            }

            return 0;
        }

        if (!WrkRunner.IsInstalled())
        {
            await Console.Error.WriteLineAsync("http: wrk is not installed. Install it with:  apt-get install wrk").ConfigureAwait(false);
            return 2;
        }

        var results = await MeasureAsync(options).ConfigureAwait(false);
        var report = BenchmarkDocument.Render(results);
        Console.WriteLine(report);
        if (options.WriteDocument)
        {
            var path = options.OutputPath ?? Path.Combine(PortalProcess.FindRepositoryRoot(), "docs", "benchmarks.md");
            BenchmarkDocument.Update(path, report);
            Console.WriteLine("http: wrote " + path);
        }

        if (!results.IsValid)
        {
            await Console.Error.WriteLineAsync("http: INVALID run: some responses were errors (see the table).").ConfigureAwait(false);
            return 1;
        }

        return 0;
    }

    private static async Task<HttpBenchResults> MeasureAsync(HttpBenchOptions options)
    {
        var time = TimeProvider.System;
        var machine = MachineInfo.Capture();
        var startedAt = time.GetUtcNow();
        var wrkVersion = (await PortalProcess.RunToEndAsync("wrk", ["-v"]).ConfigureAwait(false)).Output.Split('\n')[0].Trim();
        var portalDll = options.PortalDll ?? await PortalProcess.BuildReleaseAsync(PortalProcess.FindRepositoryRoot(), Console.Out).ConfigureAwait(false);
        var work = Directory.CreateTempSubdirectory("portal-httpbench-wrk-");
        try
        {
            await using var baseline = await BaselineServer.StartAsync().ConfigureAwait(false);

            // The per-access-key limiter (Api:RateLimitPerSecond, default 50/s) would answer Throttling to one key at
            // load-test rates; a run of throttled requests measures the limiter, so it is off for the benchmark.
            var environment = new Dictionary<string, string> { ["Api__RateLimitPerSecond"] = "0" };
            using var portal = await PortalProcess.StartAsync(portalDll, environment).ConfigureAwait(false);
            Console.WriteLine($"http: Portal on {portal.Endpoint}, baseline on {baseline.Endpoint}");
            using var client = new PortalApiClient(portal.Endpoint, time);
            var (user, roleArn, temporary) = await SeedAsync(client).ConfigureAwait(false);
            var host = portal.Endpoint.Authority;
            var run = startedAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

            async Task<ScenarioResult> ScenarioAsync(string name, string description, Uri endpoint, int processId, Func<string, int, PresignedRequest> sign, bool warm)
            {
                var script = Path.Combine(work.FullName, name + ".lua");
                if (warm)
                {
                    WrkRunner.WriteScript(script, Enumerable.Range(0, options.Requests).Select(i => sign("warm", i)).ToList());
                    var warmup = await WrkRunner.RunAsync(endpoint, script, options.Threads, options.Connections, options.Warmup).ConfigureAwait(false);
                    Console.WriteLine($"http: {name} warm-up {warmup.RequestsPerSecond:F0} req/s, non-2xx {warmup.Non2xx}");
                }

                // Signed just before the run: the signatures are valid for the server's 15-minute clock-skew window.
                WrkRunner.WriteScript(script, Enumerable.Range(0, options.Requests).Select(i => sign("m" + run, i)).ToList());
                var cpu = CpuMeter.Start(processId);
                var wrk = await WrkRunner.RunAsync(endpoint, script, options.Threads, options.Connections, options.Duration).ConfigureAwait(false);
                var result = new ScenarioResult(name, description, wrk, cpu.Stop());
                Console.WriteLine($"http: {name} {wrk.RequestsPerSecond:F0} req/s, p50 {wrk.P50Ms:F2} ms, p99 {wrk.P99Ms:F2} ms, non-2xx {wrk.Non2xx}, socket errors {wrk.SocketErrors}");
                return result;
            }

            PresignedRequest SignAssumeRole(string prefix, int i) =>
                PresignedRequest.Sign(host, PresignedRequest.AssumeRoleBody(roleArn, PresignedRequest.SessionName(prefix, i)), user, "sts", time.GetUtcNow());
            PresignedRequest SignCallerIdentity(string prefix, int i) =>
                PresignedRequest.Sign(host, PresignedRequest.GetCallerIdentityBody(), temporary, "sts", time.GetUtcNow());

            var baselineResult = await ScenarioAsync(
                "baseline", "bare Kestrel, POST / answering a fixed 330-byte XML body", baseline.Endpoint, Environment.ProcessId,
                (p, i) => PresignedRequest.Sign(baseline.Endpoint.Authority, PresignedRequest.GetCallerIdentityBody(), user, "sts", time.GetUtcNow()),
                warm: true).ConfigureAwait(false);
            var assumeRole = await ScenarioAsync(
                "assumerole", "AssumeRole: SigV4 (long-term user key) + trust + mint + durable audit", portal.Endpoint, portal.ProcessId, SignAssumeRole, warm: true).ConfigureAwait(false);
            var callerIdentity = await ScenarioAsync(
                "getcalleridentity", "GetCallerIdentity: SigV4 with temporary credentials (session token)", portal.Endpoint, portal.ProcessId, SignCallerIdentity, warm: true).ConfigureAwait(false);

            var rate = Math.Max(1, Math.Round(assumeRole.Wrk.RequestsPerSecond / 2));
            var fixedRequests = Enumerable.Range(0, options.Requests).Select(i => SignAssumeRole("r" + run, i)).ToList();
            var fixedCpu = CpuMeter.Start(portal.ProcessId);
            var fixedRate = await FixedRateDriver.RunAsync(portal.Endpoint, fixedRequests, rate, options.Duration).ConfigureAwait(false);
            var fixedUsage = fixedCpu.Stop();
            Console.WriteLine($"http: AssumeRole at {rate:F0}/s: p50 {fixedRate.P50Ms:F2} ms, p99 {fixedRate.P99Ms:F2} ms, non-2xx {fixedRate.Non2xx}, failures {fixedRate.Failures}");

            var loadAfter = MachineInfo.LoadAverageNow();
            portal.Dispose();
            Console.WriteLine("http: profiling the stages in process…");
            var stages = await StageProfiler.RunAsync(500).ConfigureAwait(false);
            return new HttpBenchResults(options, machine, machine.LoadAverage, loadAfter, startedAt, wrkVersion, baselineResult, assumeRole, callerIdentity, fixedRate, fixedUsage, stages);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>
    /// Seeds through the IAM API as the bootstrap root: a user with an access key, and a role whose trust policy names
    /// that user; then assumes the role once for the temporary credentials GetCallerIdentity is signed with.
    /// </summary>
    private static async Task<(SigV4Credentials User, string RoleArn, SigV4Credentials Temporary)> SeedAsync(PortalApiClient client)
    {
        var root = new SigV4Credentials(PortalProcess.RootAccessKeyId, PortalProcess.RootSecretAccessKey);
        var created = await client.IamAsync(root, ("Action", "CreateUser"), ("UserName", "bench")).ConfigureAwait(false);
        var userArn = PortalApiClient.Value(created, "Arn");
        var key = await client.IamAsync(root, ("Action", "CreateAccessKey"), ("UserName", "bench")).ConfigureAwait(false);
        var user = new SigV4Credentials(PortalApiClient.Value(key, "AccessKeyId"), PortalApiClient.Value(key, "SecretAccessKey"));
        var role = await client.IamAsync(root, ("Action", "CreateRole"), ("RoleName", "bench-role"), ("AssumeRolePolicyDocument", TrustPolicy(userArn))).ConfigureAwait(false);
        var roleArn = PortalApiClient.Value(role, "Arn");
        await client.IamAsync(root, ("Action", "PutRolePolicy"), ("RoleName", "bench-role"), ("PolicyName", "read"), ("PolicyDocument", RolePolicy)).ConfigureAwait(false);

        var assumed = await client.StsAsync(user, ("Action", "AssumeRole"), ("RoleArn", roleArn), ("RoleSessionName", "seed")).ConfigureAwait(false);
        var temporary = new SigV4Credentials(
            PortalApiClient.Value(assumed, "AccessKeyId"),
            PortalApiClient.Value(assumed, "SecretAccessKey"),
            PortalApiClient.Value(assumed, "SessionToken"));
        await client.StsAsync(temporary, ("Action", "GetCallerIdentity")).ConfigureAwait(false);
        return (user, roleArn, temporary);
    }
}
