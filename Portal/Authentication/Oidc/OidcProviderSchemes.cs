using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Core.Persistence;

namespace Portal.Authentication.Oidc;

/// <summary>
/// Keeps one OpenID Connect authentication scheme per OIDC provider that is enabled for portal sign-in, named
/// <c>oidc:HOST[/PATH]</c>, in step with the database.
/// </summary>
/// <remarks>
/// Call <see cref="SyncAsync"/> after any change to an OIDC provider record (register, delete, change of client id,
/// secret, groups claim or MFA trust): it adds new schemes, removes deleted ones and drops the cached options of
/// changed ones, so the next request builds them from the new record. The host calls it once at start-up. On several
/// nodes, each node must be told (or restarted): there is no cross-node signal. When two accounts register the same
/// issuer for sign-in, the older registration keeps the scheme and the newer is skipped with a warning, so a later
/// registration can never take over an existing provider's sign-ins.
/// </remarks>
public sealed class OidcProviderSchemes : IDisposable
{
    private readonly IDbContextFactory<PortalDbContext> _dbFactory;
    private readonly IAuthenticationSchemeProvider _schemes;
    private readonly IOptionsMonitorCache<OpenIdConnectOptions> _optionsCache;
    private readonly OidcSignInSettingsCodec _codec;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile Snapshot _current = Snapshot.Empty;

    /// <summary>Creates the synchroniser.</summary>
    public OidcProviderSchemes(
        IDbContextFactory<PortalDbContext> dbFactory,
        IAuthenticationSchemeProvider schemes,
        IOptionsMonitorCache<OpenIdConnectOptions> optionsCache,
        OidcSignInSettingsCodec codec,
        ILogger<OidcProviderSchemes> logger)
    {
        _dbFactory = dbFactory;
        _schemes = schemes;
        _optionsCache = optionsCache;
        _codec = codec;
        _logger = logger;
    }

    /// <summary>The providers that currently have a scheme, oldest registration first.</summary>
    public IReadOnlyList<OidcSignInProvider> Providers => _current.Ordered;

    /// <summary>The provider of a scheme name, or null.</summary>
    public OidcSignInProvider? FindByScheme(string schemeName) =>
        schemeName is not null && _current.ByScheme.TryGetValue(schemeName, out var provider) ? provider : null;

    /// <summary>The provider whose <see cref="OidcSignInProvider.Key"/> is <paramref name="key"/>, or null.</summary>
    public OidcSignInProvider? FindByKey(string key) =>
        key is not null && _current.ByKey.TryGetValue(key, out var provider) ? provider : null;

    /// <inheritdoc />
    public void Dispose() => _gate.Dispose();

    /// <summary>Reads the OIDC providers from the database and adds, updates and removes schemes to match.</summary>
    public async Task SyncAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var desired = await LoadAsync(cancellationToken).ConfigureAwait(false);
            var previous = _current;
            var removed = previous.ByScheme.Keys.Where(name => !desired.ByScheme.ContainsKey(name)).ToList();
            var updated = desired.Ordered.Where(p => previous.ByScheme.TryGetValue(p.SchemeName, out var old) && old != p).ToList();
            var added = desired.Ordered.Where(p => !previous.ByScheme.ContainsKey(p.SchemeName)).ToList();

            // Schemes go first, so no request finds a scheme whose provider is no longer known.
            foreach (var name in removed)
            {
                _schemes.RemoveScheme(name);
            }

            _current = desired;
            foreach (var name in removed.Concat(updated.Select(p => p.SchemeName)).Concat(added.Select(p => p.SchemeName)))
            {
                _optionsCache.TryRemove(name);
            }

            foreach (var provider in added)
            {
                if (!_schemes.TryAddScheme(new AuthenticationScheme(provider.SchemeName, provider.DisplayName, typeof(OpenIdConnectHandler))))
                {
                    OidcSignInLog.ProviderSkipped(_logger, provider.ProviderArn, "another scheme already has the name " + provider.SchemeName);
                }
            }

            OidcSignInLog.Synchronised(_logger, added.Count, updated.Count, removed.Count, desired.Ordered.Count);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<Snapshot> LoadAsync(CancellationToken cancellationToken)
    {
        var db = await _dbFactory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var entities = await db.IdentityProviders.AsNoTracking()
                .Where(p => p.Kind == "OIDC")
                .ToListAsync(cancellationToken).ConfigureAwait(false);

            var providers = new List<OidcSignInProvider>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var entity in entities.OrderBy(e => e.CreatedAt).ThenBy(e => e.Arn, StringComparer.Ordinal))
            {
                var settings = OidcSignInSettingsCodec.Read(entity.SettingsJson);
                if (settings is null)
                {
                    OidcSignInLog.ProviderSkipped(_logger, entity.Arn, "its sign-in settings are not valid JSON");
                    continue;
                }

                if (!settings.SignInEnabled)
                {
                    continue;
                }

                if (!Uri.TryCreate(entity.Name, UriKind.Absolute, out var issuer)
                    || (issuer.Scheme != Uri.UriSchemeHttps && !(issuer.Scheme == Uri.UriSchemeHttp && issuer.IsLoopback)))
                {
                    OidcSignInLog.ProviderSkipped(_logger, entity.Arn, "its issuer is not an https URL (http only on loopback)");
                    continue;
                }

                if (!_codec.TryUnprotectClientSecret(settings, out var secret))
                {
                    OidcSignInLog.ProviderSkipped(_logger, entity.Arn, "its client secret cannot be decrypted");
                    continue;
                }

                var schemeName = OidcSignInProvider.SchemeNameOf(entity.Name);
                if (!seen.Add(schemeName))
                {
                    OidcSignInLog.ProviderSkipped(_logger, entity.Arn, "an older registration of the same issuer has the scheme " + schemeName);
                    continue;
                }

                providers.Add(new OidcSignInProvider
                {
                    SchemeName = schemeName,
                    ProviderArn = entity.Arn,
                    AccountId = entity.AccountId,
                    Issuer = entity.Name,
                    DisplayName = string.IsNullOrWhiteSpace(settings.DisplayName) ? Core.Identity.Arn.OidcProviderName(entity.Name) : settings.DisplayName,
                    ClientId = settings.ClientId!,
                    ClientSecret = secret,
                    GroupsClaim = string.IsNullOrWhiteSpace(settings.GroupsClaim) ? null : settings.GroupsClaim,
                    TrustMfa = settings.TrustMfa,
                });
            }

            return new Snapshot(providers);
        }
    }

    private sealed class Snapshot
    {
        public static readonly Snapshot Empty = new([]);

        public Snapshot(IReadOnlyList<OidcSignInProvider> ordered)
        {
            Ordered = ordered;
            ByScheme = ordered.ToDictionary(p => p.SchemeName, StringComparer.Ordinal);
            ByKey = ordered.ToDictionary(p => p.Key, StringComparer.Ordinal);
        }

        public IReadOnlyList<OidcSignInProvider> Ordered { get; }

        public Dictionary<string, OidcSignInProvider> ByScheme { get; }

        public Dictionary<string, OidcSignInProvider> ByKey { get; }
    }
}
