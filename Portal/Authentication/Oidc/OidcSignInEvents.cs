using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using Portal.Core.Audit;

namespace Portal.Authentication.Oidc;

/// <summary>
/// The event handlers of every OIDC sign-in scheme: map the principal on success, and on any remote failure audit it
/// and answer a plain page that reveals nothing (SECURITY-CASES 104i).
/// </summary>
internal sealed class OidcSignInEvents
{
    private const int MaxAuditMessageLength = 1000;

    private static readonly string FailurePage = $$"""
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>Sign-in failed</title></head>
        <body><h1>Sign-in failed</h1><p>The identity provider's answer could not be accepted.</p>
        <p><a href="{{WebUtility.HtmlEncode(PortalAuthenticationDefaults.SignInPath)}}">Try again</a></p></body></html>
        """;

    private readonly OidcProviderSchemes _schemes;
    private readonly IAuditSink _audit;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public OidcSignInEvents(OidcProviderSchemes schemes, IAuditSink audit, TimeProvider time, ILogger<OidcSignInEvents> logger)
    {
        _schemes = schemes;
        _audit = audit;
        _time = time;
        _logger = logger;
    }

    public OpenIdConnectEvents Create() => new()
    {
        OnTokenValidated = RequireSignature,
        OnTicketReceived = TicketReceivedAsync,
        OnRemoteFailure = RemoteFailureAsync,
    };

    /// <summary>Classifies a failure into a stable audit reason (SECURITY-CASES §0.2, 104h).</summary>
    internal static string Reason(Exception? failure)
    {
        for (var e = failure; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case SecurityTokenInvalidIssuerException:
                    return "InvalidIssuer";
                case SecurityTokenInvalidAudienceException:
                    return "InvalidAudience";
                case SecurityTokenInvalidAlgorithmException:
                    return "InvalidAlgorithm";
                case SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException:
                    return "InvalidSignature";
                case SecurityTokenExpiredException or SecurityTokenNotYetValidException or SecurityTokenNoExpirationException or SecurityTokenInvalidLifetimeException:
                    return "InvalidLifetime";
                case OpenIdConnectProtocolInvalidNonceException:
                    return "InvalidNonce";
                case OpenIdConnectProtocolException when e.Message.StartsWith("Message contains error", StringComparison.Ordinal):
                    return "IdpError";
                case SecurityTokenException:
                    return "InvalidToken";
            }

            if (e.Message.Contains("Correlation failed", StringComparison.Ordinal))
            {
                return "CorrelationFailed";
            }

            if (e.Message.Contains("message.State", StringComparison.Ordinal))
            {
                return "InvalidState";
            }

            if (e.Message.Contains("Access was denied", StringComparison.Ordinal))
            {
                return "AccessDenied";
            }
        }

        return failure is OpenIdConnectProtocolException ? "ProtocolError" : "SignInFailed";
    }

    /// <summary>
    /// SECURITY-CASES 65: the handler validates an ID token from the token endpoint with <c>RequireSignedTokens = false</c>
    /// (OIDC Core §3.1.3.7 item 6 lets TLS stand in for the signature), so an <c>alg: none</c> token would pass. The
    /// portal requires a signature by an allowed algorithm whatever channel delivered the token; a signed token has
    /// already been verified against the provider's keys and <c>ValidAlgorithms</c> by then.
    /// </summary>
    internal static Task RequireSignature(TokenValidatedContext context)
    {
        var token = context.SecurityToken;
        if (token is null || string.IsNullOrEmpty(token.RawSignature) || !ConfigureOidcSchemeOptions.ValidAlgorithms.Contains(token.Header.Alg, StringComparer.Ordinal))
        {
            context.Fail(new SecurityTokenInvalidSignatureException("The ID token is not signed with an allowed algorithm."));
        }

        return Task.CompletedTask;
    }

    private async Task TicketReceivedAsync(TicketReceivedContext context)
    {
        var provider = _schemes.FindByScheme(context.Scheme.Name);
        var principal = provider is null || context.Principal is null ? null : OidcPrincipalMapper.Map(context.Principal, provider);
        if (principal?.Identity is ClaimsIdentity mapped)
        {
            // Administrators are decided by the portal's configuration, never asserted by the IdP.
            context.HttpContext.RequestServices.GetRequiredService<PortalPrincipalFactory>().ApplyAdministratorGroups(mapped);
        }

        if (principal is null)
        {
            // A scheme removed mid-flight, or a token without sub (OIDC Core §2 requires it). Note: Fail() here would
            // not stop the base handler from signing in, so the response is handled instead.
            context.HandleResponse();
            var message = provider is null ? "The identity provider is no longer registered." : "The ID token has no subject.";
            await DenyAsync(context.HttpContext, context.Scheme.Name, provider is null ? "UnknownProvider" : "MissingSubject", message).ConfigureAwait(false);
            return;
        }

        context.Principal = principal;
        var subject = principal.FindFirst(PortalClaimTypes.Subject)!.Value;
        await _audit.WriteAsync(Record(context.HttpContext, AuditDecision.Allow, provider!.ProviderArn) with { Principal = subject }, context.HttpContext.RequestAborted)
            .ConfigureAwait(false);
        OidcSignInLog.SignedIn(_logger, context.Scheme.Name, subject);
    }

    private Task RemoteFailureAsync(RemoteFailureContext context)
    {
        context.HandleResponse();
        return DenyAsync(context.HttpContext, context.Scheme.Name, Reason(context.Failure), context.Failure?.Message);
    }

    private async Task DenyAsync(HttpContext http, string schemeName, string reason, string? message)
    {
        if (message?.Length > MaxAuditMessageLength)
        {
            message = message[..MaxAuditMessageLength];
        }

        OidcSignInLog.SignInFailed(_logger, schemeName, reason);
        var resource = _schemes.FindByScheme(schemeName)?.ProviderArn ?? schemeName;
        await _audit.WriteAsync(Record(http, AuditDecision.Deny, resource) with { Reason = reason, Message = message }, CancellationToken.None)
            .ConfigureAwait(false);

        var response = http.Response;
        response.StatusCode = StatusCodes.Status400BadRequest;
        response.ContentType = "text/html; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        await response.WriteAsync(FailurePage, http.RequestAborted).ConfigureAwait(false);
    }

    private AuditRecord Record(HttpContext http, AuditDecision decision, string resource) => new()
    {
        Timestamp = _time.GetUtcNow(),
        Action = OidcSignInDefaults.AuditAction,
        Decision = decision,
        Resource = resource,
        SourceIp = http.Connection.RemoteIpAddress?.ToString(),
        UserAgent = http.Request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? agent : null,
    };

}
