using System.Security.Cryptography.X509Certificates;

namespace Portal.Core.Federation.Saml;

/// <summary>What one call of <see cref="SamlResponseValidator.ValidateAsync"/> expects (Sustainsys-style ValidationParameters).</summary>
public sealed class SamlValidationParameters
{
    /// <summary>Default clock skew (SECURITY-CASES 0.1 recommends at most 180 s).</summary>
    public static readonly TimeSpan DefaultClockSkew = TimeSpan.FromMinutes(2);

    /// <summary>Largest accepted clock skew.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(3);

    /// <summary>Default cap on the decoded message (SECURITY-CASES 19).</summary>
    public const int DefaultMaxMessageBytes = 256 * 1024;

    /// <summary>The IdP whose keys and entity ID the response must match.</summary>
    public required SamlIdentityProvider IdentityProvider { get; init; }

    /// <summary>Accepted Audience values (exact). Every AudienceRestriction must contain one (SAML Core §2.5.1.4).</summary>
    public required IReadOnlyList<string> ExpectedAudiences { get; init; }

    /// <summary>Accepted Destination and Recipient values (exact string compare; SECURITY-CASES 42, 43).</summary>
    public required IReadOnlyList<string> ExpectedDestinations { get; init; }

    /// <summary>The pending AuthnRequest ID, or null for an unsolicited response (only if the IdP allows it).</summary>
    public string? ExpectedInResponseTo { get; init; }

    /// <summary>
    /// STS API only: no AuthnRequest state exists, so InResponseTo is neither required nor compared
    /// (STS-SPEC §1.2 lists no such check). The browser ACS must leave this false.
    /// </summary>
    public bool IgnoreInResponseTo { get; init; }

    /// <summary>Allowed clock skew, applied once to every time bound; at most <see cref="MaxClockSkew"/>.</summary>
    public TimeSpan ClockSkew { get; init; } = DefaultClockSkew;

    /// <summary>How old an IssueInstant may be (SECURITY-CASES 47). Default one hour.</summary>
    public TimeSpan MaxIssueInstantAge { get; init; } = TimeSpan.FromHours(1);

    /// <summary>The store of used assertion IDs.</summary>
    public required ISamlReplayCache ReplayCache { get; init; }

    /// <summary>
    /// Refuse a second use of the same assertion (ACS: always true). The STS API may allow reuse within the validity
    /// (SECURITY-CASES N.16); a OneTimeUse condition forces one-time use either way (case 48).
    /// </summary>
    public bool EnforceOneTimeUse { get; init; } = true;

    /// <summary>SP certificates with private keys for EncryptedAssertion (RSA-OAEP key transport).</summary>
    public IReadOnlyList<X509Certificate2> DecryptionCertificates { get; init; } = [];

    /// <summary>Accept AES-CBC content encryption (legacy IdPs such as AD FS); off by default (SECURITY-CASES 54).</summary>
    public bool AllowCbcContentEncryption { get; init; }

    /// <summary>Cap on the decoded message in bytes.</summary>
    public int MaxMessageBytes { get; init; } = DefaultMaxMessageBytes;

    /// <summary>The clock.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Throws for configuration errors (programmer errors, not message errors).</summary>
    internal void EnsureValid()
    {
        if (ClockSkew < TimeSpan.Zero || ClockSkew > MaxClockSkew)
        {
            throw new ArgumentException($"{nameof(ClockSkew)} must be between 0 and {MaxClockSkew}.", nameof(ClockSkew));
        }

        if (IdentityProvider.SigningCertificates.Count == 0)
        {
            throw new ArgumentException("The identity provider has no signing certificate.", nameof(IdentityProvider));
        }

        if (ExpectedAudiences.Count == 0 || ExpectedDestinations.Count == 0)
        {
            throw new ArgumentException($"{nameof(ExpectedAudiences)} and {nameof(ExpectedDestinations)} must not be empty.");
        }

        if (MaxMessageBytes <= 0 || MaxIssueInstantAge <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{nameof(MaxMessageBytes)} and {nameof(MaxIssueInstantAge)} must be positive.");
        }
    }
}
