using System.ComponentModel.DataAnnotations;
using Portal.Core.Federation.Saml;

namespace Portal.Services.Admin;

/// <summary>The form registering a SAML provider (STYLE I.3: validated with data annotations, errors under each field).</summary>
public sealed class SamlProviderInput : IValidatableObject
{
    // IAM SAMLMetadataDocumentType: at least 1000 characters.
    private const int MinMetadataLength = 1000;

    /// <summary>The provider name (IAM SAMLProviderNameType: 1–128 of <c>[\w._-]</c>); the sign-in scheme is <c>saml:</c> + name.</summary>
    [Required(ErrorMessage = "Enter a provider name.")]
    [RegularExpression(@"^[A-Za-z0-9_.-]{1,128}$", ErrorMessage = "Use 1–128 letters, digits or . _ -.")]
    public string Name { get; set; } = string.Empty;

    /// <summary>The IdP's metadata document, pasted.</summary>
    [Required(ErrorMessage = "Paste the identity provider's metadata XML.")]
    public string MetadataXml { get; set; } = string.Empty;

    /// <summary>The name on the sign-in page (default: the provider name).</summary>
    [StringLength(100, ErrorMessage = "Keep the display name under 100 characters.")]
    public string? DisplayName { get; set; }

    /// <summary>The attribute carrying the person's groups (default: the portal-wide setting).</summary>
    [StringLength(256, ErrorMessage = "Keep the attribute name under 256 characters.")]
    public string? GroupsAttribute { get; set; }

    /// <summary>Believe this IdP's multi-factor authentication context.</summary>
    public bool TrustMfa { get; set; }

    /// <summary>Accept IdP-initiated responses (off by default, SECURITY-CASES 50).</summary>
    public bool AllowIdpInitiated { get; set; }

    /// <summary>The URL the metadata was imported from (kept for "Refresh from URL"); optional.</summary>
    [StringLength(2048, ErrorMessage = "Keep the metadata URL under 2048 characters.")]
    public string? MetadataUrl { get; set; }

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // The https and internal-address rules depend on configuration and are applied when the URL is fetched.
        if (!string.IsNullOrWhiteSpace(MetadataUrl) && SamlMetadataFetcher.UrlError(MetadataUrl, allowInternalAddresses: true) is { } urlError)
        {
            yield return new ValidationResult(urlError, [nameof(MetadataUrl)]);
        }

        if (string.IsNullOrWhiteSpace(MetadataXml))
        {
            yield break;
        }

        if (!SamlMetadata.TryParse(MetadataXml, out _, out var error))
        {
            yield return new ValidationResult(error, [nameof(MetadataXml)]);
        }
        else if (MetadataXml.Length < MinMetadataLength)
        {
            yield return new ValidationResult("IAM requires metadata of at least 1000 characters.", [nameof(MetadataXml)]);
        }
    }
}

/// <summary>The form registering an OIDC provider and, optionally, portal sign-in through it.</summary>
public sealed class OidcProviderInput : IValidatableObject
{
    /// <summary>The issuer URL: https, or http on a loopback host (STS-SPEC §7.10).</summary>
    [Required(ErrorMessage = "Enter the issuer URL.")]
    [StringLength(255, ErrorMessage = "Keep the issuer URL under 255 characters.")]
    public string IssuerUrl { get; set; } = string.Empty;

    /// <summary>Audiences accepted for AssumeRoleWithWebIdentity, one per line.</summary>
    public string ClientIds { get; set; } = string.Empty;

    /// <summary>Optional SHA-1 certificate thumbprints, one per line.</summary>
    public string Thumbprints { get; set; } = string.Empty;

    /// <summary>The name on the sign-in button.</summary>
    [StringLength(100, ErrorMessage = "Keep the display name under 100 characters.")]
    public string? DisplayName { get; set; }

    /// <summary>The portal's client id at the IdP; sign-in is enabled when set.</summary>
    [StringLength(255, ErrorMessage = "Keep the client id under 255 characters.")]
    public string? SignInClientId { get; set; }

    /// <summary>The client secret (write-only: it is encrypted at once and never shown again).</summary>
    public string? ClientSecret { get; set; }

    /// <summary>The claim carrying the person's groups.</summary>
    [StringLength(256, ErrorMessage = "Keep the claim name under 256 characters.")]
    public string? GroupsClaim { get; set; }

    /// <summary>Count <c>amr</c> containing <c>mfa</c> as multi-factor sign-in.</summary>
    public bool TrustMfa { get; set; }

    /// <summary>The parsed <see cref="ClientIds"/>.</summary>
    public IReadOnlyList<string> ParsedClientIds() => Lines(ClientIds);

    /// <summary>The parsed <see cref="Thumbprints"/>, lower case.</summary>
    public IReadOnlyList<string> ParsedThumbprints() => Lines(Thumbprints).Select(t => t.ToLowerInvariant()).ToList();

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(IssuerUrl) && ProvidersAdminService.IssuerUrlError(IssuerUrl.Trim()) is { } urlError)
        {
            yield return new ValidationResult(urlError, [nameof(IssuerUrl)]);
        }

        if (ParsedClientIds().Any(id => id.Length > 255))
        {
            yield return new ValidationResult("Each client id must be at most 255 characters.", [nameof(ClientIds)]);
        }

        if (ParsedClientIds().Count > 100)
        {
            yield return new ValidationResult("At most 100 client ids.", [nameof(ClientIds)]);
        }

        var thumbprints = ParsedThumbprints();
        if (thumbprints.Count > 5)
        {
            yield return new ValidationResult("At most 5 thumbprints.", [nameof(Thumbprints)]);
        }
        else if (thumbprints.FirstOrDefault(t => t.Length != 40 || !t.All(char.IsAsciiHexDigit)) is { } bad)
        {
            yield return new ValidationResult($"\"{bad}\" is not a SHA-1 thumbprint (40 hexadecimal digits).", [nameof(Thumbprints)]);
        }

        if (!string.IsNullOrEmpty(ClientSecret) && string.IsNullOrWhiteSpace(SignInClientId))
        {
            yield return new ValidationResult("A client secret needs the sign-in client id it belongs to.", [nameof(ClientSecret)]);
        }
    }

    private static List<string> Lines(string text) =>
        text.Split(['\n', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToList();
}

/// <summary>A SAML provider's metadata as the administrator sees it before and after registering.</summary>
/// <param name="EntityId">The IdP's entityID.</param>
/// <param name="SsoUrls">SingleSignOnService locations (HTTP-Redirect, then HTTP-POST).</param>
/// <param name="Certificates">Each signing certificate with its expiry.</param>
public sealed record SamlMetadataPreview(string EntityId, IReadOnlyList<string> SsoUrls, IReadOnlyList<CertificateExpiry> Certificates)
{
    /// <summary>True when any signing certificate has expired or expires within the warning window.</summary>
    public bool NeedsAttention => Certificates.Any(c => c.State != CertificateExpiryState.Valid);
}

/// <summary>One signing certificate and how close it is to expiry.</summary>
/// <param name="Subject">The certificate subject.</param>
/// <param name="Thumbprint">The SHA-1 thumbprint (as IdPs display it).</param>
/// <param name="NotAfter">The end of validity.</param>
/// <param name="State">Valid, expiring within 30 days, or expired.</param>
public sealed record CertificateExpiry(string Subject, string Thumbprint, DateTimeOffset NotAfter, CertificateExpiryState State);

/// <summary>How close a certificate is to expiry.</summary>
public enum CertificateExpiryState
{
    /// <summary>Valid for more than the warning window.</summary>
    Valid,

    /// <summary>Expires within the warning window: ask the IdP for the next certificate now.</summary>
    ExpiringSoon,

    /// <summary>Expired: sign-in through this certificate fails.</summary>
    Expired,
}

/// <summary>A registered provider in the list.</summary>
/// <param name="Info">The provider.</param>
/// <param name="DisplayName">The sign-in display name, when set.</param>
/// <param name="SignInEnabled">True when the provider is offered on the sign-in page.</param>
/// <param name="Saml">SAML: the parsed metadata (null for OIDC or unparseable metadata).</param>
/// <param name="Problem">Why the provider cannot be used for sign-in, when it cannot.</param>
public sealed record ProviderSummary(Portal.Core.Iam.IdentityProviderInfo Info, string? DisplayName, bool SignInEnabled, SamlMetadataPreview? Saml, string? Problem);

/// <summary>The result of fetching an issuer's discovery document.</summary>
/// <param name="Succeeded">True when the document was fetched and names its issuer and jwks_uri.</param>
/// <param name="Issuer">The document's issuer.</param>
/// <param name="JwksUri">The document's jwks_uri.</param>
/// <param name="Message">What went wrong, or a warning (issuer mismatch).</param>
public sealed record DiscoveryResult(bool Succeeded, string? Issuer, string? JwksUri, string? Message);
