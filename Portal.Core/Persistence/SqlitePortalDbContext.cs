using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Portal.Core.Persistence;

/// <summary>The SQLite flavour (default): one file in WAL mode.</summary>
public sealed class SqlitePortalDbContext : PortalDbContext
{
    /// <summary>Creates the context.</summary>
    public SqlitePortalDbContext(DbContextOptions<SqlitePortalDbContext> options)
        : base(options)
    {
    }

    /// <inheritdoc />
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);

        // Note: SQLite has no date type; EF stores DateTimeOffset as text it cannot compare in SQL. Storing the UTC
        // ticks as an integer keeps ordering and range queries (expiry, audit time filters) on the server.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
    }

    /// <summary>
    /// Note: EF's <see cref="DateTimeOffsetToBinaryConverter"/> packs local ticks (at 100 µs precision) with the offset,
    /// so two instants with different offsets do not compare in instant order in SQL. UTC ticks keep full precision and
    /// make <c>&lt;</c>/<c>&lt;=</c> on the column (lockouts, expiry) mean "earlier than". Reads come back with offset zero.
    /// </summary>
    private sealed class UtcTicksConverter()
        : ValueConverter<DateTimeOffset, long>(v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));
}
