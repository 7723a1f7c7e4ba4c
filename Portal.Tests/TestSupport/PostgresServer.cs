using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;
using Portal.Core.Persistence;

namespace Portal.Tests.TestSupport;

/// <summary>
/// Collection fixture: a real PostgreSQL server for persistence tests. Uses the connection string in
/// <see cref="EnvironmentVariable"/> when set (CI starts a server); otherwise starts a throwaway cluster from the Debian
/// server binaries in a temp directory on a free port, and removes it afterwards. Each test class gets its own database.
/// </summary>
public sealed class PostgresServer : ITestDatabaseServer, IAsyncLifetime
{
    /// <summary>Holds an admin connection string to an existing server, e.g. <c>Host=localhost;Username=postgres;Password=…</c>.</summary>
    public const string EnvironmentVariable = "PORTAL_TEST_POSTGRES";

    private const string ServerUser = "postgres";
    private const string BinariesRoot = "/usr/lib/postgresql";
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(60);

    private static readonly string HowToInstall =
        $"PostgreSQL tests need a server. Either set {EnvironmentVariable} to an admin connection string " +
        $"(e.g. \"Host=localhost;Username=postgres;Password=postgres\"), or install the server binaries so that " +
        $"{BinariesRoot}/<version>/bin/initdb exists (Debian/Ubuntu: sudo apt-get install -y postgresql).";

    private readonly ConcurrentDictionary<string, Lazy<Task<PortalDbContextFactory>>> _shared = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<string> _created = [];
    private string _adminConnectionString = string.Empty;
    private string? _clusterDirectory;
    private string? _binDirectory;

    /// <inheritdoc />
    public StorageProvider Provider => StorageProvider.PostgreSql;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var external = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(external))
        {
            _adminConnectionString = external;
            await WaitUntilReadyAsync(logFile: null);
            return;
        }

        _binDirectory = FindBinDirectory() ?? throw new InvalidOperationException(HowToInstall);
        await StartClusterAsync(_binDirectory);
    }

    /// <inheritdoc />
    public async Task<PortalDbContextFactory> CreateDatabaseAsync(bool migrate = true)
    {
        var name = "portal_test_" + Guid.NewGuid().ToString("N");
        await using (var admin = new NpgsqlConnection(_adminConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
            await create.ExecuteNonQueryAsync();
        }

        _created.Add(name);
        var connectionString = new NpgsqlConnectionStringBuilder(_adminConnectionString)
        {
            Database = name,
            MaxPoolSize = 30,
            ConnectionIdleLifetime = 10,
        }.ConnectionString;
        var factory = new PortalDbContextFactory(new StorageOptions { Provider = StorageProvider.PostgreSql, ConnectionString = connectionString });
        if (migrate)
        {
            await factory.MigrateAsync();
        }

        return factory;
    }

    /// <inheritdoc />
    public Task<PortalDbContextFactory> GetSharedDatabaseAsync(string owner) =>
        _shared.GetOrAdd(owner, _ => new Lazy<Task<PortalDbContextFactory>>(() => CreateDatabaseAsync())).Value;

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_clusterDirectory is null)
        {
            await DropCreatedDatabasesAsync();
            return;
        }

        var dataDirectory = Path.Combine(_clusterDirectory, "data");
        await RunAsync(Path.Combine(_binDirectory!, "pg_ctl"), ["stop", "-D", dataDirectory, "-m", "immediate", "-w"], throwOnFailure: false);
        try
        {
            Directory.Delete(_clusterDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory must not fail the run.
        }
    }

    private async Task StartClusterAsync(string bin)
    {
        _clusterDirectory = Directory.CreateTempSubdirectory("portal-pg-").FullName;
        if (Environment.IsPrivilegedProcess)
        {
            // initdb refuses to run as root; the cluster belongs to the postgres OS user, who must own the directory.
            await RunAsync("chown", ["-R", $"{ServerUser}:{ServerUser}", _clusterDirectory], asServerUser: false);
        }

        var dataDirectory = Path.Combine(_clusterDirectory, "data");
        var logFile = Path.Combine(_clusterDirectory, "server.log");
        await RunAsync(Path.Combine(bin, "initdb"), ["-D", dataDirectory, "-U", ServerUser, "--auth=trust", "--encoding=UTF8", "--no-locale", "--no-sync"]);

        var port = FreeTcpPort();

        // fsync and friends off: the cluster is thrown away, and durability is not what these tests measure.
        var serverOptions = string.Create(
            CultureInfo.InvariantCulture,
            $"-p {port} -k {_clusterDirectory} -h 127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
        await RunAsync(Path.Combine(bin, "pg_ctl"), ["start", "-D", dataDirectory, "-l", logFile, "-W", "-o", serverOptions]);

        _adminConnectionString = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = port,
            Username = ServerUser,
            Database = "postgres",
        }.ConnectionString;
        await WaitUntilReadyAsync(logFile);
    }

    private async Task WaitUntilReadyAsync(string? logFile)
    {
        var probe = new NpgsqlConnectionStringBuilder(_adminConnectionString) { Pooling = false, Timeout = 5 }.ConnectionString;
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(probe);
                await connection.OpenAsync();
                await using var ping = new NpgsqlCommand("SELECT 1", connection);
                await ping.ExecuteScalarAsync();
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or SocketException or TimeoutException)
            {
                if (deadline.Elapsed > StartupTimeout)
                {
                    var log = logFile is not null && File.Exists(logFile) ? await File.ReadAllTextAsync(logFile) : "(no server log)";
                    throw new InvalidOperationException($"PostgreSQL did not accept connections within {StartupTimeout.TotalSeconds} s. {HowToInstall}\n{log}", ex);
                }

                // Polling interval between connection attempts, not a wait for a fixed condition.
                await Task.Delay(TimeSpan.FromMilliseconds(100));
            }
        }
    }

    private async Task DropCreatedDatabasesAsync()
    {
        await using var admin = new NpgsqlConnection(_adminConnectionString);
        await admin.OpenAsync();
        foreach (var name in _created)
        {
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        }
    }

    private static string? FindBinDirectory()
    {
        if (!Directory.Exists(BinariesRoot))
        {
            return null;
        }

        return Directory.GetDirectories(BinariesRoot)
            .Select(d => (Directory: d, Version: double.TryParse(Path.GetFileName(d), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : 0))
            .OrderByDescending(d => d.Version)
            .Select(d => Path.Combine(d.Directory, "bin"))
            .FirstOrDefault(bin => File.Exists(Path.Combine(bin, "initdb")) && File.Exists(Path.Combine(bin, "pg_ctl")));
    }

    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string fileName, IReadOnlyList<string> arguments, bool asServerUser = true, bool throwOnFailure = true)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        if (asServerUser && Environment.IsPrivilegedProcess)
        {
            start.FileName = "runuser";
            foreach (var a in (string[])["-u", ServerUser, "--", fileName])
            {
                start.ArgumentList.Add(a);
            }
        }
        else
        {
            start.FileName = fileName;
        }

        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}. {HowToInstall}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (throwOnFailure && process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"'{fileName} {string.Join(' ', arguments)}' exited with {process.ExitCode}.\n{await stdout}\n{await stderr}\n{HowToInstall}");
        }
    }
}

/// <summary>The test classes that share one <see cref="PostgresServer"/>.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresTests : ICollectionFixture<PostgresServer>
{
    /// <summary>The collection name for <c>[Collection]</c>.</summary>
    public const string Name = "PostgreSQL";
}
