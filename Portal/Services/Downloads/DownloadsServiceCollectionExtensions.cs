using Portal.Core.Downloads;

namespace Portal.Services.Downloads;

/// <summary>Registers customer downloads (README "Customer downloads").</summary>
public static class DownloadsServiceCollectionExtensions
{
    /// <summary>Adds the profile store, the download service and their application services (singletons, unit of work per call).</summary>
    public static IServiceCollection AddPortalDownloads(this IServiceCollection services)
    {
        services.AddOptions<CustomerDownloadOptions>().BindConfiguration(CustomerDownloadOptions.SectionName);
        services.AddSingleton<FederationProfileStore>();
        services.AddSingleton<CustomerDownloads>();
        services.AddSingleton<DownloadPeople>();
        services.AddSingleton<FederationProfilesAdminService>();
        services.AddSingleton<CustomerDownloadsService>();
        return services;
    }
}
