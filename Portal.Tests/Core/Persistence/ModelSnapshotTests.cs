using Microsoft.EntityFrameworkCore;
using Portal.Core.Persistence;

namespace Portal.Tests.Core.Persistence;

public class ModelSnapshotTests
{
    public static TheoryData<StorageProvider> Providers => new() { StorageProvider.Sqlite, StorageProvider.PostgreSql };

    /// <summary>Fails when an entity or configuration changed without a new migration (see DesignTimeFactories.cs).</summary>
    [Theory]
    [MemberData(nameof(Providers))]
    public void HasPendingModelChanges_CurrentModel_ReturnsFalse(StorageProvider provider)
    {
        // Arrange
        using DbContext db = provider == StorageProvider.Sqlite
            ? new SqliteDesignTimeFactory().CreateDbContext([])
            : new PostgresDesignTimeFactory().CreateDbContext([]);

        // Act
        var pending = db.Database.HasPendingModelChanges();

        // Assert
        Assert.False(pending, $"The {provider} model has changes no migration captures; add one for both providers.");
    }
}
