using Portal.Core.Federation.Saml;

namespace Portal.Services.Admin;

/// <summary>Registers the administrator identity-provider services.</summary>
public static class ProvidersServiceCollectionExtensions
{
    /// <summary>Configuration section of <see cref="SamlMetadataFetchOptions"/>.</summary>
    public const string MetadataFetchSection = "Saml2:MetadataFetch";

    /// <summary>
    /// Adds <see cref="ProvidersAdminService"/> (stateless over the singleton IamDirectory and the OIDC codec) and the
    /// metadata fetcher, whose internal-address allowance comes from <see cref="MetadataFetchSection"/>.
    /// </summary>
    public static IServiceCollection AddPortalAdminProviders(this IServiceCollection services)
    {
        services.AddOptions<SamlMetadataFetchOptions>().BindConfiguration(MetadataFetchSection);
        services.AddSingleton<SamlMetadataFetcher>();
        services.AddSingleton<ProvidersAdminService>();
        return services;
    }
}
