using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Audit;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Core.Audit;

/// <summary>SECURITY-CASES 104h (1): the audit table refuses UPDATE and DELETE at the database, through the app's own connection.</summary>
public abstract class AuditAppendOnlyTests(ITestDatabaseServer server) : DatabaseTest(server)
{
    public static TheoryData<string> Tampering => new()
    {
        "UPDATE \"AuditEvents\" SET \"Principal\" = 'someone-else'",
        "UPDATE \"AuditEvents\" SET \"Decision\" = 'Deny' WHERE \"Id\" = (SELECT MIN(\"Id\") FROM \"AuditEvents\")",
        "DELETE FROM \"AuditEvents\"",
        "DELETE FROM \"AuditEvents\" WHERE \"Id\" = (SELECT MAX(\"Id\") FROM \"AuditEvents\")",
    };

    [Fact]
    public async Task WriteAsync_Insert_IsStored()
    {
        // Arrange
        var factory = await Server.CreateDatabaseAsync();

        // Act
        var ids = await AuditDatabase.WriteAsync(factory, 3);

        // Assert
        Assert.Equal(3, ids.Count);
    }

    [Theory]
    [MemberData(nameof(Tampering))]
    public async Task ExecuteSql_UpdateOrDeleteThroughAppConnection_FailsAndChangesNothing(string sql)
    {
        // Arrange
        var factory = await Server.CreateDatabaseAsync();
        await AuditDatabase.WriteAsync(factory, 3);
        await using var db = factory.CreateDbContext();

        // Act
        var ex = await Assert.ThrowsAnyAsync<DbException>(() => db.Database.ExecuteSqlRawAsync(sql));

        // Assert
        Assert.Contains(AuditAppendOnly.Message, ex.Message, StringComparison.Ordinal);
        Assert.Equal(3, await db.AuditEvents.CountAsync(e => e.Principal == "arn:aws:iam::123456789012:user/alice" && e.Decision == "Allow"));
    }

    [Fact]
    public async Task ExecuteUpdateAsync_EfBulkUpdate_Fails()
    {
        // Arrange
        var factory = await Server.CreateDatabaseAsync();
        await AuditDatabase.WriteAsync(factory, 1);
        await using var db = factory.CreateDbContext();

        // Act
        var ex = await Record.ExceptionAsync(() => db.AuditEvents.ExecuteUpdateAsync(s => s.SetProperty(e => e.Message, "rewritten")));

        // Assert
        Assert.IsAssignableFrom<DbException>(ex);
    }

    [Fact]
    public async Task SaveChangesAsync_RemoveTrackedEntity_Fails()
    {
        // Arrange
        var factory = await Server.CreateDatabaseAsync();
        await AuditDatabase.WriteAsync(factory, 1);
        await using var db = factory.CreateDbContext();
        db.AuditEvents.Remove(await db.AuditEvents.SingleAsync());

        // Act
        var ex = await Record.ExceptionAsync(() => db.SaveChangesAsync());

        // Assert
        Assert.IsType<DbUpdateException>(ex);
    }
}

[Collection(PostgresTests.Name)]
public sealed class PostgresAuditAppendOnlyTests(PostgresServer server) : AuditAppendOnlyTests(server)
{
    [Fact]
    public async Task ExecuteSql_TruncateOnPostgres_Fails()
    {
        // Arrange: PostgreSQL's TRUNCATE skips row triggers (SQLite has none; its DELETE without WHERE is covered above).
        var factory = await Server.CreateDatabaseAsync();
        await AuditDatabase.WriteAsync(factory, 1);
        await using var db = factory.CreateDbContext();

        // Act
        var ex = await Record.ExceptionAsync(() => db.Database.ExecuteSqlRawAsync("TRUNCATE \"AuditEvents\""));

        // Assert
        Assert.IsAssignableFrom<DbException>(ex);
        Assert.Equal(1, await db.AuditEvents.CountAsync());
    }
}

public sealed class SqliteAuditAppendOnlyTests(SqliteDatabases server) : AuditAppendOnlyTests(server), IClassFixture<SqliteDatabases>;
