using Portal.Sts;

namespace Portal.Hosting;

/// <summary>
/// Security headers on every response that is not the STS/IAM Query API (SECURITY-CASES 104c, 104i; OWASP Secure Headers).
/// Areas that set their own policy first (<c>/federation</c>, <c>/account</c>) keep it.
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
        // A complete policy set by the area itself is kept (/federation: default-src 'none'). /account keeps its own
        // (frame-ancestors only): its sign-in chooser form is redirected to the registered IdPs and browsers apply
        // form-action to those redirects. Blazor's interactive render mode adds "frame-ancestors 'self'", which is replaced
        // (104c wants 'none').
        var existing = headers.ContentSecurityPolicy.ToString();
        var account = context.Request.Path.StartsWithSegments("/account", StringComparison.OrdinalIgnoreCase);
        if (!existing.Contains("default-src", StringComparison.Ordinal) && !(account && existing.Length > 0))
        {
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
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
