using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Portal.Authentication.Saml2.Bindings;
using Portal.Authentication.Saml2.Events;
using Portal.Core.Audit;
using Portal.Core.Federation.Saml;
using Portal.Core.Persistence;

namespace Portal.Authentication.Saml2;

/// <summary>
/// The SAML 2.0 SP handler of one IdP: SP-initiated sign-in over HTTP-Redirect, the Response over HTTP-POST at the
/// shared ACS, validated by Core's <see cref="SamlResponseValidator"/>. It stays thin: bindings, validation, claims
/// and audit are collaborators (STYLE rule 6).
/// </summary>
/// <remarks>
/// State: the request ID and IdP entity ID sit in protected <see cref="AuthenticationProperties"/> in a cookie whose
/// name ends with a random nonce; RelayState is <c>schemeTag.nonce</c>, short enough for the 80-byte limit of SAML
/// Bindings §3.4.3, and only selects the cookie. All of the ACS's handlers see every POST; each claims only responses
/// whose RelayState carries its tag, or (without such a RelayState) whose unverified Issuer is its IdP.
/// </remarks>
public sealed class Saml2Handler : RemoteAuthenticationHandler<Saml2Options>
{
    private const string RequestIdKey = "saml2:request_id";
    private const string IdpKey = "saml2:idp";
    private readonly SamlResponseValidator _validator;
    private readonly ISamlReplayCache _replayCache;
    private readonly ISaml2ClaimsFactory _claimsFactory;
    private readonly IAuditSink _audit;
    private readonly IReplayStore _usedRequests;

    /// <summary>Creates the handler.</summary>
    public Saml2Handler(
        IOptionsMonitor<Saml2Options> options,
        ILoggerFactory logger,
        UrlEncoder encoder,
        SamlResponseValidator validator,
        ISamlReplayCache replayCache,
        ISaml2ClaimsFactory claimsFactory,
        IAuditSink audit,
        IReplayStore usedRequests)
        : base(options, logger, encoder)
    {
        _usedRequests = usedRequests;
        _validator = validator;
        _replayCache = replayCache;
        _claimsFactory = claimsFactory;
        _audit = audit;
    }

    /// <summary>The events.</summary>
    private new Saml2Events Events => (Saml2Events)base.Events;

    /// <summary>The first 8 hex digits of SHA-256(scheme): identifies the scheme inside RelayState.</summary>
    internal static string SchemeTag(string scheme) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(scheme)))[..8];

    /// <inheritdoc />
    protected override Task<object> CreateEventsAsync() => Task.FromResult<object>(new Saml2Events());

    /// <inheritdoc />
    public override async Task<bool> ShouldHandleRequestAsync()
    {
        if (!HttpMethods.IsPost(Request.Method) || Request.Path != Options.CallbackPath)
        {
            return false;
        }

        var message = await HttpPostBinding.ReadAsync(Context).ConfigureAwait(false);
        if (message.SamlResponse is null)
        {
            return false;
        }

        return TryParseRelayState(message.RelayState, out var tag, out _)
            ? tag == SchemeTag(Scheme.Name)
            : string.Equals(message.UnverifiedIssuer, Options.IdentityProvider.EntityId, StringComparison.Ordinal);
    }

    /// <inheritdoc />
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var sp = Options.ServiceProvider;
        properties.RedirectUri ??= "/";
        var requestId = AuthnRequestFactory.NewId();
        var destination = Options.IdentityProvider.SsoRedirectUrls[0];
        var document = AuthnRequestFactory.Create(requestId, TimeProvider.GetUtcNow(), destination, sp.AcsLocation(Request), sp.SpEntityId(Request));
        await Events.AuthnRequestGenerated(new AuthnRequestGeneratedContext(Context, Scheme, Options, properties, document)).ConfigureAwait(false);

        // Sustainsys habit: the security-relevant state is recorded after the event, from what is actually sent.
        properties.Items[RequestIdKey] = document.DocumentElement!.GetAttribute("ID");
        properties.Items[IdpKey] = Options.IdentityProvider.EntityId;
        GenerateCorrelationId(properties);

        var nonce = Base64UrlTextEncoder.Encode(RandomNumberGenerator.GetBytes(16));
        var now = TimeProvider.GetUtcNow();
        var cookie = Options.StateCookie.Build(Context, now);
        cookie.Expires = now + Options.RemoteAuthenticationTimeout;
        Response.Cookies.Append(Options.StateCookie.Name + nonce, Options.StateDataFormat.Protect(properties), cookie);

        var relayState = SchemeTag(Scheme.Name) + "." + nonce;
        Response.Redirect(HttpRedirectBinding.BuildRequestUrl(destination, document.OuterXml, relayState, Options.SigningCertificate));
        Log.ChallengeSent(Logger, Scheme.Name, requestId);
    }

    /// <inheritdoc />
    protected override async Task<HandleRequestResult> HandleRemoteAuthenticateAsync()
    {
        var message = await HttpPostBinding.ReadAsync(Context).ConfigureAwait(false);
        string? expectedInResponseTo = null;
        AuthenticationProperties properties;
        if (TryParseRelayState(message.RelayState, out _, out var nonce))
        {
            var state = ReadAndDeleteState(nonce);
            if (state.Failure is { } failure)
            {
                return await RejectAsync(SamlFailureReason.InResponseTo.ToCode(), failure, state.Properties).ConfigureAwait(false);
            }

            properties = state.Properties!;
            expectedInResponseTo = properties.Items[RequestIdKey];

            // SECURITY-CASES 49d: deleting the cookie relies on the browser; the shared store makes the request ID one-time.
            var usedKey = "saml-request:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Scheme.Name + " " + expectedInResponseTo)));
            if (!await _usedRequests.TryMarkUsedAsync(usedKey, TimeProvider.GetUtcNow() + Options.RemoteAuthenticationTimeout, Context.RequestAborted).ConfigureAwait(false))
            {
                return await RejectAsync(SamlFailureReason.InResponseTo.ToCode(), "The request state was already used.", properties).ConfigureAwait(false);
            }
        }
        else
        {
            // SECURITY-CASES 50, 98: an unsolicited response lands on a fixed page; RelayState is never a redirect target.
            properties = new AuthenticationProperties { RedirectUri = Options.ServiceProvider.IdpInitiatedLandingPath };
        }

        var parameters = new SamlValidationParameters
        {
            IdentityProvider = Options.IdentityProvider,
            ExpectedAudiences = [Options.ServiceProvider.SpEntityId(Request)],
            ExpectedDestinations = [Options.ServiceProvider.AcsLocation(Request)],
            ExpectedInResponseTo = expectedInResponseTo,
            ReplayCache = _replayCache,
            EnforceOneTimeUse = true,
            ClockSkew = Options.ServiceProvider.ClockSkew,
            TimeProvider = TimeProvider,
            DecryptionCertificates = Options.SigningCertificate is { } spKey ? [spKey] : [],
        };
        var result = await _validator.ValidateAsync(message.SamlResponse!, parameters, Context.RequestAborted).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            return await RejectAsync(result.ReasonCode!, result.Detail, properties).ConfigureAwait(false);
        }

        // Administrators are decided by the portal's configuration, never asserted by the IdP.
        var identity = Context.RequestServices.GetRequiredService<PortalPrincipalFactory>().ApplyAdministratorGroups(_claimsFactory.CreateIdentity(result.Assertion, Options));

        // Added after the (replaceable) claims factory so Single Logout always has the NameID and SessionIndex to name.
        Logout.Saml2SessionClaims.Add(identity, result.Assertion);
        var principal = new ClaimsPrincipal(identity);
        var validated = new AssertionValidatedContext(Context, Scheme, Options, principal, properties, result.Assertion);
        await Events.AssertionValidated(validated).ConfigureAwait(false);
        if (validated.Result is { Succeeded: false } eventResult)
        {
            return eventResult.Failure is null ? eventResult : await RejectAsync("EVENT_REJECTED", eventResult.Failure.Message, properties).ConfigureAwait(false);
        }

        await _audit.WriteAsync(CreateAudit(AuditDecision.Allow, null, validated.Principal!.FindFirst(PortalClaimTypes.Subject)?.Value), Context.RequestAborted).ConfigureAwait(false);
        return HandleRequestResult.Success(new AuthenticationTicket(validated.Principal!, validated.Properties, Scheme.Name));
    }

    /// <summary>Recovers the protected state, deleting its cookie whatever happens (STYLE rule 7, SECURITY-CASES 49d).</summary>
    private (AuthenticationProperties? Properties, string? Failure) ReadAndDeleteState(string nonce)
    {
        var cookieName = Options.StateCookie.Name + nonce;
        var protectedState = Request.Cookies[cookieName];
        Response.Cookies.Delete(cookieName, Options.StateCookie.Build(Context, TimeProvider.GetUtcNow()));
        if (protectedState is null)
        {
            return (null, "No request state cookie: the response was not requested by this browser.");
        }

        var properties = Options.StateDataFormat.Unprotect(protectedState);
        if (properties is null)
        {
            return (null, "The request state cannot be unprotected.");
        }

        if (!ValidateCorrelationId(properties))
        {
            return (properties, "Correlation failed.");
        }

        if (!properties.Items.TryGetValue(RequestIdKey, out var requestId) || string.IsNullOrEmpty(requestId)
            || !properties.Items.TryGetValue(IdpKey, out var idp) || !string.Equals(idp, Options.IdentityProvider.EntityId, StringComparison.Ordinal))
        {
            return (properties, "The request state names another IdP or no request.");
        }

        return (properties, null);
    }

    /// <summary>Audits the rejection and hands it to <c>OnRemoteFailure</c> (the generic 400 page).</summary>
    private async Task<HandleRequestResult> RejectAsync(string reasonCode, string? detail, AuthenticationProperties? properties)
    {
        Log.Rejected(Logger, Scheme.Name, reasonCode, detail);
        await _audit.WriteAsync(CreateAudit(AuditDecision.Deny, reasonCode, null), Context.RequestAborted).ConfigureAwait(false);
        return HandleRequestResult.Fail(new Saml2RejectedException(reasonCode), properties);
    }

    private AuditRecord CreateAudit(AuditDecision decision, string? reason, string? principal) => new()
    {
        Timestamp = TimeProvider.GetUtcNow(),
        Action = Saml2Defaults.AuditAction,
        Decision = decision,
        Reason = reason,
        Principal = principal,
        Resource = Options.ProviderArn,
        SourceIp = Context.Connection.RemoteIpAddress?.ToString(),
        UserAgent = Request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? agent[..Math.Min(agent.Length, 512)] : null,
        Message = decision == AuditDecision.Deny ? Saml2Defaults.RejectedEvent : "saml.acs.accepted",
    };

    /// <summary>RelayState of this SP: <c>8 hex digits</c> + "." + a base64url nonce.</summary>
    internal static bool TryParseRelayState(string? relayState, out string tag, out string nonce)
    {
        tag = nonce = string.Empty;
        if (relayState is not { Length: > 9 and <= 80 } || relayState[8] != '.')
        {
            return false;
        }

        tag = relayState[..8];
        nonce = relayState[9..];
        return tag.All(char.IsAsciiHexDigitLower) && nonce.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
    }
}

/// <summary>An ACS rejection; its message is the machine reason code only (never shown to the browser).</summary>
public sealed class Saml2RejectedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public Saml2RejectedException(string reasonCode)
        : base(reasonCode)
    {
        ReasonCode = reasonCode;
    }

    /// <summary>Creates the exception.</summary>
    public Saml2RejectedException()
        : this("REJECTED")
    {
    }

    /// <summary>Creates the exception.</summary>
    public Saml2RejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
        ReasonCode = message;
    }

    /// <summary>The SECURITY-CASES §0.2 reason code, e.g. <c>SIG_MISSING</c>.</summary>
    public string ReasonCode { get; } = "REJECTED";
}

/// <summary>Source-generated log messages of the SAML SP, with stable event IDs.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 4100, EventName = "Saml2ChallengeSent", Level = LogLevel.Debug, Message = "SAML AuthnRequest {RequestId} sent for scheme {Scheme}.")]
    public static partial void ChallengeSent(ILogger logger, string scheme, string requestId);

    [LoggerMessage(EventId = 4101, EventName = "Saml2Rejected", Level = LogLevel.Information, Message = "SAML response rejected for scheme {Scheme}: {ReasonCode} {Detail}")]
    public static partial void Rejected(ILogger logger, string scheme, string reasonCode, string? detail);

    [LoggerMessage(EventId = 4102, EventName = "Saml2SchemeAdded", Level = LogLevel.Information, Message = "SAML scheme {Scheme} added.")]
    public static partial void SchemeAdded(ILogger logger, string scheme);

    [LoggerMessage(EventId = 4103, EventName = "Saml2SchemeRemoved", Level = LogLevel.Information, Message = "SAML scheme {Scheme} removed.")]
    public static partial void SchemeRemoved(ILogger logger, string scheme);

    [LoggerMessage(EventId = 4104, EventName = "Saml2ProviderSkipped", Level = LogLevel.Warning, Message = "SAML provider {Arn} is not usable and has no scheme: {Error}")]
    public static partial void ProviderSkipped(ILogger logger, string arn, string error);

    [LoggerMessage(EventId = 4105, EventName = "Saml2UnclaimedResponse", Level = LogLevel.Information, Message = "SAML response at the ACS matched no provider: {ReasonCode}")]
    public static partial void Unclaimed(ILogger logger, string reasonCode);

    [LoggerMessage(EventId = 4107, EventName = "Saml2LogoutRejected", Level = LogLevel.Information, Message = "SAML logout message rejected: {ReasonCode} {Detail}")]
    public static partial void LogoutRejected(ILogger logger, string reasonCode, string? detail);

    [LoggerMessage(EventId = 4106, EventName = "Saml2ProviderSyncFailed", Level = LogLevel.Error, Message = "Reading SAML providers from the database failed.")]
    public static partial void SyncFailed(ILogger logger, Exception exception);
}
