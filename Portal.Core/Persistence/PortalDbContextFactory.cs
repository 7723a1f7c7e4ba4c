using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Portal.Core.Persistence;

/// <summary>Creates the provider's <see cref="PortalDbContext"/> per operation.</summary>
public sealed class PortalDbContextFactory : IDbContextFactory<PortalDbContext>
{
    private readonly Func<PortalDbContext> _create;

    /// <summary>Builds the factory for the configured provider.</summary>
    public PortalDbContextFactory(StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Provider = options.Provider;
        ConnectionString = ResolveConnectionString(options);
        switch (options.Provider)
        {
            case StorageProvider.Sqlite:
                var sqlite = new DbContextOptionsBuilder<SqlitePortalDbContext>()
                    .UseSqlite(ConnectionString)
                    .Options;
                _create = () => new SqlitePortalDbContext(sqlite);
                break;
            case StorageProvider.PostgreSql:
                var postgres = new DbContextOptionsBuilder<PostgresPortalDbContext>()
                    .UseNpgsql(ConnectionString)
                    .Options;
                _create = () => new PostgresPortalDbContext(postgres);
                break;
            default:
                throw new InvalidOperationException($"Storage:Provider '{options.Provider}' is not supported; use Sqlite or PostgreSql.");
        }
    }

    /// <summary>The provider in use.</summary>
    public StorageProvider Provider { get; }

    /// <summary>The effective connection string.</summary>
    public string ConnectionString { get; }

    /// <inheritdoc />
    public PortalDbContext CreateDbContext() => _create();

    /// <summary>Applies pending migrations and, for SQLite, switches the file to WAL mode.</summary>
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var db = CreateDbContext();
        await db.Database.MigrateAsync(cancellationToken).ConfigureAwait(false);
        if (Provider == StorageProvider.Sqlite)
        {
            // WAL lets readers proceed while the audit writer commits; it is a property of the file, so set once.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken).ConfigureAwait(false);
        }
    }

    private static string ResolveConnectionString(StorageOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return options.ConnectionString;
        }

        if (options.Provider != StorageProvider.Sqlite)
        {
            throw new InvalidOperationException("Storage:ConnectionString is required when Storage:Provider is PostgreSql.");
        }

        Directory.CreateDirectory(options.DataDirectory);
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(options.DataDirectory, "portal.db"),
            DefaultTimeout = 30,
            Pooling = true,
        };
        return builder.ToString();
    }
}
