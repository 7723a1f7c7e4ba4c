using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Portal.Core.Audit;
using Portal.Core.Credentials;
using Portal.Core.Federation;
using Portal.Core.Iam;
using Portal.Core.Mfa;
using Portal.Core.Persistence;
using Portal.Core.Persistence.Stores;
using Portal.Core.Sts;

namespace Portal.Core;

/// <summary>Registers the issuance engine and everything it needs.</summary>
public static class PortalCoreServiceCollectionExtensions
{
    /// <summary>
    /// Adds the engine: storage (SQLite by default, PostgreSQL by <c>Storage:Provider</c>), the master key and key ring,
    /// sealed session tokens, revocation, MFA, audit, the IAM directory and <see cref="StsEngine"/>. Relative paths in
    /// <c>Storage:DataDirectory</c> are resolved against <paramref name="contentRoot"/>.
    /// </summary>
    public static IServiceCollection AddPortalCore(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        var storage = configuration.GetSection(StorageOptions.SectionName).Get<StorageOptions>() ?? new StorageOptions();
        if (!Path.IsPathRooted(storage.DataDirectory))
        {
            storage.DataDirectory = Path.GetFullPath(Path.Combine(contentRoot, storage.DataDirectory));
        }

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(storage);
        services.AddSingleton<PortalDbContextFactory>();
        services.AddSingleton<IDbContextFactory<PortalDbContext>>(sp => sp.GetRequiredService<PortalDbContextFactory>());

        services.AddSingleton<IMasterKeySource>(_ => new MasterKeyProvider(configuration, storage.DataDirectory));
        services.AddSingleton<ISecretProtector>(sp => new SecretProtector(sp.GetRequiredService<IMasterKeySource>()));
        services.AddOptions<TokenKeyRingOptions>().BindConfiguration("Security:TokenKeys");
        services.AddOptions<RevocationListOptions>().BindConfiguration("Security:Revocation");
        services.AddOptions<MfaOptions>().BindConfiguration(MfaOptions.SectionName);

        services.AddSingleton<ITokenKeyStore, EfTokenKeyStore>();
        services.AddSingleton<IRevocationStore, EfRevocationStore>();
        services.AddSingleton<IMfaDeviceStore, EfMfaDeviceStore>();
        services.AddSingleton<IReplayStore, EfReplayStore>();
        services.AddSingleton<IMfaSecretCodec>(sp => new ProtectedMfaSecretCodec(new SecretProtector(sp.GetRequiredService<IMasterKeySource>(), ProtectedMfaSecretCodec.Purpose)));

        services.AddSingleton<TokenKeyRing>();
        services.AddSingleton<SessionTokenSealer>();
        services.AddSingleton<RevocationList>();
        services.AddSingleton<SessionCredentialVerifier>();
        services.AddSingleton<MfaService>();
        services.AddSingleton<IamDirectory>();
        services.AddSingleton<PolicySource>();
        services.AddOptions<AuditOptions>().BindConfiguration(AuditOptions.SectionName);
        services.AddSingleton<GroupCommitAuditWriter>();
        services.AddSingleton<AuditChainVerifier>();
        services.AddSingleton<IAuditSink>(sp => sp.GetRequiredService<GroupCommitAuditWriter>());
        services.AddSingleton<AuthorizationMessageCodec>();
        services.AddSingleton<StsEngine>();

        // The validators are registered by the sign-in layer; until a provider is configured, every assertion is refused.
        services.TryAddSingleton<ISamlAssertionValidator, NoSamlProviders>();
        services.TryAddSingleton<IWebIdentityTokenValidator, NoOidcProviders>();
        return services;
    }

    /// <summary>
    /// Brings the engine to a usable state at start-up: applies migrations (SQLite also switches to WAL), loads or
    /// creates the token key ring (failing loudly on a corrupted key, SECURITY-CASES 94d) and loads the revocation list.
    /// </summary>
    public static async Task InitializePortalCoreAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        await services.GetRequiredService<PortalDbContextFactory>().MigrateAsync(cancellationToken).ConfigureAwait(false);
        await services.GetRequiredService<TokenKeyRing>().EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        await services.GetRequiredService<RevocationList>().RefreshAsync(cancellationToken).ConfigureAwait(false);
    }
}
