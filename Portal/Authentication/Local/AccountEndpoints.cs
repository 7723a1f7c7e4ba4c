using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Portal.Authentication.IdentityProviders;
using Portal.Authentication.Saml2.Logout;
using Portal.Components.Account;
using Portal.Core.Audit;
using Portal.Core.Iam;
using Portal.Core.Mfa;
using Portal.Core.Sts;

namespace Portal.Authentication.Local;

/// <summary>
/// The sign-in endpoints behind the static account pages (STYLE anti-pattern 2: pages render, endpoints sign in and out).
/// Every POST binds a form, so ASP.NET Core requires its antiforgery token (SECURITY-CASES 104a).
/// </summary>
public static class AccountEndpoints
{
    /// <summary>The TOTP page.</summary>
    public const string MfaPath = "/account/mfa";

    /// <summary>The enrolment confirmation endpoint (POST).</summary>
    public const string EnrolPath = "/account/mfa/enrol";

    /// <summary>The external sign-in endpoint (GET, challenges an IdP scheme).</summary>
    public const string ExternalPath = "/account/external";

    /// <summary>Maps the sign-in, MFA, enrolment, external and sign-out endpoints.</summary>
    public static IEndpointRouteBuilder MapPortalAccount(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);

        // Order -1: the same paths also route to the static pages, which would otherwise take form posts too.
        endpoints.MapPost(PortalAuthenticationDefaults.SignInPath, SignInAsync).WithOrder(-1).RequireRateLimiting(SignInRateLimiterPolicy.Name);
        endpoints.MapPost(MfaPath, VerifyMfaAsync).WithOrder(-1).RequireRateLimiting(SignInRateLimiterPolicy.Name);
        endpoints.MapPost(EnrolPath, EnrolAsync).RequireRateLimiting(SignInRateLimiterPolicy.Name);
        endpoints.MapPost(PortalAuthenticationDefaults.SignOutPath, SignOutAsync);
        endpoints.MapGet(ExternalPath, ExternalAsync);
        return endpoints;
    }

    private static async Task<RedirectHttpResult> SignInAsync(
        HttpContext http,
        LocalSignInService local,
        PortalPrincipalFactory principals,
        [FromForm] string? account,
        [FromForm] string? userName,
        [FromForm] string? password,
        [FromForm] string? returnUrl,
        CancellationToken ct)
    {
        var safe = SafeReturnUrl.Normalize(returnUrl);
        var result = await local.CheckPasswordAsync(account, userName, password, ct).ConfigureAwait(false);
        if (result.Status != LocalPasswordStatus.Success)
        {
            await AuditAsync(http, "signin.local.password", AuditDecision.Deny, userName, result.Status.ToString(), ct).ConfigureAwait(false);
            var error = result.Status == LocalPasswordStatus.LockedOut ? "locked" : "invalid";
            return TypedResults.LocalRedirect(Query(PortalAuthenticationDefaults.SignInPath, ("error", error), ("account", account), ("userName", userName), ("returnUrl", safe)));
        }

        // A new password step replaces whatever session this browser had.
        await http.SignOutAsync(PortalAuthenticationDefaults.CookieScheme).ConfigureAwait(false);
        var partial = await principals.CreateLocalAsync(result.User!, mfa: false, PortalAuthenticationDefaults.PartialScheme, RequestInfoOf(http), ct).ConfigureAwait(false);
        await http.SignInAsync(PortalAuthenticationDefaults.PartialScheme, partial).ConfigureAwait(false);
        return TypedResults.LocalRedirect(Query(MfaPath, ("returnUrl", safe)));
    }

    private static async Task<RedirectHttpResult> VerifyMfaAsync(
        HttpContext http,
        LocalSignInService local,
        IamDirectory directory,
        PortalPrincipalFactory principals,
        [FromForm] string? code,
        [FromForm] string? returnUrl,
        CancellationToken ct)
    {
        var safe = SafeReturnUrl.Normalize(returnUrl);
        if (await PartialUserAsync(http, directory, ct).ConfigureAwait(false) is not { } user)
        {
            return TypedResults.LocalRedirect(Query(PortalAuthenticationDefaults.SignInPath, ("returnUrl", safe)));
        }

        var verification = await local.VerifyAsync(user.Id, code, ct).ConfigureAwait(false);
        if (verification.Status != MfaVerificationStatus.Success)
        {
            await AuditAsync(http, "signin.local.mfa", AuditDecision.Deny, user.Arn, "Mfa" + verification.Status, ct).ConfigureAwait(false);
        }

        switch (verification.Status)
        {
            case MfaVerificationStatus.Success:
                await CompleteAsync(http, principals, user, ct).ConfigureAwait(false);
                return TypedResults.LocalRedirect(safe);
            case MfaVerificationStatus.NotEnabled or MfaVerificationStatus.UnknownDevice:
                return TypedResults.LocalRedirect(Query(MfaPath, ("returnUrl", safe)));
            case MfaVerificationStatus.LockedOut:
                return TypedResults.LocalRedirect(Query(MfaPath, ("error", "locked"), ("returnUrl", safe)));
            default:
                return TypedResults.LocalRedirect(Query(MfaPath, ("error", "invalid"), ("returnUrl", safe)));
        }
    }

    private static async Task<IResult> EnrolAsync(
        HttpContext http,
        LocalSignInService local,
        IamDirectory directory,
        PortalPrincipalFactory principals,
        [FromForm] string? code1,
        [FromForm] string? code2,
        [FromForm] string? returnUrl,
        CancellationToken ct)
    {
        var safe = SafeReturnUrl.Normalize(returnUrl);
        if (await PartialUserAsync(http, directory, ct).ConfigureAwait(false) is not { } user)
        {
            return TypedResults.LocalRedirect(Query(PortalAuthenticationDefaults.SignInPath, ("returnUrl", safe)));
        }

        var enabled = await local.EnableAsync(user, code1, code2, ct).ConfigureAwait(false);
        if (!enabled.Succeeded)
        {
            return TypedResults.LocalRedirect(Query(MfaPath, ("error", "enrol"), ("returnUrl", safe)));
        }

        await CompleteAsync(http, principals, user, ct).ConfigureAwait(false);

        // Case 102d: the recovery codes are rendered into this one response and stored only as hashes.
        return new RazorComponentResult<RecoveryCodesView>(new Dictionary<string, object?>
        {
            [nameof(RecoveryCodesView.Codes)] = enabled.Value,
            [nameof(RecoveryCodesView.ReturnUrl)] = safe,
        });
    }

    private static async Task<IResult> SignOutAsync(HttpContext http, [FromForm] string? returnUrl)
    {
        _ = returnUrl;
        var user = http.User;
        await http.SignOutAsync(PortalAuthenticationDefaults.CookieScheme).ConfigureAwait(false);
        await http.SignOutAsync(PortalAuthenticationDefaults.PartialScheme).ConfigureAwait(false);

        // SAML Profiles §4.4: a person from an IdP with Single Logout also ends the IdP session (the portal cookie is already gone).
        if (http.RequestServices.GetService<Saml2LogoutService>()?.Begin(http, user) is { } idpLogoutUrl)
        {
            return TypedResults.Redirect(idpLogoutUrl);
        }

        return TypedResults.LocalRedirect(Query(PortalAuthenticationDefaults.SignInPath, ("signedOut", "1")));
    }

    private static async Task<IResult> ExternalAsync(
        IdentityProviderRegistry registry,
        IAuthenticationSchemeProvider schemes,
        [FromQuery] string? provider,
        [FromQuery] string? returnUrl,
        CancellationToken ct)
    {
        var safe = SafeReturnUrl.Normalize(returnUrl);
        var registered = await registry.FindAsync(provider, ct).ConfigureAwait(false);
        if (registered is null || await schemes.GetSchemeAsync(registered.Scheme).ConfigureAwait(false) is null)
        {
            return TypedResults.LocalRedirect(Query(PortalAuthenticationDefaults.SignInPath, ("error", "provider"), ("returnUrl", safe)));
        }

        return TypedResults.Challenge(new AuthenticationProperties { RedirectUri = safe }, [registered.Scheme]);
    }

    /// <summary>The user of a valid partial cookie, or null (after clearing a cookie whose user is gone).</summary>
    private static async Task<UserInfo?> PartialUserAsync(HttpContext http, IamDirectory directory, CancellationToken ct)
    {
        var partial = await http.AuthenticateAsync(PortalAuthenticationDefaults.PartialScheme).ConfigureAwait(false);
        var userId = partial.Succeeded ? partial.Principal.FindFirstValue(PortalClaimTypes.UserId) : null;
        var user = userId is null ? null : await directory.FindUserByIdAsync(userId, ct).ConfigureAwait(false);
        if (user is null && partial.Succeeded)
        {
            await http.SignOutAsync(PortalAuthenticationDefaults.PartialScheme).ConfigureAwait(false);
        }

        return user;
    }

    private static async Task CompleteAsync(HttpContext http, PortalPrincipalFactory principals, UserInfo user, CancellationToken ct)
    {
        await AuditAsync(http, "signin.local", AuditDecision.Allow, user.Arn, null, ct).ConfigureAwait(false);
        var full = await principals.CreateLocalAsync(user, mfa: true, PortalAuthenticationDefaults.CookieScheme, RequestInfoOf(http), ct).ConfigureAwait(false);
        await http.SignInAsync(PortalAuthenticationDefaults.CookieScheme, full).ConfigureAwait(false);
        await http.SignOutAsync(PortalAuthenticationDefaults.PartialScheme).ConfigureAwait(false);
    }

    /// <summary>Audits a sign-in step (best effort: a failing audit store must not lock administrators out).</summary>
    private static async Task AuditAsync(HttpContext http, string action, AuditDecision decision, string? principal, string? reason, CancellationToken ct)
    {
        try
        {
            await http.RequestServices.GetRequiredService<IAuditSink>().WriteAsync(
                new AuditRecord
                {
                    Timestamp = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow(),
                    Action = action,
                    Decision = decision,
                    Principal = principal,
                    Reason = reason,
                    RequestId = http.TraceIdentifier,
                    SourceIp = http.Connection.RemoteIpAddress?.ToString(),
                    UserAgent = http.Request.Headers.UserAgent.ToString(),
                },
                ct).ConfigureAwait(false);
        }
        catch (AuditCommitException)
        {
            // Logged by the writer.
        }
    }

    internal static RequestInfo RequestInfoOf(HttpContext http) => new()
    {
        RequestId = http.TraceIdentifier,
        SourceIp = http.Connection.RemoteIpAddress?.ToString(),
        UserAgent = http.Request.Headers.UserAgent.ToString(),
        SecureTransport = http.Request.IsHttps,
    };

    internal static string Query(string path, params (string Name, string? Value)[] parameters)
    {
        var pairs = parameters.Where(p => !string.IsNullOrEmpty(p.Value) && !(p.Name == "returnUrl" && p.Value == "/"))
            .Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Name}={Uri.EscapeDataString(p.Value!)}"))
            .ToList();
        return pairs.Count == 0 ? path : path + "?" + string.Join('&', pairs);
    }
}
