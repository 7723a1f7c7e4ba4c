using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Federation.Saml;
using Portal.Core.Persistence;

namespace Portal.Authentication.Saml2;

/// <summary>
/// Used assertion IDs in the shared database (SAML Profiles §4.1.4.5, SECURITY-CASES 51c/d): the replay store's primary
/// key decides, so a replay is refused after a restart and on every other node. The key is hashed to a fixed length.
/// </summary>
public sealed class ReplayStoreSamlReplayCache : ISamlReplayCache
{
    private readonly IReplayStore _store;

    /// <summary>Creates the cache.</summary>
    public ReplayStoreSamlReplayCache(IReplayStore store) => _store = store;

    /// <inheritdoc />
    public Task<bool> TryUseAsync(string assertionId, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(assertionId);
        var key = "saml:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(assertionId)));
        return _store.TryMarkUsedAsync(key, expiresAt, cancellationToken);
    }
}

/// <summary>The SAML providers of AssumeRoleWithSAML, read from the database on each call so changes apply at once.</summary>
public sealed class DbSamlProviderSource : ISamlProviderSource
{
    private readonly IDbContextFactory<PortalDbContext> _dbFactory;

    /// <summary>Creates the source.</summary>
    public DbSamlProviderSource(IDbContextFactory<PortalDbContext> dbFactory) => _dbFactory = dbFactory;

    /// <inheritdoc />
    public async Task<SamlIdentityProvider?> FindByArnAsync(string providerArn, CancellationToken cancellationToken)
    {
        await using var db = await _dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var entity = await db.IdentityProviders.AsNoTracking()
            .FirstOrDefaultAsync(p => p.Arn == providerArn && p.Kind == "SAML", cancellationToken).ConfigureAwait(false);
        return entity is not null && SamlProviderRegistration.TryCreate(entity, out var registration, out _) ? registration.IdentityProvider : null;
    }
}
