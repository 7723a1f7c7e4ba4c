using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Core;
using Portal.Core.Iam;
using Portal.Core.Identity;
using Portal.Core.Sts;

namespace Portal.Bench;

/// <summary>
/// A complete in-process AssumeRole through the real composition (SQLite file in WAL mode, trust evaluation, minting,
/// sealed token, durable group-committed audit), against a baseline of one durable SQLite insert-and-commit of the same
/// size as an audit row — the write every issuance must wait for.
/// </summary>
[MemoryDiagnoser]
public class AssumeRoleBenchmarks
{
    private string _directory = null!;
    private ServiceProvider _services = null!;
    private StsEngine _engine = null!;
    private Caller _caller = null!;
    private AssumeRoleRequest _request = null!;
    private SqliteConnection _baseline = null!;
    private SqliteCommand _insert = null!;

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), "portal-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:DataDirectory"] = _directory,
            ["Security:MasterKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        }).Build();
        var collection = new ServiceCollection();
        collection.AddSingleton<IConfiguration>(configuration);
        collection.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        collection.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        collection.AddPortalCore(configuration, _directory);
        _services = collection.BuildServiceProvider();
        _services.InitializePortalCoreAsync().GetAwaiter().GetResult();

        var iam = _services.GetRequiredService<IamDirectory>();
        var account = AccountId.Parse(iam.CreateAccountAsync("123456789012", "bench").GetAwaiter().GetResult().Value!.Id);
        var user = iam.CreateUserAsync(account, "alice").GetAwaiter().GetResult().Value!;
        var trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"USER"},"Action":"sts:AssumeRole","Condition":{"Bool":{"aws:SecureTransport":"true"}}}]}""".Replace("USER", user.Arn, StringComparison.Ordinal);
        var role = iam.CreateRoleAsync(account, "Developer", trust).GetAwaiter().GetResult().Value!;
        iam.PutInlinePolicyAsync(role.Id, "read", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}]}""").GetAwaiter().GetResult();
        _engine = _services.GetRequiredService<StsEngine>();
        _caller = Caller.ForUser(user, "AKIABENCHKEY00000001");
        _request = new AssumeRoleRequest { RoleArn = role.Arn, RoleSessionName = "bench" };

        _baseline = new SqliteConnection($"Data Source={Path.Combine(_directory, "baseline.db")}");
        _baseline.Open();
        using (var setup = _baseline.CreateCommand())
        {
            setup.CommandText = "PRAGMA journal_mode=WAL; CREATE TABLE t (id INTEGER PRIMARY KEY, at INTEGER, action TEXT, principal TEXT, resource TEXT, key TEXT, message TEXT);";
            setup.ExecuteNonQuery();
        }

        _insert = _baseline.CreateCommand();
        _insert.CommandText = "INSERT INTO t (at, action, principal, resource, key, message) VALUES ($at, 'sts:AssumeRole', $p, $r, 'ASIAEXAMPLEEXAMPLE01', 'Issued arn:aws:sts::123456789012:assumed-role/Developer/bench until 2026-11-26T13:00:00Z')";
        _insert.Parameters.AddWithValue("$at", 0L);
        _insert.Parameters.AddWithValue("$p", user.Arn);
        _insert.Parameters.AddWithValue("$r", role.Arn);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _insert.Dispose();
        _baseline.Dispose();
        _services.DisposeAsync().AsTask().GetAwaiter().GetResult();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Baseline = true, Description = "durable SQLite insert+commit (baseline)")]
    public int DurableInsert()
    {
        _insert.Parameters["$at"].Value = DateTime.UtcNow.Ticks;
        return _insert.ExecuteNonQuery();
    }

    [Benchmark(Description = "AssumeRole, in process, with durable audit")]
    public async Task<bool> AssumeRole()
    {
        var info = new RequestInfo { SecureTransport = true, SourceIp = "127.0.0.1" };
        var result = await _engine.AssumeRoleAsync(_caller, _request, info).ConfigureAwait(false);
        return result.Succeeded ? true : throw new InvalidOperationException(result.Error.ToString());
    }
}
