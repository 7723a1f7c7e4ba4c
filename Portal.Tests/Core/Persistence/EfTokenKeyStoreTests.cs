using Portal.Core.Credentials;
using Portal.Core.Persistence.Stores;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Core.Persistence;

public abstract class EfTokenKeyStoreTests(ITestDatabaseServer server) : DatabaseTest(server)
{
    private static readonly DateTimeOffset Now = new(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task TryAddAsync_NewKey_ReturnsTrueAndRoundTrips()
    {
        // Arrange
        var store = new EfTokenKeyStore(Db);
        var key = CreateKey();

        // Act
        var added = await store.TryAddAsync(key, CancellationToken.None);

        // Assert
        Assert.True(added);
        var loaded = Assert.Single(await store.LoadAllAsync(CancellationToken.None), k => k.KeyId == key.KeyId);
        Assert.Equal(key.WrappedKey, loaded.WrappedKey);
        Assert.Equal((key.CreatedAt, key.ActivatedAt, key.RetiredAt), (loaded.CreatedAt, loaded.ActivatedAt, loaded.RetiredAt));
    }

    [Fact]
    public async Task TryAddAsync_DuplicateKeyId_ReturnsFalseAndKeepsTheFirst()
    {
        // Arrange
        var store = new EfTokenKeyStore(Db);
        var first = CreateKey();
        await store.TryAddAsync(first, CancellationToken.None);

        // Act
        var added = await store.TryAddAsync(first with { WrappedKey = [9, 9, 9] }, CancellationToken.None);

        // Assert
        Assert.False(added);
        var loaded = Assert.Single(await store.LoadAllAsync(CancellationToken.None), k => k.KeyId == first.KeyId);
        Assert.Equal(first.WrappedKey, loaded.WrappedKey);
    }

    [Fact]
    public async Task UpdateRetiredAtAsync_ExistingKey_SetsRetiredAt()
    {
        // Arrange
        var store = new EfTokenKeyStore(Db);
        var key = CreateKey();
        await store.TryAddAsync(key, CancellationToken.None);

        // Act
        await store.UpdateRetiredAtAsync(key.KeyId, Now.AddDays(1), CancellationToken.None);

        // Assert
        var loaded = Assert.Single(await store.LoadAllAsync(CancellationToken.None), k => k.KeyId == key.KeyId);
        Assert.Equal(Now.AddDays(1), loaded.RetiredAt);
    }

    [Fact]
    public async Task UpdateRetiredAtAsync_MissingKey_DoesNothing()
    {
        // Arrange
        var store = new EfTokenKeyStore(Db);
        var missing = CreateKey().KeyId;

        // Act
        await store.UpdateRetiredAtAsync(missing, Now, CancellationToken.None);

        // Assert
        Assert.DoesNotContain(await store.LoadAllAsync(CancellationToken.None), k => k.KeyId == missing);
    }

    [Fact]
    public async Task DeleteAsync_ExistingKey_RemovesOnlyThatKey()
    {
        // Arrange
        var store = new EfTokenKeyStore(Db);
        var doomed = CreateKey();
        var kept = CreateKey();
        await store.TryAddAsync(doomed, CancellationToken.None);
        await store.TryAddAsync(kept, CancellationToken.None);

        // Act
        await store.DeleteAsync(doomed.KeyId, CancellationToken.None);
        await store.DeleteAsync(doomed.KeyId, CancellationToken.None);

        // Assert
        var ids = (await store.LoadAllAsync(CancellationToken.None)).Select(k => k.KeyId).ToList();
        Assert.DoesNotContain(doomed.KeyId, ids);
        Assert.Contains(kept.KeyId, ids);
    }

    private static TokenKeyRecord CreateKey() =>
        new(Guid.NewGuid().ToString("N")[..16], [1, 2, 3, 4, 5, 6, 7, 8], Now, Now.AddMinutes(5), null);
}

[Collection(PostgresTests.Name)]
public sealed class PostgresEfTokenKeyStoreTests(PostgresServer server) : EfTokenKeyStoreTests(server);

public sealed class SqliteEfTokenKeyStoreTests(SqliteDatabases server) : EfTokenKeyStoreTests(server), IClassFixture<SqliteDatabases>;
