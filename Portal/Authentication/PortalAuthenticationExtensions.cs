using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using Portal.Authentication.IdentityProviders;
using Portal.Authentication.Local;
using Portal.Core.Iam;
using Portal.Core.Persistence;
using Portal.Security;

namespace Portal.Authentication;

/// <summary>The portal's sign-in composition: cookies, authorization policies; IdP schemes plug in to it.</summary>
public static class PortalAuthenticationExtensions
{
    /// <summary>
    /// Adds the portal cookie schemes, the user and administrator policies, the principal factory, the identity-provider
    /// registry and local (break-glass) sign-in with its per-IP rate limit.
    /// </summary>
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
                // Lax, not the Strict of SECURITY-CASES 104b: the SAML ACS and OIDC callback land cross-site; the reasoning
                // is in Portal.Tests/Api/Security/CookieFlagsTests.cs and the README's "Web security" section.
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
                .RequireClaim(PortalClaimTypes.AuthenticationMethod, "mfa")

                // SECURITY-CASES 104e: and the role is still granted by the current directory, not only by the cookie.
                .AddRequirements(new CurrentAdministratorRequirement()));
        builder.Services.AddCascadingAuthenticationState();

        builder.Services.AddOptions<PortalAdministratorOptions>().BindConfiguration(PortalAdministratorOptions.SectionName);
        builder.Services.AddOptions<LocalSignInOptions>().BindConfiguration(LocalSignInOptions.SectionName)
            .Validate(o => o.MaxFailedAttempts >= 1, "LocalSignIn:MaxFailedAttempts must be at least 1.")
            .Validate(o => o.LockoutDuration > TimeSpan.Zero, "LocalSignIn:LockoutDuration must be positive.")
            .Validate(o => o.PermitsPerMinutePerIp >= 1, "LocalSignIn:PermitsPerMinutePerIp must be at least 1.")
            .ValidateOnStart();
        builder.Services.AddSingleton<PortalPrincipalFactory>();
        builder.Services.AddSingleton<ConsolePasswordHasher>();
        builder.Services.AddSingleton<LocalSignInService>();
        builder.Services.AddSingleton<ProviderSchemeSynchronizer>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ProviderSchemeSynchronizer>());
        builder.Services.AddSingleton(sp => new IdentityProviderRegistry(
            new IdentityProviderQuery(sp.GetRequiredService<IDbContextFactory<PortalDbContext>>()),
            sp.GetRequiredService<IamDirectory>()));
        builder.Services.AddRateLimiter(options => options.AddPolicy<string, SignInRateLimiterPolicy>(SignInRateLimiterPolicy.Name));
        return authentication;
    }

    /// <summary>
    /// The sign-in middleware: the rate limiter, and on <c>/account</c> pages no caching (they show secrets once: case 102g)
    /// and no framing (SECURITY-CASES 104c).
    /// </summary>
    public static WebApplication UsePortalSignIn(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Use(static (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/account", StringComparison.OrdinalIgnoreCase))
            {
                // Set when the response starts, so these values replace the antiforgery defaults (X-Frame-Options SAMEORIGIN).
                context.Response.OnStarting(static state =>
                {
                    var headers = ((HttpResponse)state).Headers;
                    headers.CacheControl = "no-store";
                    headers.Pragma = "no-cache";
                    headers.XFrameOptions = "DENY";
                    headers.ContentSecurityPolicy = "frame-ancestors 'none'";
                    headers["Referrer-Policy"] = "no-referrer";
                    return Task.CompletedTask;
                }, context.Response);
            }

            return next(context);
        });
        app.UseRateLimiter();
        return app;
    }
}
