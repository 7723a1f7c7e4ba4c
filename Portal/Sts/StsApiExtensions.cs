using Portal.Core.Signing;

namespace Portal.Sts;

/// <summary>Registration of the AWS Query API.</summary>
public static class StsApiExtensions
{
    /// <summary>Adds the API services.</summary>
    public static IServiceCollection AddStsApi(this IServiceCollection services)
    {
        services.AddOptions<StsApiOptions>().BindConfiguration(StsApiOptions.SectionName);
        services.AddSingleton<ISigningSecretResolver, PortalSigningSecretResolver>();
        services.AddSingleton<SigV4Verifier>();
        services.AddSingleton<AccessKeyRateLimiter>();
        services.AddSingleton<IamApi>();
        services.AddSingleton<StsApi>();
        return services;
    }

    /// <summary>
    /// Answers the API on the portal's own origin: <c>POST /</c>, and <c>GET /</c> with Action or X-Amz-Algorithm in the
    /// query (presigned requests). Every other request continues to the UI.
    /// </summary>
    public static IApplicationBuilder UseStsApi(this IApplicationBuilder app) =>
        app.Use(async (http, next) =>
        {
            if (StsApi.IsApiRequest(http.Request))
            {
                await http.RequestServices.GetRequiredService<StsApi>().HandleAsync(http).ConfigureAwait(false);
                return;
            }

            await next(http).ConfigureAwait(false);
        });
}
