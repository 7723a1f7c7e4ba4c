using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Core;
using Portal.Core.Credentials;
using Portal.Core.Iam;
using Portal.Core.Identity;
using Portal.Core.Signing;
using Portal.Core.Sts;

namespace Portal.Bench.Http;

/// <summary>
/// A Stopwatch-instrumented, single-threaded run of the stages an STS request passes through, on the real engine
/// composition (SQLite in WAL mode, durable group-committed audit) in this process. It splits the per-request cost
/// the HTTP run can only see as a total: the key lookup, the SigV4 check, the session-token unseal and AssumeRole.
/// </summary>
internal static class StageProfiler
{
    /// <summary>Measures each stage <paramref name="iterations"/> times after a warm-up of the same size.</summary>
    public static async Task<IReadOnlyList<StageTiming>> RunAsync(int iterations)
    {
        var directory = Path.Combine(Path.GetTempPath(), "portal-httpbench-stages-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:DataDirectory"] = directory,
            ["Security:MasterKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        }).Build();
        var collection = new ServiceCollection();
        collection.AddSingleton<IConfiguration>(configuration);
        collection.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        collection.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        collection.AddPortalCore(configuration, directory);
        var services = collection.BuildServiceProvider();
        try
        {
            await services.InitializePortalCoreAsync().ConfigureAwait(false);
            return await MeasureAsync(services, iterations).ConfigureAwait(false);
        }
        finally
        {
            await services.DisposeAsync().ConfigureAwait(false);
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<IReadOnlyList<StageTiming>> MeasureAsync(ServiceProvider services, int iterations)
    {
        var iam = services.GetRequiredService<IamDirectory>();
        var engine = services.GetRequiredService<StsEngine>();
        var sessions = services.GetRequiredService<SessionCredentialVerifier>();
        var account = AccountId.Parse((await iam.CreateAccountAsync(PortalProcess.AccountId, "bench").ConfigureAwait(false)).Value!.Id);
        var user = (await iam.CreateUserAsync(account, "bench").ConfigureAwait(false)).Value!;
        var key = (await iam.CreateAccessKeyAsync(account, user.Id).ConfigureAwait(false)).Value!;
        var role = (await iam.CreateRoleAsync(account, "bench-role", HttpBenchCommand.TrustPolicy(user.Arn)).ConfigureAwait(false)).Value!;
        await iam.PutInlinePolicyAsync(role.Id, "read", HttpBenchCommand.RolePolicy).ConfigureAwait(false);

        var caller = Caller.ForUser(user, key.Key.AccessKeyId);
        var info = new RequestInfo { SourceIp = "127.0.0.1" };
        var assumed = (await engine.AssumeRoleAsync(caller, new AssumeRoleRequest { RoleArn = role.Arn, RoleSessionName = "stage" }, info).ConfigureAwait(false)).Value!;
        var temporary = assumed.Credentials;

        var userCredentials = new SigV4Credentials(key.Key.AccessKeyId, key.SecretAccessKey);
        var fixedSecret = new SigV4Verifier(new FixedResolver(key.SecretAccessKey, caller), TimeProvider.System);
        var options = new SigV4VerifierOptions { Services = ["sts"] };
        var body = PresignedRequest.AssumeRoleBody(role.Arn, "stage");
        var signed = PresignedRequest.Sign("127.0.0.1:1", body, userCredentials, "sts", TimeProvider.System.GetUtcNow());
        var request = SignedRequest.WithBody("POST", "/", string.Empty, signed.Headers, Encoding.UTF8.GetBytes(body));

        var sequence = 0;
        var stages = new (string Name, Func<Task> Body)[]
        {
            ("SigV4 verify of an AssumeRole request, secret known (canonical request + HMAC chain)", async () =>
            {
                var result = await fixedSecret.VerifyAsync(request, options).ConfigureAwait(false);
                Check(result.Succeeded, "verify");
            }),
            ("long-term key read: IamDirectory.ResolveAccessKeyAsync (EF Core SQLite query + secret unprotect)", async () =>
            {
                var resolved = await iam.ResolveAccessKeyAsync(key.Key.AccessKeyId).ConfigureAwait(false);
                Check(resolved is not null, "key read");
            }),
            ("key owner read: IamDirectory.FindUserByIdAsync (EF Core SQLite query)", async () =>
            {
                var found = await iam.FindUserByIdAsync(user.Id).ConfigureAwait(false);
                Check(found is not null, "user read");
            }),
            ("session token unseal + revocation check: SessionCredentialVerifier.VerifyAsync", async () =>
            {
                var verified = await sessions.VerifyAsync(temporary.AccessKeyId, temporary.SessionToken, CancellationToken.None).ConfigureAwait(false);
                Check(verified.IsValid, "session");
            }),
            ("StsEngine.AssumeRoleAsync: role load, trust evaluation, mint, seal, durable audit (one caller, no batching)", async () =>
            {
                var name = PresignedRequest.SessionName("stage", Interlocked.Increment(ref sequence));
                var result = await engine.AssumeRoleAsync(caller, new AssumeRoleRequest { RoleArn = role.Arn, RoleSessionName = name }, info).ConfigureAwait(false);
                Check(result.Succeeded, "AssumeRole");
            }),
        };

        var timings = new List<StageTiming>();
        using var self = Process.GetCurrentProcess();
        var samples = new double[iterations];
        foreach (var (name, body2) in stages)
        {
            for (var i = 0; i < iterations; i++)
            {
                await body2().ConfigureAwait(false);
            }

            var cpuStart = self.TotalProcessorTime;
            for (var i = 0; i < iterations; i++)
            {
                var start = Stopwatch.GetTimestamp();
                await body2().ConfigureAwait(false);
                samples[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            }

            self.Refresh();
            var cpu = (self.TotalProcessorTime - cpuStart).TotalMicroseconds / iterations;
            var mean = samples.Average();
            Array.Sort(samples);
            timings.Add(new StageTiming(name, FixedRateDriver.Percentile(samples, 0.50), mean, FixedRateDriver.Percentile(samples, 0.99), cpu, iterations));
        }

        return timings;
    }

    private static void Check(bool ok, string stage)
    {
        if (!ok)
        {
            throw new InvalidOperationException("The stage profile's " + stage + " step failed; its timings would be of a failure.");
        }
    }

    /// <summary>Hands the verifier a known secret, isolating the signature check from the key store.</summary>
    private sealed class FixedResolver(string secret, Caller caller) : ISigningSecretResolver
    {
        public ValueTask<SigningSecretResolution> ResolveAsync(string accessKeyId, string? sessionToken, CancellationToken cancellationToken) =>
            ValueTask.FromResult(SigningSecretResolution.Found(secret, caller));
    }
}
