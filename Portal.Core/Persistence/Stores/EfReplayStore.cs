using Microsoft.EntityFrameworkCore;
using Portal.Core.Persistence.Entities;

namespace Portal.Core.Persistence.Stores;

/// <summary>The <see cref="IReplayStore"/> over the <c>ReplayEntries</c> table.</summary>
public sealed class EfReplayStore : IReplayStore
{
    private readonly IDbContextFactory<PortalDbContext> _dbFactory;

    /// <summary>Creates the store.</summary>
    public EfReplayStore(IDbContextFactory<PortalDbContext> dbFactory)
    {
        ArgumentNullException.ThrowIfNull(dbFactory);
        _dbFactory = dbFactory;
    }

    /// <inheritdoc />
    public async Task<bool> TryMarkUsedAsync(string key, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        await using var db = _dbFactory.CreateDbContext();
        db.ReplayEntries.Add(new ReplayEntryEntity { Key = key, ExpiresAt = expiresAt });
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (DbUpdateException ex) when (UniqueViolation.Matches(ex))
        {
            // Note: an expired marker that was not purged yet still refuses the key; the guarded thing has expired too.
            return false;
        }
    }

    /// <inheritdoc />
    public async Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var db = _dbFactory.CreateDbContext();
        return await db.ReplayEntries.Where(e => e.ExpiresAt <= now).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
    }
}
