using Portal.Core.Persistence;

namespace Portal.Tests.TestSupport;

/// <summary>
/// Base of provider-agnostic persistence tests: <see cref="Db"/> is the test class's migrated database (shared by its
/// tests, so each test uses its own keys); <see cref="Server"/> makes fresh ones where a test needs an empty table.
/// </summary>
public abstract class DatabaseTest(ITestDatabaseServer server) : IAsyncLifetime
{
    /// <summary>The provider's database server.</summary>
    protected ITestDatabaseServer Server { get; } = server;

    /// <summary>The test class's migrated database.</summary>
    protected PortalDbContextFactory Db { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync() => Db = await Server.GetSharedDatabaseAsync(GetType().FullName!);

    /// <inheritdoc />
    public Task DisposeAsync() => Task.CompletedTask;
}
