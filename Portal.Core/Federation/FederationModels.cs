using Portal.Core.Iam;
using Portal.Core.Sts;

namespace Portal.Core.Federation;

/// <summary>A SAML Response that a validator has verified (signature, issuer, conditions, replay), reduced to what the engine needs.</summary>
public sealed record ValidatedSamlAssertion
{
    /// <summary>The SAML provider ARN whose registered keys verified the response.</summary>
    public required string ProviderArn { get; init; }

    /// <summary>The assertion's Issuer (saml:iss).</summary>
    public required string Issuer { get; init; }

    /// <summary>The SubjectConfirmationData Recipient (saml:aud, the response's Audience element).</summary>
    public required string Recipient { get; init; }

    /// <summary>The NameID text (saml:sub).</summary>
    public required string Subject { get; init; }

    /// <summary>The NameID Format URI (or null when absent).</summary>
    public string? SubjectFormat { get; init; }

    /// <summary>The (role ARN, provider ARN) pairs of the AWS Role attribute.</summary>
    public IReadOnlyList<(string RoleArn, string ProviderArn)> Roles { get; init; } = [];

    /// <summary>The RoleSessionName attribute.</summary>
    public string? RoleSessionName { get; init; }

    /// <summary>The SessionDuration attribute (900..43200), which can only shorten the session.</summary>
    public int? SessionDuration { get; init; }

    /// <summary>The AuthnStatement SessionNotOnOrAfter; the session never outlives it.</summary>
    public DateTimeOffset? SessionNotOnOrAfter { get; init; }

    /// <summary>Session tags from PrincipalTag:* attributes.</summary>
    public IReadOnlyList<Tag> PrincipalTags { get; init; } = [];

    /// <summary>The TransitiveTagKeys attribute.</summary>
    public IReadOnlyList<string> TransitiveTagKeys { get; init; } = [];

    /// <summary>The SourceIdentity attribute.</summary>
    public string? SourceIdentity { get; init; }

    /// <summary>Other attributes as condition keys (e.g. saml:cn, portal:groups), multi-valued.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> ConditionKeys { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>True when the IdP authenticated with multiple factors and the provider is trusted for it.</summary>
    public bool MultiFactor { get; init; }
}

/// <summary>An OIDC ID token that a validator has verified (signature against the provider's JWKS, iss, aud, lifetime).</summary>
public sealed record ValidatedWebIdentityToken
{
    /// <summary>The OIDC provider ARN (<c>arn:aws:iam::ACCT:oidc-provider/HOST</c>).</summary>
    public required string ProviderArn { get; init; }

    /// <summary>The provider name used in condition keys (issuer without scheme).</summary>
    public required string ProviderName { get; init; }

    /// <summary>The sub claim.</summary>
    public required string Subject { get; init; }

    /// <summary>The audience (client id) that matched.</summary>
    public required string Audience { get; init; }

    /// <summary>The amr claim values.</summary>
    public IReadOnlyList<string> Amr { get; init; } = [];

    /// <summary>Session tags from the https://aws.amazon.com/tags claim.</summary>
    public IReadOnlyList<Tag> PrincipalTags { get; init; } = [];

    /// <summary>Transitive tag keys from the tags claim.</summary>
    public IReadOnlyList<string> TransitiveTagKeys { get; init; } = [];

    /// <summary>The https://aws.amazon.com/source_identity claim.</summary>
    public string? SourceIdentity { get; init; }

    /// <summary>Other mapped claims as condition keys (e.g. portal:groups), multi-valued.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> ConditionKeys { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>True when the IdP reported MFA (amr contains mfa) and the provider is trusted for it.</summary>
    public bool MultiFactor { get; init; }
}

/// <summary>Validates the SAMLAssertion of AssumeRoleWithSAML against the registered SAML providers.</summary>
public interface ISamlAssertionValidator
{
    /// <summary>Validates a base64 SAML Response for the given provider; errors carry InvalidIdentityToken / ExpiredTokenException.</summary>
    Task<StsOutcome<ValidatedSamlAssertion>> ValidateForStsAsync(string base64Response, string principalArn, CancellationToken cancellationToken);
}

/// <summary>Validates the WebIdentityToken of AssumeRoleWithWebIdentity against the registered OIDC providers.</summary>
public interface IWebIdentityTokenValidator
{
    /// <summary>Validates a JWT for a role in <paramref name="accountId"/>; errors carry InvalidIdentityToken / ExpiredTokenException / IDPCommunicationError.</summary>
    Task<StsOutcome<ValidatedWebIdentityToken>> ValidateAsync(string token, string accountId, CancellationToken cancellationToken);
}
