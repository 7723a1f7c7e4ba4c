namespace Portal.Authentication.Saml2;

/// <summary>
/// Settings shared by every SAML provider scheme: who the SP is (section <c>Saml2</c>). Per-IdP settings live with the
/// provider in the database (<see cref="SamlProviderSettings"/>).
/// </summary>
public sealed class Saml2ServiceProviderOptions
{
    /// <summary>
    /// The public origin (<c>https://portal.example.com</c>) used for the entityID, ACS and expected Destination/Recipient.
    /// Default null: the request's origin. Set it in production so a forged Host header cannot change what the ACS
    /// accepts (SECURITY-CASES 42, 43).
    /// </summary>
    public string? PublicOrigin { get; set; }

    /// <summary>The SP entityID (also the only accepted Audience). Default null: the origin plus <c>/saml</c>.</summary>
    public string? EntityId { get; set; }

    /// <summary>A PKCS#12 file with the SP signing key; when set, AuthnRequests are signed (SAML Bindings §3.4.4.1).</summary>
    public string? SigningCertificatePath { get; set; }

    /// <summary>The password of <see cref="SigningCertificatePath"/>.</summary>
    public string? SigningCertificatePassword { get; set; }

    /// <summary>NameID formats advertised in the SP metadata. Default: unspecified, persistent, emailAddress.</summary>
    public IList<string> NameIdFormats { get; } = [];

    /// <summary>The attribute whose values become <c>groups</c> claims, unless a provider overrides it. Default <c>groups</c>.</summary>
    public string GroupsAttributeName { get; set; } = "groups";

    /// <summary>Where an IdP-initiated sign-in lands; RelayState is never used as a target (SECURITY-CASES 50, 98). Default <c>/</c>.</summary>
    public string IdpInitiatedLandingPath { get; set; } = "/";

    /// <summary>Allowed clock skew for assertion time checks (at most three minutes). Default two minutes.</summary>
    public TimeSpan ClockSkew { get; set; } = Core.Federation.Saml.SamlValidationParameters.DefaultClockSkew;

    /// <summary>
    /// How often each node re-reads the providers from the database, so a provider added on another node appears
    /// here too. Default one minute; zero disables polling (then only <see cref="SamlProviderSchemes.SyncAsync"/> calls apply changes).
    /// </summary>
    public TimeSpan ProviderRefreshInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The NameID formats to advertise, with the default when none are configured.</summary>
    internal IReadOnlyList<string> EffectiveNameIdFormats => NameIdFormats.Count > 0
        ? [.. NameIdFormats]
        :
        [
            "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified",
            "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent",
            "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
        ];

    /// <summary>The origin for a request: <see cref="PublicOrigin"/> or the request's scheme and host, plus its PathBase.</summary>
    internal string Origin(HttpRequest request) =>
        (PublicOrigin?.TrimEnd('/') ?? request.Scheme + "://" + request.Host.ToUriComponent()) + request.PathBase.ToUriComponent();

    /// <summary>The SP entityID for a request.</summary>
    internal string SpEntityId(HttpRequest request) => EntityId ?? Origin(request) + Saml2Defaults.BasePath;

    /// <summary>The Single Logout URL for a request.</summary>
    internal string SloLocation(HttpRequest request) => Origin(request) + Saml2Defaults.SingleLogoutPath;

    /// <summary>The ACS URL for a request.</summary>
    internal string AcsLocation(HttpRequest request) => Origin(request) + Saml2Defaults.CallbackPath;
}
