namespace Portal.Core.Persistence.Entities;

/// <summary>A SAML or OIDC identity provider registered in an account.</summary>
public sealed class IdentityProviderEntity
{
    /// <summary>The provider's ARN (saml-provider/NAME or oidc-provider/HOST).</summary>
    public required string Arn { get; set; }

    /// <summary>The owning account.</summary>
    public required string AccountId { get; set; }

    /// <summary>"SAML" or "OIDC".</summary>
    public required string Kind { get; set; }

    /// <summary>The SAML provider name, or the OIDC issuer URL.</summary>
    public required string Name { get; set; }

    /// <summary>SAML: the IdP metadata document. OIDC: null.</summary>
    public string? MetadataXml { get; set; }

    /// <summary>OIDC: client ids (audiences) as a JSON array.</summary>
    public string ClientIdsJson { get; set; } = "[]";

    /// <summary>OIDC: certificate thumbprints as a JSON array.</summary>
    public string ThumbprintsJson { get; set; } = "[]";

    /// <summary>Portal sign-in settings (display name, client secret reference, group claim …) as JSON.</summary>
    public string SettingsJson { get; set; } = "{}";

    /// <summary>Tags as a JSON array of {Key,Value}.</summary>
    public string TagsJson { get; set; } = "[]";

    /// <summary>When the provider was registered.</summary>
    public DateTimeOffset CreatedAt { get; set; }
}
