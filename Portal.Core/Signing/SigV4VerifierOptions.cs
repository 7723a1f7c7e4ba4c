namespace Portal.Core.Signing;

/// <summary>What a SigV4 verifier accepts: signing services, regions, time window, lifetimes.</summary>
public sealed class SigV4VerifierOptions
{
    /// <summary>The options for STS: service <c>sts</c> (STS-SPEC §5).</summary>
    public static SigV4VerifierOptions Sts { get; } = new() { Services = ["sts"] };

    /// <summary>The options for IAM: service <c>iam</c>.</summary>
    public static SigV4VerifierOptions Iam { get; } = new() { Services = ["iam"] };

    /// <summary>Accepted credential-scope services; the first is named in the scope error message.</summary>
    public IReadOnlyList<string> Services { get; init; } = ["sts"];

    /// <summary>Accepted regions; null accepts any syntactically valid region name (STS-SPEC §5.2).</summary>
    public IReadOnlySet<string>? AllowedRegions { get; init; }

    /// <summary>Allowed difference between server time and request time (STS-SPEC §5.5: 15 minutes).</summary>
    public TimeSpan MaxClockSkew { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// The longest a presigned request is honoured, whatever <c>X-Amz-Expires</c> says; STS stops presigned
    /// requests ~15 minutes after <c>X-Amz-Date</c> (STS-SPEC §0.7, §5.5).
    /// </summary>
    public TimeSpan MaxPresignedLifetime { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Whether <c>X-Amz-Content-SHA256: UNSIGNED-PAYLOAD</c> is accepted. Off by default: STS and IAM carry
    /// the whole operation in the form body, so an unsigned body would let a captured request be replayed
    /// with other parameters (SECURITY-CASES 85).
    /// </summary>
    public bool AllowUnsignedPayload { get; init; }

    /// <summary>Throws when the options cannot work; a configuration error, not a request error.</summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public void Validate()
    {
        if (Services is null || Services.Count == 0)
        {
            throw new ArgumentException("SigV4VerifierOptions.Services must name at least one service.", nameof(Services));
        }

        foreach (var service in Services)
        {
            if (string.IsNullOrEmpty(service))
            {
                throw new ArgumentException("SigV4VerifierOptions.Services must not contain empty names.", nameof(Services));
            }
        }

        if (MaxClockSkew <= TimeSpan.Zero)
        {
            throw new ArgumentException("SigV4VerifierOptions.MaxClockSkew must be positive.", nameof(MaxClockSkew));
        }

        if (MaxPresignedLifetime <= TimeSpan.Zero || MaxPresignedLifetime > TimeSpan.FromSeconds(SigV4Constants.MaxPresignedExpiresSeconds))
        {
            throw new ArgumentException("SigV4VerifierOptions.MaxPresignedLifetime must be between 1 second and 7 days.", nameof(MaxPresignedLifetime));
        }
    }
}
