using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Portal.Core.Credentials;
using Portal.Core.Federation;
using Portal.Authentication.Oidc;
using Portal.Core.Federation.Oidc;

// IDE0130 is suppressed on purpose: like the framework's Add/Map extensions, these live in the builder's namespace so
// Program.cs needs no extra using (Program.cs is a table of contents, STYLE H rule 4).
#pragma warning disable IDE0130
namespace Microsoft.AspNetCore.Builder;
#pragma warning restore IDE0130

/// <summary>Registers the portal's OIDC sign-in schemes and the AssumeRoleWithWebIdentity token validator.</summary>
public static class OidcSignInExtensions
{
    /// <summary>
    /// Adds: one OpenID Connect scheme per OIDC provider enabled for sign-in (kept in step by
    /// <see cref="OidcProviderSchemes.SyncAsync"/>, run at start-up), the outbound HTTP clients of
    /// <see cref="OidcOutboundRules"/>, and <see cref="WebIdentityTokenValidator"/> over the database's providers as the
    /// STS API's <see cref="IWebIdentityTokenValidator"/>. Settings: <c>Security:Oidc</c> (<see cref="OidcOptions"/>).
    /// </summary>
    public static WebApplicationBuilder AddPortalOidc(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<OidcOptions>().BindConfiguration("Security:Oidc").Validate(o =>
        {
            o.Validate();
            return true;
        });

        services.AddHttpClient(OidcSignInDefaults.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => OidcOutboundRules.CreateHandler(allowLoopbackNames: false));
        services.AddHttpClient(OidcSignInDefaults.LoopbackHttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => OidcOutboundRules.CreateHandler(allowLoopbackNames: true));

        services.AddSingleton(sp => new OidcSignInSettingsCodec(sp.GetRequiredService<IMasterKeySource>()));
        services.AddSingleton<OidcProviderSchemes>();
        services.AddSingleton<OidcSignInEvents>();
        services.AddSingleton<IConfigureOptions<OpenIdConnectOptions>, ConfigureOidcSchemeOptions>();

        // AddOpenIdConnect would register this; schemes added at runtime need it too (data protection, metadata manager).
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<OpenIdConnectOptions>, OpenIdConnectPostConfigureOptions>());
        services.AddHostedService<OidcSchemeStartup>();

        services.AddSingleton<IOidcProviderSource, DbOidcProviderSource>();
        services.AddSingleton(sp =>
        {
            var clients = sp.GetRequiredService<IHttpClientFactory>();

            // The loopback-capable client: OidcKeySource itself refuses a loopback jwks_uri unless the provider's issuer is loopback.
            return new OidcKeySource(
                () => clients.CreateClient(OidcSignInDefaults.LoopbackHttpClientName),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<IOptions<OidcOptions>>(),
                sp.GetRequiredService<ILogger<OidcKeySource>>());
        });

        // AddPortalCore registers a refuse-all validator with TryAdd; this one replaces it whatever the call order.
        services.RemoveAll<IWebIdentityTokenValidator>();
        services.AddSingleton<WebIdentityTokenValidator>();
        services.AddSingleton<IWebIdentityTokenValidator>(sp => sp.GetRequiredService<WebIdentityTokenValidator>());
        return builder;
    }

    /// <summary>
    /// Maps GET <c>/account/signin/oidc/{key}?returnUrl=</c>, which starts sign-in at the provider with that
    /// <see cref="OidcSignInProvider.Key"/>. The return URL is used only when it is a local path (SECURITY-CASES 74c).
    /// </summary>
    public static IEndpointRouteBuilder MapPortalOidc(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet(OidcSignInDefaults.ChallengePathPrefix + "{key}", Challenge).AllowAnonymous();
        return endpoints;
    }

    /// <summary>True for a path on this site: <c>/x</c>, but not <c>//host</c>, <c>/\host</c>, schemes or control characters.</summary>
    internal static bool IsLocalUrl(string? url) =>
        url is { Length: > 0 and <= 2048 }
        && url[0] == '/'
        && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'))
        && !url.Contains('\\', StringComparison.Ordinal)
        && !url.Any(char.IsControl);

    private static IResult Challenge(string key, string? returnUrl, OidcProviderSchemes schemes)
    {
        if (schemes.FindByKey(key) is not { } provider)
        {
            return Results.NotFound();
        }

        var properties = new AuthenticationProperties { RedirectUri = IsLocalUrl(returnUrl) ? returnUrl : "/" };
        return Results.Challenge(properties, [provider.SchemeName]);
    }

    /// <summary>Builds the schemes once the database is migrated (Program.cs initialises it before the host starts).</summary>
    private sealed class OidcSchemeStartup(OidcProviderSchemes schemes) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => schemes.SyncAsync(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
