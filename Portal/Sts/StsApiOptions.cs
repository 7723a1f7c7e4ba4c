namespace Portal.Sts;

/// <summary>Settings of the AWS-compatible Query API (section <c>Api</c>).</summary>
public sealed class StsApiOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Api";

    /// <summary>Largest accepted request body, in bytes (a base64 SAML response may be 100,000 characters). Default 512 KiB.</summary>
    public int MaxBodyBytes { get; set; } = 512 * 1024;

    /// <summary>Requests per second allowed per access key (token bucket refill rate); 0 disables rate limiting. Default 50.</summary>
    public int RateLimitPerSecond { get; set; } = 50;

    /// <summary>Burst size of the per-access-key token bucket. Default 100.</summary>
    public int RateLimitBurst { get; set; } = 100;

    /// <summary>Largest accepted clock skew of signed requests. Default 15 minutes (as AWS).</summary>
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromMinutes(15);
}
