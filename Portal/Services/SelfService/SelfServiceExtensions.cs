namespace Portal.Services.SelfService;

/// <summary>Registers the "My roles" / "My sessions" / "MFA" application services.</summary>
public static class SelfServiceExtensions
{
    /// <summary>Adds the self-service application services (singletons: each creates its own unit of work per call).</summary>
    public static IServiceCollection AddPortalSelfService(this IServiceCollection services)
    {
        services.AddSingleton<PortalPersonResolver>();
        services.AddSingleton<RoleCatalogService>();
        services.AddSingleton<CredentialIssuanceService>();
        services.AddSingleton<SessionsService>();
        services.AddSingleton<ConsoleLinkService>();
        services.AddSingleton<MfaSelfService>();
        return services;
    }
}
