using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Persistence;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Core.Persistence;

public abstract class MigrationTests(ITestDatabaseServer server) : DatabaseTest(server)
{
    [Fact]
    public async Task MigrateAsync_EmptyDatabase_AppliesEveryMigrationAndCreatesTables()
    {
        // Arrange
        var factory = await Server.CreateDatabaseAsync(migrate: false);

        // Act
        await factory.MigrateAsync();

        // Assert
        await using var db = factory.CreateDbContext();
        Assert.NotEmpty(db.Database.GetMigrations());
        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(0, await db.MfaDevices.CountAsync());
        Assert.Equal(0, await db.MfaRecoveryCodes.CountAsync());
        Assert.Equal(0, await db.TokenKeys.CountAsync());
        Assert.Equal(0, await db.Revocations.CountAsync());
        Assert.Equal(0, await db.ReplayEntries.CountAsync());
        Assert.Equal(0, await db.AuditEvents.CountAsync());
        Assert.Equal(0, await db.IssuedSessions.CountAsync());
    }

    [Fact]
    public async Task MigrateAsync_AlreadyMigrated_IsANoOp()
    {
        // Arrange
        var factory = await Server.CreateDatabaseAsync();

        // Act
        await factory.MigrateAsync();

        // Assert
        await using var db = factory.CreateDbContext();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
    }
}

[Collection(PostgresTests.Name)]
public sealed class PostgresMigrationTests(PostgresServer server) : MigrationTests(server);

public sealed class SqliteMigrationTests(SqliteDatabases server) : MigrationTests(server), IClassFixture<SqliteDatabases>
{
    [Fact]
    public async Task MigrateAsync_Sqlite_SwitchesTheFileToWal()
    {
        // Arrange
        var factory = await Server.CreateDatabaseAsync(migrate: false);

        // Act
        await factory.MigrateAsync();

        // Assert: journal_mode is persistent, so a fresh connection reports it.
        await using var connection = new SqliteConnection(factory.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
    }
}
