using Portal.Core.Persistence;

namespace Portal.Tests.TestSupport;

/// <summary>Hands out real, isolated Portal databases of one provider for persistence tests.</summary>
public interface ITestDatabaseServer
{
    /// <summary>The provider the databases use.</summary>
    StorageProvider Provider { get; }

    /// <summary>A new empty database; migrated unless <paramref name="migrate"/> is false.</summary>
    Task<PortalDbContextFactory> CreateDatabaseAsync(bool migrate = true);

    /// <summary>One migrated database per <paramref name="owner"/> (a test class), created on first use.</summary>
    Task<PortalDbContextFactory> GetSharedDatabaseAsync(string owner);
}
