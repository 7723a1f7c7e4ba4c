using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Federation.Oidc;
using Portal.Core.Persistence;

namespace Portal.Authentication.Oidc;

/// <summary>
/// The registered OIDC providers of an account, read from the database for AssumeRoleWithWebIdentity. It never
/// contacts an issuer (SECURITY-CASES 75): an unregistered issuer is simply not found.
/// </summary>
public sealed class DbOidcProviderSource : IOidcProviderSource
{
    private readonly IDbContextFactory<PortalDbContext> _dbFactory;
    private readonly ILogger _logger;

    /// <summary>Creates the source.</summary>
    public DbOidcProviderSource(IDbContextFactory<PortalDbContext> dbFactory, ILogger<DbOidcProviderSource> logger)
    {
        ArgumentNullException.ThrowIfNull(dbFactory);
        ArgumentNullException.ThrowIfNull(logger);
        _dbFactory = dbFactory;
        _logger = logger;
    }

    /// <inheritdoc />
    public async Task<OidcProviderConfig?> FindByIssuerAsync(string accountId, string issuer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accountId);
        ArgumentNullException.ThrowIfNull(issuer);
        var db = await _dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            // Both databases compare Name case-sensitively, which is the exact issuer match OIDC Core §3.1.3.7 asks for.
            var entity = await db.IdentityProviders.AsNoTracking()
                .Where(p => p.AccountId == accountId && p.Kind == "OIDC" && p.Name == issuer)
                .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
            return entity is null ? null : ToConfig(entity.Arn, entity.Name, entity.ClientIdsJson, entity.ThumbprintsJson, entity.SettingsJson);
        }
    }

    private OidcProviderConfig? ToConfig(string arn, string issuer, string clientIdsJson, string thumbprintsJson, string settingsJson)
    {
        var settings = OidcSignInSettingsCodec.Read(settingsJson);
        List<string>? clientIds;
        List<string>? thumbprints;
        try
        {
            clientIds = JsonSerializer.Deserialize<List<string>>(clientIdsJson);
            thumbprints = JsonSerializer.Deserialize<List<string>>(thumbprintsJson);
        }
        catch (JsonException)
        {
            clientIds = thumbprints = null;
        }

        if (settings is null || clientIds is null || thumbprints is null)
        {
            OidcSignInLog.ProviderUnusable(_logger, arn, "its stored JSON cannot be read");
            return null;
        }

        var config = new OidcProviderConfig
        {
            ProviderArn = arn,
            Issuer = issuer,
            ClientIds = clientIds,
            Thumbprints = thumbprints,
            GroupsClaim = string.IsNullOrWhiteSpace(settings.GroupsClaim) ? "groups" : settings.GroupsClaim,
            TrustMfa = settings.TrustMfa,

            // Development IdPs on this machine only: OidcKeySource then accepts http and a loopback jwks_uri for this
            // provider, and the outbound handler still refuses loopback for any name that is not itself loopback.
            AllowHttpOnLoopback = Uri.TryCreate(issuer, UriKind.Absolute, out var uri) && uri.IsLoopback,
        };

        try
        {
            config.Validate();
        }
        catch (ArgumentException e)
        {
            // A record the IAM layer should never have stored: refuse its tokens rather than fail the request.
            OidcSignInLog.ProviderUnusable(_logger, arn, e.Message);
            return null;
        }

        return config;
    }
}
