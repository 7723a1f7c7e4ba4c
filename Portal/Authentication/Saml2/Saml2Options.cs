using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Authentication;
using Portal.Core.Federation.Saml;

namespace Portal.Authentication.Saml2;

/// <summary>
/// Options of one SAML provider scheme. Schemes are created at runtime from the database, so everything is filled by
/// <see cref="Saml2PostConfigureOptions"/> from the provider registration and <see cref="Saml2ServiceProviderOptions"/>.
/// </summary>
public sealed class Saml2Options : RemoteAuthenticationOptions
{
    /// <summary>Creates options with the shared ACS and the portal cookie as sign-in scheme.</summary>
    public Saml2Options()
    {
        CallbackPath = Saml2Defaults.CallbackPath;
        SignInScheme = PortalAuthenticationDefaults.CookieScheme;

        // Note: people sometimes spend minutes at the IdP (MFA enrolment); 15 minutes bounds how long a request ID stays valid.
        RemoteAuthenticationTimeout = TimeSpan.FromMinutes(15);
        Events = new Saml2Events();
        StateCookie = new CookieBuilder
        {
            Name = Saml2Defaults.StateCookiePrefix,
            HttpOnly = true,

            // The IdP posts the response cross-site, so the state cookie must be sent on a cross-site POST.
            SameSite = SameSiteMode.None,
            SecurePolicy = CookieSecurePolicy.Always,
            IsEssential = true,
            Path = Saml2Defaults.CallbackPath,
        };
    }

    /// <summary>The trusted IdP (required).</summary>
    public SamlIdentityProvider IdentityProvider { get; set; } = default!;

    /// <summary>The provider ARN (required): <c>portal:provider</c> and the Federated principal of trust policies.</summary>
    public string ProviderArn { get; set; } = default!;

    /// <summary>The shared SP settings (required).</summary>
    public Saml2ServiceProviderOptions ServiceProvider { get; set; } = default!;

    /// <summary>The attribute whose values become <c>groups</c> claims. Default <c>groups</c>.</summary>
    public string GroupsAttributeName { get; set; } = "groups";

    /// <summary>
    /// The SP key that signs AuthnRequests and decrypts EncryptedAssertions (it is published for both uses in the SP
    /// metadata), or null to send requests unsigned and refuse encrypted assertions.
    /// </summary>
    public X509Certificate2? SigningCertificate { get; set; }

    /// <summary>Protects the request state (purpose: handler type + scheme + "v1"). Set by post-configure.</summary>
    public ISecureDataFormat<AuthenticationProperties> StateDataFormat { get; set; } = default!;

    /// <summary>The state cookie (its name gets the RelayState nonce appended).</summary>
    public CookieBuilder StateCookie { get; set; }

    /// <summary>The events; see <see cref="Saml2Events"/>.</summary>
    public new Saml2Events Events
    {
        get => (Saml2Events)base.Events;
        set => base.Events = value;
    }

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        if (IdentityProvider is null)
        {
            throw new InvalidOperationException($"{nameof(IdentityProvider)} must be set; register the provider in the database and call SamlProviderSchemes.SyncAsync.");
        }

        if (IdentityProvider.SsoRedirectUrls.Count == 0)
        {
            throw new InvalidOperationException($"{nameof(IdentityProvider)} has no HTTP-Redirect SingleSignOnService; the metadata must list one.");
        }

        if (string.IsNullOrEmpty(ProviderArn))
        {
            throw new InvalidOperationException($"{nameof(ProviderArn)} must be set.");
        }

        if (ServiceProvider is null || StateDataFormat is null)
        {
            throw new InvalidOperationException($"{nameof(ServiceProvider)} and {nameof(StateDataFormat)} must be set (Saml2PostConfigureOptions does it).");
        }

        if (SigningCertificate is not null && !SigningCertificate.HasPrivateKey)
        {
            throw new InvalidOperationException($"{nameof(SigningCertificate)} must carry its private key.");
        }
    }
}
