using Microsoft.EntityFrameworkCore;
using Portal.Core.Audit;
using Portal.Core.Persistence;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Core.Audit;

/// <summary>SECURITY-CASES 104h (2): the hash chain written by the group-commit writer, checked by the verifier.</summary>
public abstract class AuditChainVerifierTests(ITestDatabaseServer server) : DatabaseTest(server)
{
    public static TheoryData<string> EditedColumns => new()
    {
        "\"Principal\" = 'arn:aws:iam::123456789012:user/mallory'",
        "\"Decision\" = 'Deny'",
        "\"Message\" = NULL",
        "\"Timestamp\" = '2026-05-01 11:00:00+00:00'",
        "\"Sequence\" = 99",
    };

    [Fact]
    public async Task VerifyAsync_UntouchedLog_IsIntact()
    {
        // Arrange
        var factory = await Server.CreateDatabaseAsync();
        await AuditDatabase.WriteAsync(factory, 5);

        // Act
        var result = await CreateVerifier(factory).VerifyAsync();

        // Assert
        Assert.True(result.Intact, result.FirstBreak?.Reason);
        Assert.Equal(5, result.RecordsChecked);
        Assert.Equal(5, Assert.Single(result.Heads).Sequence);
    }

    [Theory]
    [MemberData(nameof(EditedColumns))]
    public async Task VerifyAsync_RowEditedBehindTheTriggers_ReportsExactlyThatRow(string assignment)
    {
        // Arrange
        var factory = await Server.CreateDatabaseAsync();
        var ids = await AuditDatabase.WriteAsync(factory, 5);
        await AuditDatabase.TamperAsync(factory, $"UPDATE \"AuditEvents\" SET {assignment}", ids[2]);

        // Act
        var result = await CreateVerifier(factory).VerifyAsync();

        // Assert
        Assert.False(result.Intact);
        Assert.Equal(ids[2], result.FirstBreak!.Id);
    }

    [Fact]
    public async Task VerifyAsync_FieldEdited_ReportsHashMismatch()
    {
        // Arrange
        var factory = await Server.CreateDatabaseAsync();
        var ids = await AuditDatabase.WriteAsync(factory, 5);
        await AuditDatabase.TamperAsync(factory, "UPDATE \"AuditEvents\" SET \"Reason\" = 'x'", ids[1]);

        // Act
        var result = await CreateVerifier(factory).VerifyAsync();

        // Assert
        Assert.Equal((ids[1], AuditBreakKind.HashMismatch), (result.FirstBreak!.Id, result.FirstBreak.Kind));
    }

    [Fact]
    public async Task VerifyAsync_RowDeletedBehindTheTriggers_ReportsTheRecordAfterTheGap()
    {
        // Arrange
        var factory = await Server.CreateDatabaseAsync();
        var ids = await AuditDatabase.WriteAsync(factory, 5);
        await AuditDatabase.TamperAsync(factory, "DELETE FROM \"AuditEvents\"", ids[2]);

        // Act
        var result = await CreateVerifier(factory).VerifyAsync();

        // Assert
        Assert.Equal((ids[3], AuditBreakKind.MissingRecords, 4L), (result.FirstBreak!.Id, result.FirstBreak.Kind, result.FirstBreak.Sequence));
        Assert.Contains("record 3 is missing", result.FirstBreak.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyAsync_FirstRowDeleted_ReportsTheNewFirstRow()
    {
        // Arrange
        var factory = await Server.CreateDatabaseAsync();
        var ids = await AuditDatabase.WriteAsync(factory, 3);
        await AuditDatabase.TamperAsync(factory, "DELETE FROM \"AuditEvents\"", ids[0]);

        // Act
        var result = await CreateVerifier(factory).VerifyAsync();

        // Assert
        Assert.Equal((ids[1], AuditBreakKind.MissingRecords), (result.FirstBreak!.Id, result.FirstBreak.Kind));
    }

    [Fact]
    public async Task VerifyAsync_ChainFieldsStrippedFromLaterRow_ReportsUnchained()
    {
        // Arrange
        var factory = await Server.CreateDatabaseAsync();
        var ids = await AuditDatabase.WriteAsync(factory, 3);
        await AuditDatabase.TamperAsync(factory, "UPDATE \"AuditEvents\" SET \"ChainId\" = NULL, \"Sequence\" = NULL, \"Hash\" = NULL", ids[2]);

        // Act
        var result = await CreateVerifier(factory).VerifyAsync();

        // Assert
        Assert.Equal((ids[2], AuditBreakKind.Unchained), (result.FirstBreak!.Id, result.FirstBreak.Kind));
    }

    [Fact]
    public async Task WriteAsync_WriterRestarted_ContinuesTheChain()
    {
        // Arrange
        var factory = await Server.CreateDatabaseAsync();
        await AuditDatabase.WriteAsync(factory, 2);

        // Act: a new writer (a restarted process) on the same chain.
        await AuditDatabase.WriteAsync(factory, 3);

        // Assert
        var result = await CreateVerifier(factory).VerifyAsync();
        Assert.True(result.Intact, result.FirstBreak?.Reason);
        Assert.Equal(5, Assert.Single(result.Heads).Sequence);
    }

    [Fact]
    public async Task WriteAsync_TwoNodesOnOneChainConcurrently_StillOneIntactChain()
    {
        // Arrange: two writers that share a chain id, as two nodes misconfigured alike would.
        var factory = await Server.CreateDatabaseAsync();
        await using var first = AuditDatabase.CreateWriter(factory, "shared");
        await using var second = AuditDatabase.CreateWriter(factory, "shared");

        // Act
        await Task.WhenAll(Enumerable.Range(0, 60).Select(i => Task.Run(() => (i % 2 == 0 ? first : second).WriteAsync(AuditDatabase.CreateRecord(i)))));

        // Assert
        var result = await CreateVerifier(factory).VerifyAsync();
        Assert.True(result.Intact, result.FirstBreak?.Reason);
        Assert.Equal(("shared", 60L), (Assert.Single(result.Heads).ChainId, result.Heads[0].Sequence));
    }

    [Fact]
    public async Task VerifyAsync_TwoNodeChains_VerifiesEachAndReportsBothHeads()
    {
        // Arrange
        var factory = await Server.CreateDatabaseAsync();
        await AuditDatabase.WriteAsync(factory, 2, "node-a");
        await AuditDatabase.WriteAsync(factory, 3, "node-b");
        await AuditDatabase.WriteAsync(factory, 1, "node-a");

        // Act
        var result = await CreateVerifier(factory).VerifyAsync();

        // Assert
        Assert.True(result.Intact, result.FirstBreak?.Reason);
        Assert.Equal([("node-a", 3L), ("node-b", 3L)], result.Heads.Select(h => (h.ChainId, h.Sequence)).Order());
    }

    [Fact]
    public async Task VerifyAsync_WithProgress_ReportsAllRecordsChecked()
    {
        // Arrange
        var factory = await Server.CreateDatabaseAsync();
        await AuditDatabase.WriteAsync(factory, 4);
        var progress = new RecordingProgress();

        // Act
        await CreateVerifier(factory).VerifyAsync(progress);

        // Assert
        Assert.Equal(new AuditVerificationProgress(4, 4), progress.Reports[^1]);
    }

    [Fact]
    public async Task WriteAsync_ControlCharacters_StoredVerbatim()
    {
        // Arrange (SECURITY-CASES 104h (3): stored verbatim, escaped only when shown)
        var factory = await Server.CreateDatabaseAsync();

        // Act
        await AuditDatabase.WriteAsync(factory, 1);

        // Assert
        await using var db = factory.CreateDbContext();
        Assert.Equal(AuditDatabase.CreateRecord(0).Message, (await db.AuditEvents.SingleAsync()).Message);
    }

    private static AuditChainVerifier CreateVerifier(PortalDbContextFactory factory) => new(factory);

    private sealed class RecordingProgress : IProgress<AuditVerificationProgress>
    {
        public List<AuditVerificationProgress> Reports { get; } = [];

        public void Report(AuditVerificationProgress value) => Reports.Add(value);
    }
}

[Collection(PostgresTests.Name)]
public sealed class PostgresAuditChainVerifierTests(PostgresServer server) : AuditChainVerifierTests(server);

public sealed class SqliteAuditChainVerifierTests(SqliteDatabases server) : AuditChainVerifierTests(server), IClassFixture<SqliteDatabases>;
