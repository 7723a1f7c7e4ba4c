using System.Globalization;
using Portal.Core.Identity;

namespace Portal.Core.Federation.Oidc;

/// <summary>
/// An IAM OIDC identity provider as the token validator needs it (STS-SPEC §1.3, §7.10): the issuer whose
/// JWKS signs tokens, the client ids accepted as audiences, and how claims map to session context.
/// </summary>
/// <remarks>
/// <see cref="Thumbprints"/> are recorded for IAM API parity only and play no part in validation: the JWKS is
/// fetched over TLS validated by the caller's <see cref="HttpClient"/> against the system trust store (AWS itself
/// stopped relying on thumbprints for publicly trusted IdPs in 2023), and pinning would need the handler's
/// certificate callback, which the host owns. SECURITY-CASES case 78(a) is therefore a host concern.
/// </remarks>
public sealed record OidcProviderConfig
{
    /// <summary>The most client ids (audiences) a provider may register (STS-SPEC §7.10).</summary>
    public const int MaxClientIds = 100;

    /// <summary>The most thumbprints a provider may register (STS-SPEC §7.10).</summary>
    public const int MaxThumbprints = 5;

    /// <summary>The provider ARN, <c>arn:aws:iam::ACCT:oidc-provider/HOST[/PATH]</c>, derived from <see cref="Issuer"/>.</summary>
    public required string ProviderArn { get; init; }

    /// <summary>The issuer URL, compared exactly (no trailing-slash leniency) with the token's <c>iss</c> and the discovery document's <c>issuer</c>.</summary>
    public required string Issuer { get; init; }

    /// <summary>The client ids accepted as the token audience (1–100).</summary>
    public required IReadOnlyList<string> ClientIds { get; init; }

    /// <summary>Server certificate thumbprints (SHA-1 hex, 0–5), recorded but not used for validation (see remarks).</summary>
    public IReadOnlyList<string> Thumbprints { get; init; } = [];

    /// <summary>The claim whose values become the <c>portal:groups</c> condition key (default <c>groups</c>).</summary>
    public string GroupsClaim { get; init; } = "groups";

    /// <summary>When true, an <c>amr</c> claim containing <c>mfa</c> marks the session as multi-factor.</summary>
    public bool TrustMfa { get; init; }

    /// <summary>
    /// Google-style tokens: accept a registered <c>azp</c> as the audience even when <c>aud</c> names another client;
    /// <c>aud</c> then becomes <c>PROVIDER:oaud</c> (AWS maps <c>accounts.google.com:aud</c> this way, SECURITY-CASES case 76c).
    /// Default false: <c>aud</c> must contain the client id.
    /// </summary>
    public bool AuthorizedPartyIsAudience { get; init; }

    /// <summary>
    /// Allows an <c>http</c> issuer and JWKS URL on a loopback host, for tests and local development only.
    /// Default false: both must be <c>https</c>.
    /// </summary>
    public bool AllowHttpOnLoopback { get; init; }

    /// <summary>The name used in condition keys: the issuer without scheme or trailing slash.</summary>
    public string ProviderName => Arn.OidcProviderName(Issuer);

    /// <summary>Throws <see cref="ArgumentException"/> naming the property to fix when the configuration is unusable.</summary>
    public void Validate()
    {
        if (!Uri.TryCreate(Issuer, UriKind.Absolute, out var issuer))
        {
            throw new ArgumentException($"{nameof(Issuer)} '{Issuer}' is not an absolute URL.", nameof(Issuer));
        }

        if (!IsAllowedScheme(issuer, AllowHttpOnLoopback))
        {
            throw new ArgumentException(
                $"{nameof(Issuer)} '{Issuer}' must use https (http only on a loopback host with {nameof(AllowHttpOnLoopback)}).",
                nameof(Issuer));
        }

        // OIDC Discovery §4 and OIDC Core §2: the issuer has no query, fragment or user info.
        if (issuer.Query.Length > 0 || issuer.Fragment.Length > 0 || issuer.UserInfo.Length > 0 || Issuer.Length > 255)
        {
            throw new ArgumentException($"{nameof(Issuer)} must be at most 255 characters with no query, fragment or user info.", nameof(Issuer));
        }

        var expectedResource = "oidc-provider/" + ProviderName;
        if (!Arn.TryParse(ProviderArn, out var arn) || arn.Service != "iam" || !arn.TryGetAccountId(out _)
            || !string.Equals(arn.Resource, expectedResource, StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"{nameof(ProviderArn)} '{ProviderArn}' must be arn:aws:iam::ACCOUNT:{expectedResource}.", nameof(ProviderArn));
        }

        if (ClientIds is null || ClientIds.Count is < 1 or > MaxClientIds
            || ClientIds.Any(c => string.IsNullOrEmpty(c) || c.Length > 255)
            || ClientIds.Distinct(StringComparer.Ordinal).Count() != ClientIds.Count)
        {
            throw new ArgumentException(
                $"{nameof(ClientIds)} must hold 1 to {MaxClientIds.ToString(CultureInfo.InvariantCulture)} distinct ids of 1 to 255 characters.",
                nameof(ClientIds));
        }

        if (Thumbprints is null || Thumbprints.Count > MaxThumbprints || Thumbprints.Any(t => t is null || t.Length != 40 || !t.All(char.IsAsciiHexDigit)))
        {
            throw new ArgumentException($"{nameof(Thumbprints)} must hold at most {MaxThumbprints.ToString(CultureInfo.InvariantCulture)} 40-digit hex values.", nameof(Thumbprints));
        }

        if (string.IsNullOrWhiteSpace(GroupsClaim))
        {
            throw new ArgumentException($"{nameof(GroupsClaim)} must name a claim.", nameof(GroupsClaim));
        }
    }

    /// <summary>https always; http only for a loopback host when the provider allows it.</summary>
    internal static bool IsAllowedScheme(Uri uri, bool allowHttpOnLoopback) =>
        uri.Scheme == Uri.UriSchemeHttps || (allowHttpOnLoopback && uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback);
}
