namespace Portal.Authentication.Oidc;

/// <summary>Names and paths of the portal's OIDC sign-in, one scheme per registered provider.</summary>
public static class OidcSignInDefaults
{
    /// <summary>Scheme names are this prefix and the provider name (issuer host[/path]), e.g. <c>oidc:idp.example.com</c>.</summary>
    public const string SchemePrefix = "oidc:";

    /// <summary>Each scheme's callback is this prefix and the scheme's <see cref="OidcSignInProvider.Key"/>; register it at the IdP.</summary>
    public const string CallbackPathPrefix = "/signin-oidc/";

    /// <summary>Each scheme's signed-out callback is this prefix and the scheme's key.</summary>
    public const string SignedOutCallbackPathPrefix = "/signout-callback-oidc/";

    /// <summary>Each scheme's front-channel sign-out path is this prefix and the scheme's key.</summary>
    public const string RemoteSignOutPathPrefix = "/signout-oidc/";

    /// <summary>GET <c>/account/signin/oidc/{key}?returnUrl=/local/path</c> starts the sign-in at that provider.</summary>
    public const string ChallengePathPrefix = "/account/signin/oidc/";

    /// <summary>The audit action of every OIDC sign-in outcome.</summary>
    public const string AuditAction = "signin.oidc";

    /// <summary>The value of <see cref="PortalClaimTypes.Method"/> for OIDC sign-in.</summary>
    public const string Method = "oidc";

    /// <summary>
    /// The outbound HTTP client for providers whose issuer is not on a loopback host: it never connects to loopback,
    /// private, link-local or metadata addresses and never follows redirects (SECURITY-CASES 78).
    /// </summary>
    public const string HttpClientName = "Portal.Oidc";

    /// <summary>
    /// The outbound HTTP client that may also reach loopback, but only when the URL itself names a loopback host
    /// (see <see cref="OidcOutboundRules"/>); used for loopback issuers and by the STS key source.
    /// </summary>
    public const string LoopbackHttpClientName = "Portal.Oidc.Loopback";
}
