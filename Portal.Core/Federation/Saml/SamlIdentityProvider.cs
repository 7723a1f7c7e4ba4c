using System.Security.Cryptography.X509Certificates;

namespace Portal.Core.Federation.Saml;

/// <summary>
/// A configured SAML IdP. Only <see cref="SigningCertificates"/> are ever trusted for signatures;
/// keys and certificates inside a message's KeyInfo are not (SECURITY-CASES 2–4).
/// </summary>
public sealed record SamlIdentityProvider
{
    /// <summary>The IdP entity ID; Issuers must equal it exactly (SECURITY-CASES 40).</summary>
    public required string EntityId { get; init; }

    /// <summary>The signing certificates; several during key rollover.</summary>
    public required IReadOnlyList<X509Certificate2> SigningCertificates { get; init; }

    /// <summary>SingleSignOnService locations for the HTTP-Redirect binding.</summary>
    public IReadOnlyList<string> SsoRedirectUrls { get; init; } = [];

    /// <summary>SingleSignOnService locations for the HTTP-POST binding.</summary>
    public IReadOnlyList<string> SsoPostUrls { get; init; } = [];

    /// <summary>The HTTP-Redirect SingleLogoutService Location for LogoutRequests, or null when the IdP has none.</summary>
    public string? SloRedirectUrl { get; init; }

    /// <summary>The HTTP-Redirect SingleLogoutService ResponseLocation (else Location) for LogoutResponses.</summary>
    public string? SloRedirectResponseUrl { get; init; }

    /// <summary>Accept responses without InResponseTo (IdP-initiated). Default false (SECURITY-CASES 50).</summary>
    public bool AllowIdpInitiated { get; init; }

    /// <summary>
    /// Require the Assertion itself to be signed (default true, SECURITY-CASES 1); set false only for
    /// an IdP that signs the Response alone.
    /// </summary>
    public bool WantAssertionsSigned { get; init; } = true;

    /// <summary>Treat an MFA AuthnContextClassRef from this IdP as multi-factor authentication.</summary>
    public bool TrustMfaAuthnContext { get; init; }

    /// <summary>The AuthnContextClassRef values that mean multi-factor authentication.</summary>
    public IReadOnlyList<string> MfaAuthnContextClassRefs { get; init; } = DefaultMfaAuthnContextClassRefs;

    /// <summary>Well-known multi-factor class refs: AD FS / Entra, REFEDS MFA, SAML 2.0 two-factor classes.</summary>
    public static IReadOnlyList<string> DefaultMfaAuthnContextClassRefs { get; } =
    [
        "http://schemas.microsoft.com/claims/multipleauthn",
        "https://refeds.org/profile/mfa",
        "urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract",
        "urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorUnregistered",
        "urn:oasis:names:tc:SAML:2.0:ac:classes:TimeSyncToken",
    ];
}
