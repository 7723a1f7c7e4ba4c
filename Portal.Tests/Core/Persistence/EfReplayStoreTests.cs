using Microsoft.EntityFrameworkCore;
using Portal.Core.Persistence.Entities;
using Portal.Core.Persistence.Stores;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Core.Persistence;

public abstract class EfReplayStoreTests(ITestDatabaseServer server) : DatabaseTest(server)
{
    private static readonly DateTimeOffset Now = new(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task TryMarkUsedAsync_NewKey_ReturnsTrue()
    {
        // Arrange
        var store = new EfReplayStore(Db);

        // Act
        var marked = await store.TryMarkUsedAsync(NewKey(), Now.AddMinutes(5));

        // Assert
        Assert.True(marked);
    }

    [Fact]
    public async Task TryMarkUsedAsync_SameKeyTwice_ReturnsFalseTheSecondTime()
    {
        // Arrange
        var store = new EfReplayStore(Db);
        var key = NewKey();
        await store.TryMarkUsedAsync(key, Now.AddMinutes(5));

        // Act
        var replayed = await store.TryMarkUsedAsync(key, Now.AddMinutes(10));

        // Assert
        Assert.False(replayed);
    }

    [Fact]
    public async Task TryMarkUsedAsync_TwentyConcurrentUsesOfOneKey_ExactlyOneWins()
    {
        // Arrange
        var store = new EfReplayStore(Db);
        var key = NewKey();

        // Act
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => store.TryMarkUsedAsync(key, Now.AddMinutes(5)))));

        // Assert
        Assert.Single(results, r => r);
    }

    [Fact]
    public async Task PurgeExpiredAsync_Mixed_DeletesAtOrBeforeNowAndFreesTheKey()
    {
        // Arrange
        var store = new EfReplayStore(await Server.CreateDatabaseAsync());
        await store.TryMarkUsedAsync("saml-assertion:expired", Now.AddSeconds(-1));
        await store.TryMarkUsedAsync("saml-assertion:boundary", Now);
        await store.TryMarkUsedAsync("saml-assertion:live", Now.AddSeconds(1));

        // Act
        var purged = await store.PurgeExpiredAsync(Now);

        // Assert
        Assert.Equal(2, purged);
        Assert.False(await store.TryMarkUsedAsync("saml-assertion:live", Now.AddMinutes(1)));
        Assert.True(await store.TryMarkUsedAsync("saml-assertion:expired", Now.AddMinutes(1)));
    }

    [Fact]
    public async Task UniqueViolationMatches_ForeignKeyViolation_ReturnsFalse()
    {
        // Arrange: a recovery code for a device that does not exist breaks a foreign key, not a unique key.
        await using var db = Db.CreateDbContext();
        db.MfaRecoveryCodes.Add(new MfaRecoveryCodeEntity { Id = Guid.NewGuid(), SerialNumber = NewKey(), Salt = [1], Hash = [2] });

        // Act
        var ex = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());

        // Assert
        Assert.False(UniqueViolation.Matches(ex));
    }

    [Fact]
    public async Task UniqueViolationMatches_DuplicatePrimaryKey_ReturnsTrue()
    {
        // Arrange
        var key = NewKey();
        await using (var first = Db.CreateDbContext())
        {
            first.ReplayEntries.Add(new ReplayEntryEntity { Key = key, ExpiresAt = Now });
            await first.SaveChangesAsync();
        }

        await using var db = Db.CreateDbContext();
        db.ReplayEntries.Add(new ReplayEntryEntity { Key = key, ExpiresAt = Now });

        // Act
        var ex = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());

        // Assert
        Assert.True(UniqueViolation.Matches(ex));
    }

    private static string NewKey() => "signin-token:" + Guid.NewGuid().ToString("N");
}

[Collection(PostgresTests.Name)]
public sealed class PostgresEfReplayStoreTests(PostgresServer server) : EfReplayStoreTests(server);

public sealed class SqliteEfReplayStoreTests(SqliteDatabases server) : EfReplayStoreTests(server), IClassFixture<SqliteDatabases>;
