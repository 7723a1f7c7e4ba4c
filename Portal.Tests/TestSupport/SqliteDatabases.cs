using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Portal.Core.Persistence;

namespace Portal.Tests.TestSupport;

/// <summary>
/// Class fixture: SQLite database files in a private temp directory (files, not in-memory, so WAL and several
/// connections behave as in production). The directory is deleted when the test class finishes.
/// </summary>
public sealed class SqliteDatabases : ITestDatabaseServer, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("portal-sqlite-").FullName;
    private readonly ConcurrentDictionary<string, Lazy<Task<PortalDbContextFactory>>> _shared = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public StorageProvider Provider => StorageProvider.Sqlite;

    /// <inheritdoc />
    public async Task<PortalDbContextFactory> CreateDatabaseAsync(bool migrate = true)
    {
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(_directory, Guid.NewGuid().ToString("N") + ".db"),
            DefaultTimeout = 60,
            Pooling = true,
        }.ToString();
        var factory = new PortalDbContextFactory(new StorageOptions { Provider = StorageProvider.Sqlite, ConnectionString = connectionString });
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
    public void Dispose()
    {
        // Pooled connections keep the files open; release them before deleting.
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A straggling handle only leaks a temp directory; it must not fail the run.
        }
    }
}
