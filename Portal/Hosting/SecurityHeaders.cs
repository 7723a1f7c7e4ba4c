using Portal.Sts;

namespace Portal.Hosting;

/// <summary>
/// Security headers on every response that is not the STS/IAM Query API (SECURITY-CASES 104c, 104i; OWASP Secure Headers).
/// Pages that set their own policy first (<c>/federation</c>, <c>/account</c>) keep their stricter values.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>
    /// The Content-Security-Policy for Blazor Server + MudBlazor: scripts are files (blazor.web.js, MudBlazor.min.js,
    /// portal.js); MudBlazor sets inline styles; the circuit's WebSocket goes to this origin; nothing may frame us.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
        "connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'";

    /// <summary>
    /// The policy of <c>/account</c> pages: the same without <c>form-action</c>, because the sign-in chooser's form is
    /// redirected (302) to the registered IdPs, whose hosts change at run time, and browsers apply form-action to redirects.
    /// Those forms are server-rendered markup without user content.
    /// </summary>
    public const string AccountContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
        "connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";

    /// <summary>Browser features the portal never uses.</summary>
    public const string PermissionsPolicy =
        "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()";

    /// <summary>Adds the headers when each response starts; the STS API (handled earlier in the pipeline) never reaches it.</summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use(static (context, next) =>
        {
            if (!StsApi.IsApiRequest(context.Request))
            {
                context.Response.OnStarting(static state => Apply((HttpContext)state), context);
            }

            return next(context);
        });

    internal static Task Apply(HttpContext context)
    {
        var headers = context.Response.Headers;
        var account = context.Request.Path.StartsWithSegments("/account", StringComparison.OrdinalIgnoreCase);

        // A policy set by the page itself is kept when it is already complete (federation: default-src 'none'); the
        // /account middleware sets only frame-ancestors, which the full policy also contains.
        var existing = headers.ContentSecurityPolicy.ToString();
        if (!existing.Contains("default-src", StringComparison.Ordinal))
        {
            headers.ContentSecurityPolicy = account ? AccountContentSecurityPolicy : ContentSecurityPolicy;
        }

        // Antiforgery sets SAMEORIGIN when it issues a token; nothing of ours is meant to be framed (104c).
        headers.XFrameOptions = "DENY";
        headers.XContentTypeOptions = "nosniff";
        if (!headers.ContainsKey("Referrer-Policy"))
        {
            headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
        }

        headers["Permissions-Policy"] = PermissionsPolicy;
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        return Task.CompletedTask;
    }
}
