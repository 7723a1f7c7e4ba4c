using Portal.Core.Credentials;
using Portal.Core.Persistence.Stores;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Core.Persistence;

public abstract class EfRevocationStoreTests(ITestDatabaseServer server) : DatabaseTest(server)
{
    private static readonly DateTimeOffset Now = new(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);

    public static TheoryData<RevocationKind, DateTimeOffset?> Entries => new()
    {
        { RevocationKind.Session, null },
        { RevocationKind.Principal, Now },
        { RevocationKind.RoleIssuedBefore, Now.AddMinutes(-3) },
    };

    [Theory]
    [MemberData(nameof(Entries))]
    public async Task AddAsync_Entry_IsListedUnchanged(RevocationKind kind, DateTimeOffset? issuedBefore)
    {
        // Arrange
        var store = new EfRevocationStore(await Server.CreateDatabaseAsync());
        var entry = new RevocationEntry(kind, "arn:aws:iam::123456789012:role/ops/Admin", issuedBefore, Now, Now.AddHours(1));

        // Act
        await store.AddAsync(entry, CancellationToken.None);

        // Assert
        Assert.Equal(entry, Assert.Single(await store.ListActiveAsync(Now, CancellationToken.None)));
    }

    [Fact]
    public async Task ListActiveAsync_ExpiredAtOrBeforeNow_IsNotListed()
    {
        // Arrange
        var store = new EfRevocationStore(await Server.CreateDatabaseAsync());
        await store.AddAsync(CreateEntry("expired", Now.AddTicks(-10)), CancellationToken.None);
        await store.AddAsync(CreateEntry("boundary", Now), CancellationToken.None);
        await store.AddAsync(CreateEntry("active", Now.AddSeconds(1)), CancellationToken.None);

        // Act
        var active = await store.ListActiveAsync(Now, CancellationToken.None);

        // Assert
        Assert.Equal("active", Assert.Single(active).Target);
    }

    [Fact]
    public async Task PurgeExpiredAsync_Mixed_DeletesExpiredOnlyAndCountsThem()
    {
        // Arrange
        var store = new EfRevocationStore(await Server.CreateDatabaseAsync());
        await store.AddAsync(CreateEntry("expired", Now.AddMinutes(-1)), CancellationToken.None);
        await store.AddAsync(CreateEntry("boundary", Now), CancellationToken.None);
        await store.AddAsync(CreateEntry("active", Now.AddMinutes(1)), CancellationToken.None);

        // Act
        var purged = await store.PurgeExpiredAsync(Now, CancellationToken.None);

        // Assert
        Assert.Equal(2, purged);
        Assert.Equal("active", Assert.Single(await store.ListActiveAsync(Now.AddYears(-1), CancellationToken.None)).Target);
    }

    private static RevocationEntry CreateEntry(string target, DateTimeOffset expiresAt) =>
        new(RevocationKind.Session, target, null, Now.AddHours(-1), expiresAt);
}

[Collection(PostgresTests.Name)]
public sealed class PostgresEfRevocationStoreTests(PostgresServer server) : EfRevocationStoreTests(server);

public sealed class SqliteEfRevocationStoreTests(SqliteDatabases server) : EfRevocationStoreTests(server), IClassFixture<SqliteDatabases>
{
    [Fact]
    public async Task ListActiveAsync_ExpiryWithNonUtcOffset_ComparesInstantsNotWallClocks()
    {
        // Arrange: 13:30+05:00 is 08:30Z, before 12:00Z, although its wall-clock reading is later (SQLite stores UTC ticks).
        var now = new DateTimeOffset(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);
        var store = new EfRevocationStore(await Server.CreateDatabaseAsync());
        var expiresAt = new DateTimeOffset(2026, 5, 1, 13, 30, 0, TimeSpan.FromHours(5));
        await store.AddAsync(new RevocationEntry(RevocationKind.Session, "s", null, now.AddHours(-8), expiresAt), CancellationToken.None);

        // Act
        var active = await store.ListActiveAsync(now, CancellationToken.None);

        // Assert
        Assert.Empty(active);
    }
}
