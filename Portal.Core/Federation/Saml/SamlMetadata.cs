using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Xml;

namespace Portal.Core.Federation.Saml;

/// <summary>The parts of an IdP's SAML 2.0 metadata document (SAML Metadata §2.3.2, §2.4.3) the portal uses.</summary>
public sealed record SamlMetadata
{
    /// <summary>Metadata documents larger than this are refused.</summary>
    public const int MaxMetadataCharacters = 1024 * 1024;

    /// <summary>The entityID of the EntityDescriptor.</summary>
    public required string EntityId { get; init; }

    /// <summary>Certificates of KeyDescriptors with use="signing" or without use.</summary>
    public required IReadOnlyList<X509Certificate2> SigningCertificates { get; init; }

    /// <summary>SingleSignOnService locations for HTTP-Redirect.</summary>
    public IReadOnlyList<string> SsoRedirectUrls { get; init; } = [];

    /// <summary>SingleSignOnService locations for HTTP-POST.</summary>
    public IReadOnlyList<string> SsoPostUrls { get; init; } = [];

    /// <summary>The first HTTP-Redirect SingleLogoutService Location (where LogoutRequests go), or null.</summary>
    public string? SloRedirectUrl { get; init; }

    /// <summary>Where LogoutResponses go: that service's ResponseLocation, else its Location (SAML Metadata §2.2.2).</summary>
    public string? SloRedirectResponseUrl { get; init; }

    /// <summary>An IdP configuration with these keys and endpoints and default policy settings.</summary>
    public SamlIdentityProvider ToIdentityProvider() => new()
    {
        EntityId = EntityId,
        SigningCertificates = SigningCertificates,
        SsoRedirectUrls = SsoRedirectUrls,
        SsoPostUrls = SsoPostUrls,
        SloRedirectUrl = SloRedirectUrl,
        SloRedirectResponseUrl = SloRedirectResponseUrl,
    };

    /// <summary>Parses metadata with the hardened reader; throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static SamlMetadata Parse(string xml) =>
        TryParse(xml, out var metadata, out var error) ? metadata : throw new FormatException(error);

    /// <summary>Parses metadata; false with a human-readable error when it is not usable IdP metadata.</summary>
    public static bool TryParse(string xml, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SamlMetadata? metadata, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(xml);
        metadata = null;
        XmlDocument document;
        try
        {
            document = SamlXml.Load(xml, MaxMetadataCharacters);
        }
        catch (XmlException ex)
        {
            error = SamlXml.LooksLikeDtd(xml) ? "Metadata must not contain a DOCTYPE." : "Metadata is not well-formed XML: " + ex.Message;
            return false;
        }

        if (SamlXml.MeasureDepth(document) > SamlXml.MaxDepth)
        {
            error = "Metadata nests elements too deeply.";
            return false;
        }

        var root = document.DocumentElement!;
        if (!SamlXml.Is(root, SamlConstants.MetadataNs, "EntityDescriptor"))
        {
            error = "The root element must be md:EntityDescriptor.";
            return false;
        }

        var entityId = SamlXml.Attr(root, "entityID");
        if (string.IsNullOrWhiteSpace(entityId))
        {
            error = "The EntityDescriptor has no entityID.";
            return false;
        }

        var descriptors = SamlXml.Children(root, SamlConstants.MetadataNs, "IDPSSODescriptor");
        if (descriptors.Count != 1)
        {
            error = "The metadata must contain exactly one IDPSSODescriptor.";
            return false;
        }

        var certificates = new List<X509Certificate2>();
        foreach (var keyDescriptor in SamlXml.Children(descriptors[0], SamlConstants.MetadataNs, "KeyDescriptor"))
        {
            var use = SamlXml.Attr(keyDescriptor, "use");
            if (use is not null and not "signing")
            {
                continue;
            }

            foreach (var keyInfo in SamlXml.Children(keyDescriptor, SamlConstants.DsigNs, "KeyInfo"))
            {
                foreach (var data in SamlXml.Children(keyInfo, SamlConstants.DsigNs, "X509Data"))
                {
                    foreach (var certificate in SamlXml.Children(data, SamlConstants.DsigNs, "X509Certificate"))
                    {
                        try
                        {
                            var raw = Convert.FromBase64String(string.Concat((certificate.InnerText ?? string.Empty).Where(c => !char.IsWhiteSpace(c))));
                            certificates.Add(X509CertificateLoader.LoadCertificate(raw));
                        }
                        catch (Exception ex) when (ex is FormatException or CryptographicException)
                        {
                            error = "A signing X509Certificate is not a valid base64 DER certificate.";
                            return false;
                        }
                    }
                }
            }
        }

        if (certificates.Count == 0)
        {
            error = "The IDPSSODescriptor has no signing certificate.";
            return false;
        }

        var redirect = new List<string>();
        var post = new List<string>();
        foreach (var service in SamlXml.Children(descriptors[0], SamlConstants.MetadataNs, "SingleSignOnService"))
        {
            var location = SamlXml.Attr(service, "Location");
            if (!Uri.TryCreate(location, UriKind.Absolute, out var uri) || !IsAllowedSsoScheme(uri))
            {
                error = "A SingleSignOnService Location is not an absolute https URL (http only on a loopback host).";
                return false;
            }

            switch (SamlXml.Attr(service, "Binding"))
            {
                case SamlConstants.HttpRedirectBinding:
                    redirect.Add(location!);
                    break;
                case SamlConstants.HttpPostBinding:
                    post.Add(location!);
                    break;
            }
        }

        string? sloUrl = null;
        string? sloResponseUrl = null;
        foreach (var service in SamlXml.Children(descriptors[0], SamlConstants.MetadataNs, "SingleLogoutService"))
        {
            if (SamlXml.Attr(service, "Binding") != SamlConstants.HttpRedirectBinding || sloUrl is not null)
            {
                continue;
            }

            var location = SamlXml.Attr(service, "Location");
            var responseLocation = SamlXml.Attr(service, "ResponseLocation") ?? location;
            if (!IsAllowedEndpoint(location) || !IsAllowedEndpoint(responseLocation))
            {
                error = "A SingleLogoutService Location is not an absolute https URL (http only on a loopback host).";
                return false;
            }

            sloUrl = location;
            sloResponseUrl = responseLocation;
        }

        metadata = new SamlMetadata
        {
            EntityId = entityId,
            SigningCertificates = certificates,
            SsoRedirectUrls = redirect,
            SsoPostUrls = post,
            SloRedirectUrl = sloUrl,
            SloRedirectResponseUrl = sloResponseUrl,
        };
        error = null;
        return true;
    }

    private static bool IsAllowedEndpoint(string? location) =>
        Uri.TryCreate(location, UriKind.Absolute, out var uri) && IsAllowedSsoScheme(uri);

    /// <summary>
    /// https, or http on a loopback host only: a development IdP on this machine (the same rule as OIDC issuers in
    /// IAM CreateOpenIDConnectProvider). The browser carries the AuthnRequest there, so plain http never leaves the host.
    /// </summary>
    internal static bool IsAllowedSsoScheme(Uri uri) =>
        uri.Scheme == Uri.UriSchemeHttps
        || (uri.Scheme == Uri.UriSchemeHttp && (uri.IsLoopback || (System.Net.IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && System.Net.IPAddress.IsLoopback(ip))));
}
