using System.Security.Cryptography;
using System.Text;
using Portal.Core.Identity;

namespace Portal.Authentication.Oidc;

/// <summary>A registered OIDC provider that is enabled for portal sign-in, as its scheme is configured.</summary>
public sealed record OidcSignInProvider
{
    /// <summary>The authentication scheme: <c>oidc:</c> and <see cref="ProviderName"/>.</summary>
    public required string SchemeName { get; init; }

    /// <summary>The provider ARN (the Federated principal of trust policies).</summary>
    public required string ProviderArn { get; init; }

    /// <summary>The owning account.</summary>
    public required string AccountId { get; init; }

    /// <summary>The issuer URL (the OIDC Authority), compared exactly with the ID token's <c>iss</c>.</summary>
    public required string Issuer { get; init; }

    /// <summary>The name on the sign-in button.</summary>
    public required string DisplayName { get; init; }

    /// <summary>The portal's client id at the IdP.</summary>
    public required string ClientId { get; init; }

    /// <summary>The decrypted client secret (in memory only), or null for a public client that relies on PKCE.</summary>
    public string? ClientSecret { get; init; }

    /// <summary>The claim carrying groups, or null when groups are not mapped.</summary>
    public string? GroupsClaim { get; init; }

    /// <summary>Whether the IdP's <c>amr: mfa</c> is trusted.</summary>
    public bool TrustMfa { get; init; }

    /// <summary>The provider name used in condition keys: the issuer without scheme or trailing slash.</summary>
    public string ProviderName => Arn.OidcProviderName(Issuer);

    /// <summary>A short stable key of the scheme, used in its paths (first 16 hex digits of SHA-256 of the scheme name).</summary>
    public string Key => KeyOf(SchemeName);

    /// <summary>The redirect URI path to register at the IdP.</summary>
    public string CallbackPath => OidcSignInDefaults.CallbackPathPrefix + Key;

    /// <summary>True when the issuer's host is loopback (development IdPs): http metadata and loopback connections are allowed.</summary>
    public bool IsLoopback => Uri.TryCreate(Issuer, UriKind.Absolute, out var uri) && uri.IsLoopback;

    /// <summary>The scheme name of an issuer.</summary>
    public static string SchemeNameOf(string issuer) => OidcSignInDefaults.SchemePrefix + Arn.OidcProviderName(issuer);

    /// <summary>The path key of a scheme name.</summary>
    public static string KeyOf(string schemeName) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(schemeName)))[..16];

    // The secret stays out of logs and exception messages.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("SchemeName = ").Append(SchemeName).Append(", ProviderArn = ").Append(ProviderArn);
        return true;
    }
}
