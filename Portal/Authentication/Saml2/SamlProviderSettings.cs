using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Portal.Core.Federation.Saml;
using Portal.Core.Persistence.Entities;

namespace Portal.Authentication.Saml2;

/// <summary>
/// The portal sign-in settings of one SAML provider, stored as <c>IdentityProviderEntity.SettingsJson</c>
/// (camelCase JSON; unknown members are ignored so other sign-in methods can share the column).
/// </summary>
public sealed record SamlProviderSettings
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The name shown on the sign-in page. Default: the provider name.</summary>
    public string? DisplayName { get; init; }

    /// <summary>Accept IdP-initiated (unsolicited) responses. Default false (SECURITY-CASES 50).</summary>
    public bool AllowIdpInitiated { get; init; }

    /// <summary>Believe this IdP's multi-factor AuthnContextClassRef (then <c>amr</c> contains <c>mfa</c>). Default false.</summary>
    public bool TrustMfa { get; init; }

    /// <summary>Overrides <see cref="SamlIdentityProvider.DefaultMfaAuthnContextClassRefs"/> when set.</summary>
    public IReadOnlyList<string>? MfaAuthnContextClassRefs { get; init; }

    /// <summary>Require a signed Assertion (default true); false only for IdPs that sign the Response alone.</summary>
    public bool WantAssertionsSigned { get; init; } = true;

    /// <summary>Overrides <see cref="Saml2ServiceProviderOptions.GroupsAttributeName"/> for this provider.</summary>
    public string? GroupsAttribute { get; init; }

    /// <summary>Where the metadata was imported from; "Refresh from URL" fetches it again (certificate rollover).</summary>
    public string? MetadataUrl { get; init; }

    /// <summary>Reads the settings column; an empty column gives the defaults.</summary>
    public static bool TryParse(string? json, [NotNullWhen(true)] out SamlProviderSettings? settings)
    {
        settings = null;
        if (string.IsNullOrWhiteSpace(json))
        {
            settings = new SamlProviderSettings();
            return true;
        }

        try
        {
            settings = JsonSerializer.Deserialize<SamlProviderSettings>(json, Json) ?? new SamlProviderSettings();
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Serialises the settings for the database column.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);
}

/// <summary>A SAML provider as registered in the database, parsed and ready for a scheme.</summary>
/// <param name="Arn">The provider ARN (<c>arn:aws:iam::ACCT:saml-provider/NAME</c>), the person's Federated principal.</param>
/// <param name="Name">The provider name (the scheme is <c>saml:</c> + name).</param>
/// <param name="IdentityProvider">The trusted IdP: entity ID, signing certificates (several during rollover), SSO endpoints.</param>
/// <param name="Settings">The portal sign-in settings.</param>
/// <param name="Fingerprint">Changes whenever the metadata or settings change (drives options-cache invalidation).</param>
public sealed record SamlProviderRegistration(string Arn, string Name, SamlIdentityProvider IdentityProvider, SamlProviderSettings Settings, string Fingerprint)
{
    /// <summary>The authentication scheme name.</summary>
    public string SchemeName => Saml2Defaults.SchemeName(Name);

    /// <summary>Parses a database row; false with a reason when it is not a usable SAML provider.</summary>
    public static bool TryCreate(IdentityProviderEntity entity, [NotNullWhen(true)] out SamlProviderRegistration? registration, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(entity);
        registration = null;
        if (!string.Equals(entity.Kind, "SAML", StringComparison.Ordinal) || entity.MetadataXml is null)
        {
            error = "Not a SAML provider with metadata.";
            return false;
        }

        if (!SamlMetadata.TryParse(entity.MetadataXml, out var metadata, out error))
        {
            return false;
        }

        if (!SamlProviderSettings.TryParse(entity.SettingsJson, out var settings))
        {
            error = "SettingsJson is not valid JSON.";
            return false;
        }

        var provider = metadata.ToIdentityProvider() with
        {
            AllowIdpInitiated = settings.AllowIdpInitiated,
            WantAssertionsSigned = settings.WantAssertionsSigned,
            TrustMfaAuthnContext = settings.TrustMfa,
            MfaAuthnContextClassRefs = settings.MfaAuthnContextClassRefs ?? SamlIdentityProvider.DefaultMfaAuthnContextClassRefs,
        };
        var fingerprint = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(entity.MetadataXml + "\n" + entity.SettingsJson)));
        registration = new SamlProviderRegistration(entity.Arn, entity.Name, provider, settings, fingerprint);
        error = null;
        return true;
    }
}
