namespace Portal.Core.Federation.Oidc;

/// <summary>Settings of <see cref="OidcKeySource"/> and <see cref="WebIdentityTokenValidator"/>.</summary>
public sealed record OidcOptions
{
    /// <summary>The largest clock skew <see cref="Validate"/> accepts (SECURITY-CASES case 70: set it explicitly and keep it small).</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>Tolerance applied to <c>exp</c>, <c>nbf</c> and <c>iat</c> (default 60 s).</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Tokens whose <c>iat</c> is older than this are refused, as AWS does with "Token too old" (default 1 day).</summary>
    public TimeSpan MaxTokenAge { get; set; } = TimeSpan.FromDays(1);

    /// <summary>The longest token accepted, in characters (default 20 000, the WebIdentityToken model maximum, STS-SPEC §7.10).</summary>
    public int MaxTokenLength { get; set; } = 20_000;

    /// <summary>How long a fetched JWKS is used before it is fetched again (default 1 hour).</summary>
    public TimeSpan KeyCacheLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// A token with an unknown <c>kid</c> refetches the JWKS only if the last fetch of that issuer is at least this
    /// old (default 30 s), so random kids cannot drive a fetch storm (SECURITY-CASES case 68b).
    /// </summary>
    public TimeSpan UnknownKidRefreshInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Timeout of each discovery or JWKS request (default 10 s, SECURITY-CASES case 78c).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The largest discovery document read, in bytes (default 64 KiB).</summary>
    public int MaxDiscoveryDocumentBytes { get; set; } = 64 * 1024;

    /// <summary>The largest JWKS document read, in bytes (default 256 KiB).</summary>
    public int MaxJwksBytes { get; set; } = 256 * 1024;

    /// <summary>The most keys accepted in one JWKS (default 100).</summary>
    public int MaxKeys { get; set; } = 100;

    /// <summary>Throws <see cref="ArgumentException"/> naming the property to fix.</summary>
    public void Validate()
    {
        Require(ClockSkew >= TimeSpan.Zero && ClockSkew <= MaxClockSkew, nameof(ClockSkew), "must be between 0 and 5 minutes");
        Require(MaxTokenAge > TimeSpan.Zero, nameof(MaxTokenAge), "must be positive");
        Require(MaxTokenLength > 0, nameof(MaxTokenLength), "must be positive");
        Require(KeyCacheLifetime > TimeSpan.Zero, nameof(KeyCacheLifetime), "must be positive");
        Require(UnknownKidRefreshInterval >= TimeSpan.Zero, nameof(UnknownKidRefreshInterval), "must not be negative");
        Require(RequestTimeout > TimeSpan.Zero, nameof(RequestTimeout), "must be positive");
        Require(MaxDiscoveryDocumentBytes > 0, nameof(MaxDiscoveryDocumentBytes), "must be positive");
        Require(MaxJwksBytes > 0, nameof(MaxJwksBytes), "must be positive");
        Require(MaxKeys > 0, nameof(MaxKeys), "must be positive");
    }

    private static void Require(bool condition, string property, string rule)
    {
        if (!condition)
        {
            throw new ArgumentException($"{nameof(OidcOptions)}.{property} {rule}.", property);
        }
    }
}
