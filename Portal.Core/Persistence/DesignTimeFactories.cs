// Migrations: each provider has its own set; after changing an entity or configuration, add one for BOTH (a test fails
// while either model has changes no migration captures). From the repository root, with dotnet-ef 10.0.15:
//   dotnet ef migrations add <Name> --project Portal.Core --startup-project Portal --context SqlitePortalDbContext --output-dir Persistence/Migrations/Sqlite
//   dotnet ef migrations add <Name> --project Portal.Core --startup-project Portal --context PostgresPortalDbContext --output-dir Persistence/Migrations/PostgreSql
// (Do not pass --namespace: the output dir already yields the right one, and --namespace misplaces the model snapshot.)
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Portal.Core.Persistence;

/// <summary>Lets <c>dotnet ef migrations add … --context SqlitePortalDbContext</c> build the model without a host.</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqlitePortalDbContext>
{
    public SqlitePortalDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqlitePortalDbContext>().UseSqlite("Data Source=design.db").Options);
}

/// <summary>Lets <c>dotnet ef migrations add … --context PostgresPortalDbContext</c> build the model without a server.</summary>
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresPortalDbContext>
{
    public PostgresPortalDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresPortalDbContext>().UseNpgsql("Host=localhost;Database=portal_design").Options);
}
