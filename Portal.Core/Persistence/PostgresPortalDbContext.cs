using Microsoft.EntityFrameworkCore;

namespace Portal.Core.Persistence;

/// <summary>The PostgreSQL flavour, for several stateless nodes sharing one database.</summary>
public sealed class PostgresPortalDbContext : PortalDbContext
{
    /// <summary>Creates the context.</summary>
    public PostgresPortalDbContext(DbContextOptions<PostgresPortalDbContext> options)
        : base(options)
    {
    }
}
