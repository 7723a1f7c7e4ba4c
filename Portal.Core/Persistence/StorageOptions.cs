namespace Portal.Core.Persistence;

/// <summary>Where the engine keeps its state. Bound from the <c>Storage</c> configuration section.</summary>
public sealed class StorageOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Storage";

    /// <summary><see cref="StorageProvider.Sqlite"/> (default) or <see cref="StorageProvider.PostgreSql"/>.</summary>
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>
    /// The connection string. Default for SQLite: <c>Data Source=&lt;DataDirectory&gt;/portal.db</c>.
    /// Required for PostgreSQL.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>The directory for the SQLite file and the generated master key file. Default: <c>data</c>.</summary>
    public string DataDirectory { get; set; } = "data";
}

/// <summary>The supported database providers.</summary>
public enum StorageProvider
{
    /// <summary>A single SQLite file (WAL mode).</summary>
    Sqlite,

    /// <summary>A PostgreSQL server.</summary>
    PostgreSql,
}
