using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;

namespace Portal.Security;

/// <summary>Registrations of the web-layer defences (SECURITY-CASES group M) that Program.cs lists.</summary>
public static class PortalSecurityExtensions
{
    /// <summary>
    /// Binds and validates the origin allow-list of the Blazor circuit (104b) and the trusted proxies; re-checks people
    /// against current data in live circuits and in the administrator policy (104e).
    /// </summary>
    public static WebApplicationBuilder AddPortalWebSecurity(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<OriginCheckOptions>().BindConfiguration(OriginCheckOptions.SectionName)
            .Validate(o => o.AllowedOrigins.All(a => BlazorOriginCheck.Normalize(a) is not null), "Portal:AllowedOrigins entries must be origins such as https://portal.example.com (no path).")
            .ValidateOnStart();
        builder.Services.AddOptions<RevalidationOptions>().BindConfiguration(RevalidationOptions.SectionName)
            .Validate(o => o.RevalidationInterval > TimeSpan.Zero, "Portal:RevalidationInterval must be positive.")
            .ValidateOnStart();
        builder.Services.AddOptions<NetworkOptions>().BindConfiguration(NetworkOptions.SectionName)
            .Validate(o => o.TrustedProxies.All(p => TrustedProxies.Parse(p) is not null), "Network:TrustedProxies entries must be IP addresses or CIDR networks.")
            .ValidateOnStart();
        builder.Services.AddSingleton<CurrentPrincipalValidator>();
        builder.Services.AddSingleton<IAuthorizationHandler, CurrentAdministratorHandler>();
        builder.Services.AddScoped<AuthenticationStateProvider, RevalidatingPortalAuthenticationStateProvider>();
        return builder;
    }
}
