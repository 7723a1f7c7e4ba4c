using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Portal.Authentication.Saml2.Bindings;
using Portal.Core.Audit;
using Portal.Core.Federation.Saml;
using Portal.Core.Persistence;

namespace Portal.Authentication.Saml2.Logout;

/// <summary>
/// SAML 2.0 Single Logout over HTTP-Redirect (SAML Profiles §4.4) at <c>/saml/slo</c>: SP-initiated (the portal's
/// sign-out sends a signed LogoutRequest and checks the IdP's LogoutResponse) and IdP-initiated (a signed
/// LogoutRequest clears the portal cookie and gets a signed LogoutResponse). Every refusal is the generic failure page
/// plus an audit record with its reason code (SECURITY-CASES 0.2).
/// </summary>
/// <remarks>
/// The pending request ID sits in a protected cookie whose name ends with the RelayState nonce, as for AuthnRequests;
/// RelayState only selects the cookie, and the IdP's keys come from the scheme named inside the protected state.
/// </remarks>
public sealed class Saml2LogoutService
{
    /// <summary>Where a completed sign-out lands.</summary>
    public const string SignedOutPath = PortalAuthenticationDefaults.SignInPath + "?signedOut=1";

    private const string RequestIdKey = "saml2:logout_request_id";
    private const string SchemeKey = "saml2:scheme";
    private readonly SamlProviderSchemes _schemes;
    private readonly IOptionsMonitor<Saml2Options> _options;
    private readonly IAuditSink _audit;
    private readonly IReplayStore _replay;
    private readonly TimeProvider _time;
    private readonly ILogger<Saml2LogoutService> _logger;
    private readonly PropertiesDataFormat _stateFormat;

    /// <summary>Creates the service.</summary>
    public Saml2LogoutService(
        SamlProviderSchemes schemes,
        IOptionsMonitor<Saml2Options> options,
        IDataProtectionProvider dataProtection,
        IAuditSink audit,
        IReplayStore replay,
        TimeProvider time,
        ILogger<Saml2LogoutService> logger)
    {
        ArgumentNullException.ThrowIfNull(dataProtection);
        _schemes = schemes;
        _options = options;
        _audit = audit;
        _replay = replay;
        _time = time;
        _logger = logger;

        // STYLE rule 7: the purpose names the type and a format version.
        _stateFormat = new PropertiesDataFormat(dataProtection.CreateProtector(typeof(Saml2LogoutService).FullName!, "v1"));
    }

    /// <summary>How long a LogoutRequest and its state stay valid.</summary>
    public static TimeSpan RequestLifetime { get; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// SP-initiated logout for the person who is signing out (call before or after clearing the cookie, with the
    /// principal read before): the signed LogoutRequest URL at the IdP, or null when local sign-out is all there is
    /// (not a SAML session, the IdP has no HTTP-Redirect SingleLogoutService, or the SP has no signing key).
    /// </summary>
    public string? Begin(HttpContext http, ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(user);
        if (user.FindFirst(PortalClaimTypes.Method)?.Value != Saml2Defaults.Method
            || Saml2SessionClaims.Read(user) is not { } session
            || user.FindFirst(PortalClaimTypes.Provider)?.Value is not { } arn
            || _schemes.Registrations.Values.FirstOrDefault(r => r.Arn == arn) is not { } registration)
        {
            return null;
        }

        var options = _options.Get(registration.SchemeName);
        if (options.IdentityProvider.SloRedirectUrl is not { } destination || options.SigningCertificate is null)
        {
            return null;
        }

        var now = _time.GetUtcNow();
        var requestId = AuthnRequestFactory.NewId();
        var sp = options.ServiceProvider;
        var document = LogoutMessageFactory.CreateRequest(requestId, now, destination, sp.SpEntityId(http.Request), session.NameId, session.SessionIndex, RequestLifetime);

        var state = new AuthenticationProperties { ExpiresUtc = now + RequestLifetime };
        state.Items[RequestIdKey] = requestId;
        state.Items[SchemeKey] = registration.SchemeName;
        var nonce = Base64UrlTextEncoder.Encode(RandomNumberGenerator.GetBytes(16));
        http.Response.Cookies.Append(Saml2Defaults.LogoutStateCookiePrefix + nonce, _stateFormat.Protect(state), StateCookie(now + RequestLifetime));
        return HttpRedirectBinding.BuildRequestUrl(destination, document.OuterXml, nonce, options.SigningCertificate);
    }

    /// <summary>Handles <c>GET /saml/slo</c>: a LogoutResponse to our request, or an IdP's LogoutRequest.</summary>
    public async Task HandleAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var parsed = SamlRedirectBinding.Parse(http.Request.QueryString.Value);
        if (!parsed.Succeeded)
        {
            await RejectAsync(http, parsed.Reason.Value, parsed.Detail, null).ConfigureAwait(false);
            return;
        }

        if (parsed.Value.IsRequest)
        {
            await HandleRequestAsync(http, parsed.Value).ConfigureAwait(false);
        }
        else
        {
            await HandleResponseAsync(http, parsed.Value).ConfigureAwait(false);
        }
    }

    private async Task HandleResponseAsync(HttpContext http, SamlRedirectMessage message)
    {
        var now = _time.GetUtcNow();
        var (requestId, scheme) = ReadAndDeleteState(http, message.RelayState, now);
        if (requestId is null || _schemes.Find(scheme) is not { } registration)
        {
            await RejectAsync(http, SamlFailureReason.InResponseTo, "No pending LogoutRequest state for this browser.", null).ConfigureAwait(false);
            return;
        }

        var options = _options.Get(registration.SchemeName);
        var result = SamlLogoutValidator.ValidateResponse(message, Parameters(http, options), requestId);
        if (!result.Succeeded)
        {
            await RejectAsync(http, result.Reason.Value, result.Detail, registration.Arn).ConfigureAwait(false);
            return;
        }

        // The cookie deletion relies on the browser; the shared store makes the request ID one-time (as SECURITY-CASES 49d).
        if (!await _replay.TryMarkUsedAsync(ReplayKey("saml-logout-request:", registration.SchemeName, requestId), now + RequestLifetime, http.RequestAborted).ConfigureAwait(false))
        {
            await RejectAsync(http, SamlFailureReason.InResponseTo, "The LogoutRequest state was already used.", registration.Arn).ConfigureAwait(false);
            return;
        }

        await http.SignOutAsync(PortalAuthenticationDefaults.CookieScheme).ConfigureAwait(false);
        await AuditAsync(http, AuditDecision.Allow, null, registration.Arn, "saml.slo.completed").ConfigureAwait(false);
        http.Response.Redirect(SignedOutPath);
    }

    private async Task HandleRequestAsync(HttpContext http, SamlRedirectMessage message)
    {
        var user = http.User;
        var sessionArn = user.Identity?.IsAuthenticated == true ? user.FindFirst(PortalClaimTypes.Provider)?.Value : null;
        var issuer = SamlLogoutValidator.PeekIssuer(message);
        var candidates = _schemes.Registrations.Values.Where(r => r.IdentityProvider.EntityId == issuer).ToList();
        var registration = candidates.FirstOrDefault(r => r.Arn == sessionArn) ?? candidates.FirstOrDefault();
        if (registration is null)
        {
            await RejectAsync(http, SamlFailureReason.Issuer, "No registered IdP has this Issuer.", null).ConfigureAwait(false);
            return;
        }

        var options = _options.Get(registration.SchemeName);
        var parameters = Parameters(http, options);
        var result = SamlLogoutValidator.ValidateRequest(message, parameters);
        if (!result.Succeeded)
        {
            await RejectAsync(http, result.Reason.Value, result.Detail, registration.Arn).ConfigureAwait(false);
            return;
        }

        var request = result.Value;
        if (user.Identity?.IsAuthenticated == true && SessionMismatch(user, registration, request) is { } mismatch)
        {
            await RejectAsync(http, mismatch, "The LogoutRequest does not name the current session.", registration.Arn).ConfigureAwait(false);
            return;
        }

        var now = _time.GetUtcNow();
        var replayUntil = now + parameters.MaxIssueInstantAge + parameters.ClockSkew + parameters.ClockSkew;
        if (!await _replay.TryMarkUsedAsync(ReplayKey("saml-logout:", registration.IdentityProvider.EntityId, request.Id), replayUntil, http.RequestAborted).ConfigureAwait(false))
        {
            await RejectAsync(http, SamlFailureReason.Replay, "The LogoutRequest ID was already used.", registration.Arn).ConfigureAwait(false);
            return;
        }

        await http.SignOutAsync(PortalAuthenticationDefaults.CookieScheme).ConfigureAwait(false);
        await http.SignOutAsync(PortalAuthenticationDefaults.PartialScheme).ConfigureAwait(false);
        await AuditAsync(http, AuditDecision.Allow, null, registration.Arn, "saml.slo.idp").ConfigureAwait(false);
        if (options.IdentityProvider.SloRedirectResponseUrl is not { } responseUrl)
        {
            http.Response.Redirect(SignedOutPath);
            return;
        }

        var sp = options.ServiceProvider;
        var response = LogoutMessageFactory.CreateResponse(AuthnRequestFactory.NewId(), now, responseUrl, sp.SpEntityId(http.Request), request.Id);
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Redirect(HttpRedirectBinding.BuildResponseUrl(responseUrl, response.OuterXml, message.RelayState, options.SigningCertificate));
    }

    /// <summary>
    /// SAML Core §3.7.3.1: the request must name this session's principal exactly (NameID and qualifiers), from this
    /// session's IdP, and, when it lists SessionIndex values, this session's among them.
    /// </summary>
    private static SamlFailureReason? SessionMismatch(ClaimsPrincipal user, SamlProviderRegistration registration, SamlLogoutRequestData request)
    {
        if (user.FindFirst(PortalClaimTypes.Provider)?.Value != registration.Arn)
        {
            return SamlFailureReason.Issuer;
        }

        if (Saml2SessionClaims.Read(user) is not { } session || session.NameId != request.NameId)
        {
            return SamlFailureReason.NameId;
        }

        return request.SessionIndexes.Count > 0 && session.SessionIndex is { } index && !request.SessionIndexes.Contains(index, StringComparer.Ordinal)
            ? SamlFailureReason.SessionIndex
            : null;
    }

    private (string? RequestId, string? Scheme) ReadAndDeleteState(HttpContext http, string? nonce, DateTimeOffset now)
    {
        if (nonce is not { Length: > 0 and <= 80 } || !nonce.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            return (null, null);
        }

        var name = Saml2Defaults.LogoutStateCookiePrefix + nonce;
        var protectedState = http.Request.Cookies[name];
        http.Response.Cookies.Delete(name, StateCookie(now));
        var state = protectedState is null ? null : _stateFormat.Unprotect(protectedState);
        if (state is null || state.ExpiresUtc is not { } expires || expires <= now)
        {
            return (null, null);
        }

        return (state.Items.TryGetValue(RequestIdKey, out var id) ? id : null, state.Items.TryGetValue(SchemeKey, out var scheme) ? scheme : null);
    }

    private SamlLogoutParameters Parameters(HttpContext http, Saml2Options options) => new()
    {
        IdentityProvider = options.IdentityProvider,
        ExpectedDestination = options.ServiceProvider.SloLocation(http.Request),
        ClockSkew = options.ServiceProvider.ClockSkew,
        TimeProvider = _time,
    };

    /// <summary>
    /// The IdP redirects the browser back with a top-level GET, which carries Lax cookies; the path keeps the cookie
    /// off every other request.
    /// </summary>
    private static CookieOptions StateCookie(DateTimeOffset expires) => new()
    {
        HttpOnly = true,
        Secure = true,
        SameSite = SameSiteMode.Lax,
        IsEssential = true,
        Path = Saml2Defaults.SingleLogoutPath,
        Expires = expires,
    };

    private static string ReplayKey(string prefix, string owner, string id) =>
        prefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(owner + " " + id)));

    private async Task RejectAsync(HttpContext http, SamlFailureReason reason, string? detail, string? providerArn)
    {
        Log.LogoutRejected(_logger, reason.ToCode(), detail);
        await AuditAsync(http, AuditDecision.Deny, reason.ToCode(), providerArn, Saml2Defaults.LogoutRejectedEvent).ConfigureAwait(false);
        await Saml2FailurePage.WriteAsync(http, Saml2FailurePage.SignOutHtml).ConfigureAwait(false);
    }

    private Task AuditAsync(HttpContext http, AuditDecision decision, string? reason, string? providerArn, string message) => _audit.WriteAsync(
        new AuditRecord
        {
            Timestamp = _time.GetUtcNow(),
            Action = Saml2Defaults.LogoutAuditAction,
            Decision = decision,
            Reason = reason,
            Principal = http.User.FindFirst(PortalClaimTypes.Subject)?.Value,
            Resource = providerArn,
            SourceIp = http.Connection.RemoteIpAddress?.ToString(),
            UserAgent = http.Request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? agent[..Math.Min(agent.Length, 512)] : null,
            Message = message,
        },
        http.RequestAborted);
}
