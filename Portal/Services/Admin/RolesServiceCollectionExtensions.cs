namespace Portal.Services.Admin;

/// <summary>Registers the administrator role services.</summary>
public static class RolesServiceCollectionExtensions
{
    /// <summary>Adds <see cref="RolesAdminService"/> (stateless over the singleton IamDirectory and PolicySource).</summary>
    public static IServiceCollection AddPortalAdminRoles(this IServiceCollection services)
    {
        services.AddSingleton<RolesAdminService>();
        services.AddSingleton<HighRiskConfirmation>();
        return services;
    }
}
