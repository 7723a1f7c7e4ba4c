using Microsoft.EntityFrameworkCore;
using Portal.Core.Credentials;
using Portal.Core.Persistence.Entities;

namespace Portal.Core.Persistence.Stores;

/// <summary>The <see cref="IRevocationStore"/> over the <c>Revocations</c> table, shared by all nodes.</summary>
public sealed class EfRevocationStore : IRevocationStore
{
    private readonly IDbContextFactory<PortalDbContext> _dbFactory;

    /// <summary>Creates the store.</summary>
    public EfRevocationStore(IDbContextFactory<PortalDbContext> dbFactory)
    {
        ArgumentNullException.ThrowIfNull(dbFactory);
        _dbFactory = dbFactory;
    }

    /// <inheritdoc />
    public async Task AddAsync(RevocationEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using var db = _dbFactory.CreateDbContext();
        db.Revocations.Add(new RevocationEntity
        {
            Kind = entry.Kind,
            Target = entry.Target,
            IssuedBefore = entry.IssuedBefore,
            CreatedAt = entry.CreatedAt,
            ExpiresAt = entry.ExpiresAt,
        });
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<RevocationEntry>> ListActiveAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var db = _dbFactory.CreateDbContext();
        return await db.Revocations.AsNoTracking()
            .Where(e => e.ExpiresAt > now)
            .OrderBy(e => e.Id)
            .Select(e => new RevocationEntry(e.Kind, e.Target, e.IssuedBefore, e.CreatedAt, e.ExpiresAt))
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var db = _dbFactory.CreateDbContext();
        return await db.Revocations.Where(e => e.ExpiresAt <= now).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
    }
}
