namespace Portal.Services.Admin;

/// <summary>Registers the administrator identity-provider services.</summary>
public static class ProvidersServiceCollectionExtensions
{
    /// <summary>Adds <see cref="ProvidersAdminService"/> (stateless over the singleton IamDirectory and the OIDC codec).</summary>
    public static IServiceCollection AddPortalAdminProviders(this IServiceCollection services)
    {
        services.AddSingleton<ProvidersAdminService>();
        return services;
    }
}
