using Microsoft.EntityFrameworkCore;
using Portal.Core.Credentials;
using Portal.Core.Persistence.Entities;

namespace Portal.Core.Persistence.Stores;

/// <summary>The <see cref="ITokenKeyStore"/> over the <c>TokenKeys</c> table.</summary>
public sealed class EfTokenKeyStore : ITokenKeyStore
{
    private readonly IDbContextFactory<PortalDbContext> _dbFactory;

    /// <summary>Creates the store.</summary>
    public EfTokenKeyStore(IDbContextFactory<PortalDbContext> dbFactory)
    {
        ArgumentNullException.ThrowIfNull(dbFactory);
        _dbFactory = dbFactory;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<TokenKeyRecord>> LoadAllAsync(CancellationToken cancellationToken)
    {
        await using var db = _dbFactory.CreateDbContext();
        return await db.TokenKeys.AsNoTracking()
            .OrderBy(k => k.KeyId)
            .Select(k => new TokenKeyRecord(k.KeyId, k.WrappedKey, k.CreatedAt, k.ActivatedAt, k.RetiredAt))
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<bool> TryAddAsync(TokenKeyRecord key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        await using var db = _dbFactory.CreateDbContext();
        db.TokenKeys.Add(new TokenKeyEntity
        {
            KeyId = key.KeyId,
            WrappedKey = [.. key.WrappedKey],
            CreatedAt = key.CreatedAt,
            ActivatedAt = key.ActivatedAt,
            RetiredAt = key.RetiredAt,
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (DbUpdateException ex) when (UniqueViolation.Matches(ex))
        {
            // Two nodes generated a key with the same id at once; the ring reloads and uses the winner's.
            return false;
        }
    }

    /// <inheritdoc />
    public async Task UpdateRetiredAtAsync(string keyId, DateTimeOffset retiredAt, CancellationToken cancellationToken)
    {
        await using var db = _dbFactory.CreateDbContext();
        await db.TokenKeys.Where(k => k.KeyId == keyId)
            .ExecuteUpdateAsync(s => s.SetProperty(k => k.RetiredAt, retiredAt), cancellationToken)
            .ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task DeleteAsync(string keyId, CancellationToken cancellationToken)
    {
        await using var db = _dbFactory.CreateDbContext();
        await db.TokenKeys.Where(k => k.KeyId == keyId).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
    }
}
