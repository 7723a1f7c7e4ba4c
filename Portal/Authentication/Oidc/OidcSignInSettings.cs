using System.Text.Json;
using System.Text.Json.Serialization;
using Portal.Core.Credentials;

namespace Portal.Authentication.Oidc;

/// <summary>
/// The portal sign-in settings of an OIDC provider, stored as <c>IdentityProviderEntity.SettingsJson</c>. A provider
/// without a <see cref="ClientId"/> serves AssumeRoleWithWebIdentity only and gets no sign-in scheme.
/// </summary>
public sealed record OidcSignInSettings
{
    /// <summary>The name on the sign-in button (defaults to the provider name).</summary>
    [JsonPropertyName("displayName")]
    public string? DisplayName { get; init; }

    /// <summary>The portal's client id at the IdP; sign-in is enabled when set.</summary>
    [JsonPropertyName("clientId")]
    public string? ClientId { get; init; }

    /// <summary>The client secret encrypted by <see cref="OidcSignInSettingsCodec"/> (base64); never the plaintext.</summary>
    [JsonPropertyName("clientSecret")]
    public string? ProtectedClientSecret { get; init; }

    /// <summary>The claim that carries the person's groups; when set, the <c>groups</c> scope is requested too.</summary>
    [JsonPropertyName("groupsClaim")]
    public string? GroupsClaim { get; init; }

    /// <summary>When true, an ID token whose <c>amr</c> contains <c>mfa</c> counts as multi-factor sign-in.</summary>
    [JsonPropertyName("trustMfa")]
    public bool TrustMfa { get; init; }

    /// <summary>True when the provider is configured for portal sign-in.</summary>
    [JsonIgnore]
    public bool SignInEnabled => !string.IsNullOrWhiteSpace(ClientId);
}

/// <summary>
/// Reads and writes <see cref="OidcSignInSettings"/>, encrypting the client secret at rest under its own purpose so
/// the ciphertext never opens as another kind of secret (SECURITY-CASES 102e applies to every stored secret).
/// </summary>
public sealed class OidcSignInSettingsCodec
{
    /// <summary>The protector purpose of OIDC client secrets.</summary>
    public const string Purpose = "portal/oidc-client-secret/v1";

    private static readonly JsonSerializerOptions JsonOptions = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    private readonly ISecretProtector _protector;

    /// <summary>Creates a codec whose protector is derived from the master key for <see cref="Purpose"/>.</summary>
    public OidcSignInSettingsCodec(IMasterKeySource masterKey)
        : this(new SecretProtector(masterKey, Purpose))
    {
    }

    /// <summary>Creates a codec over a given protector (tests).</summary>
    public OidcSignInSettingsCodec(ISecretProtector protector)
    {
        ArgumentNullException.ThrowIfNull(protector);
        _protector = protector;
    }

    /// <summary>Serialises <paramref name="settings"/>, replacing its secret by the encryption of <paramref name="clientSecret"/> when given.</summary>
    public string Write(OidcSignInSettings settings, string? clientSecret = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (clientSecret is not null)
        {
            settings = settings with { ProtectedClientSecret = Convert.ToBase64String(_protector.Protect(clientSecret)) };
        }

        return JsonSerializer.Serialize(settings, JsonOptions);
    }

    /// <summary>Reads stored settings; null when the JSON is not a settings object.</summary>
    public static OidcSignInSettings? Read(string? settingsJson)
    {
        if (string.IsNullOrWhiteSpace(settingsJson))
        {
            return new OidcSignInSettings();
        }

        try
        {
            return JsonSerializer.Deserialize<OidcSignInSettings>(settingsJson, JsonOptions);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The plaintext client secret; succeeded with null when none is stored, failed when the ciphertext does not open.</summary>
    public bool TryUnprotectClientSecret(OidcSignInSettings settings, out string? clientSecret)
    {
        ArgumentNullException.ThrowIfNull(settings);
        clientSecret = null;
        if (settings.ProtectedClientSecret is null)
        {
            return true;
        }

        var bytes = new byte[settings.ProtectedClientSecret.Length];
        if (!Convert.TryFromBase64String(settings.ProtectedClientSecret, bytes, out var length))
        {
            return false;
        }

        var result = _protector.UnprotectString(bytes.AsSpan(0, length));
        clientSecret = result.Value;
        return result.Succeeded;
    }
}
