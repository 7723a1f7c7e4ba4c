using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Portal.Authentication;

/// <summary>The portal's sign-in composition: cookies, authorization policies; IdP schemes plug in to it.</summary>
public static class PortalAuthenticationExtensions
{
    /// <summary>Adds the portal cookie schemes and the user and administrator policies.</summary>
    public static AuthenticationBuilder AddPortalAuthentication(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var authentication = builder.Services
            .AddAuthentication(options =>
            {
                options.DefaultScheme = PortalAuthenticationDefaults.CookieScheme;
                options.DefaultChallengeScheme = PortalAuthenticationDefaults.CookieScheme;
            })
            .AddCookie(PortalAuthenticationDefaults.CookieScheme, options =>
            {
                options.Cookie.Name = "portal.auth";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.LoginPath = PortalAuthenticationDefaults.SignInPath;
                options.AccessDeniedPath = PortalAuthenticationDefaults.AccessDeniedPath;
                options.ExpireTimeSpan = TimeSpan.FromHours(8);
                options.SlidingExpiration = false;
            })
            .AddCookie(PortalAuthenticationDefaults.PartialScheme, options =>
            {
                options.Cookie.Name = "portal.partial";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Strict;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.LoginPath = PortalAuthenticationDefaults.SignInPath;
                options.ExpireTimeSpan = TimeSpan.FromMinutes(5);
                options.SlidingExpiration = false;
            });

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(PortalAuthenticationDefaults.UserPolicy, policy => policy
                .AddAuthenticationSchemes(PortalAuthenticationDefaults.CookieScheme)
                .RequireAuthenticatedUser())
            .AddPolicy(PortalAuthenticationDefaults.AdministratorPolicy, policy => policy
                .AddAuthenticationSchemes(PortalAuthenticationDefaults.CookieScheme)
                .RequireAuthenticatedUser()
                .RequireClaim(PortalClaimTypes.Role, PortalClaimTypes.AdministratorRole)

                // SECURITY-CASES 103: administration always requires MFA (at a trusted IdP or the portal's TOTP step).
                .RequireClaim(PortalClaimTypes.AuthenticationMethod, "mfa"));
        builder.Services.AddCascadingAuthenticationState();
        return authentication;
    }
}
