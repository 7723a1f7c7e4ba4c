using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Core.Audit;
using Portal.Core.Persistence;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Core.Persistence;

/// <summary>The audit writer's group commit against real databases (it lives in Core/Audit; its contract is storage).</summary>
public abstract class GroupCommitAuditWriterTests(ITestDatabaseServer server) : DatabaseTest(server)
{
    private static readonly DateTimeOffset Now = new(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task WriteAsync_TwoHundredConcurrentEvents_CommitsEveryRowInFewerBatches()
    {
        // Arrange
        var action = "test:" + Guid.NewGuid().ToString("N");
        await using var writer = CreateWriter(Db);

        // Act
        await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(() => writer.WriteAsync(CreateRecord(action) with { RequestId = $"req-{i}" }))));

        // Assert
        await using var db = Db.CreateDbContext();
        Assert.Equal(200, await db.AuditEvents.CountAsync(e => e.Action == action));
        Assert.InRange(writer.BatchesCommitted, 1, 199);
    }

    [Fact]
    public async Task WriteAsync_IssuanceEvent_CommitsTheIssuedSessionWithIt()
    {
        // Arrange
        var action = "test:" + Guid.NewGuid().ToString("N");
        var sessionId = Guid.NewGuid().ToString("N");
        await using var writer = CreateWriter(Db);
        var record = CreateRecord(action) with
        {
            IssuedSession = new IssuedSessionRecord(sessionId, "ASIAEXAMPLE", "123456789012", "AssumeRole",
                "arn:aws:sts::123456789012:assumed-role/R/s", "arn:aws:iam::123456789012:role/R", null, null, Now, Now.AddHours(1), "req-1"),
        };

        // Act
        await writer.WriteAsync(record);

        // Assert
        await using var db = Db.CreateDbContext();
        Assert.Equal("Allow", (await db.AuditEvents.SingleAsync(e => e.Action == action)).Decision);
        Assert.Equal(Now.AddHours(1), (await db.IssuedSessions.SingleAsync(s => s.SessionId == sessionId)).ExpiresAt);
    }

    [Fact]
    public async Task WriteAsync_CommitFails_FaultsEveryWaiterWithAuditCommitException()
    {
        // Arrange: a scratch database whose audit table is gone, so every commit fails.
        var scratch = await Server.CreateDatabaseAsync();
        await DropAuditTableAsync(scratch);
        await using var writer = CreateWriter(scratch);

        // Act
        var writes = Enumerable.Range(0, 20).Select(_ => writer.WriteAsync(CreateRecord("test:fail"))).ToList();
        var outcomes = await Task.WhenAll(writes.Select(async w => await Record.ExceptionAsync(() => w)));

        // Assert
        Assert.All(outcomes, ex => Assert.IsType<AuditCommitException>(ex));
        Assert.Equal(0, writer.BatchesCommitted);
    }

    private static GroupCommitAuditWriter CreateWriter(PortalDbContextFactory factory) =>
        new(factory, NullLogger<GroupCommitAuditWriter>.Instance);

    private static AuditRecord CreateRecord(string action) => new()
    {
        Timestamp = Now,
        Action = action,
        Decision = AuditDecision.Allow,
        Principal = "arn:aws:iam::123456789012:user/alice",
    };

    private static async Task DropAuditTableAsync(PortalDbContextFactory factory)
    {
        await using var db = factory.CreateDbContext();
        await db.Database.ExecuteSqlRawAsync("DROP TABLE \"AuditEvents\"");
    }
}

[Collection(PostgresTests.Name)]
public sealed class PostgresGroupCommitAuditWriterTests(PostgresServer server) : GroupCommitAuditWriterTests(server);

public sealed class SqliteGroupCommitAuditWriterTests(SqliteDatabases server) : GroupCommitAuditWriterTests(server), IClassFixture<SqliteDatabases>;
