using System.Globalization;
using Portal.Core.Federation.Saml;

namespace Portal.Core.Iam;

/// <summary>
/// The before/after text of audited IAM changes (SECURITY-CASES 104g: high-risk changes are audited with before/after
/// values). What decides trust is kept, secrets never: a SAML provider is its entity ID and signing certificates
/// (thumbprint and expiry, not the whole metadata document), an OIDC provider its URL, client ids and thumbprints.
/// </summary>
public static class IamChangeSummary
{
    /// <summary>A provider as its trust-relevant facts; null for none.</summary>
    public static string? Provider(IdentityProviderInfo? provider)
    {
        if (provider is null)
        {
            return null;
        }

        if (!string.Equals(provider.Kind, IamDirectory.SamlProviderKind, StringComparison.Ordinal))
        {
            return $"OIDC {provider.Name}; client ids: [{string.Join(", ", provider.ClientIds)}]; thumbprints: [{string.Join(", ", provider.Thumbprints)}]";
        }

        return "SAML " + provider.Name + "; " + SamlMetadataFacts(provider.MetadataXml);
    }

    /// <summary>A SAML metadata document as entity ID and signing certificates (thumbprint, expiry in UTC).</summary>
    public static string SamlMetadataFacts(string? metadataXml)
    {
        if (metadataXml is null || !SamlMetadata.TryParse(metadataXml, out var metadata, out _))
        {
            return "metadata not parseable";
        }

        var certificates = metadata.SigningCertificates.Select(c =>
            c.Thumbprint + " (expires " + c.NotAfter.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) + ")");
        return $"entity {metadata.EntityId}; signing certificates: [{string.Join(", ", certificates)}]";
    }
}
