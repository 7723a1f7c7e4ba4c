using System.Collections.Immutable;

namespace Portal.Core.Credentials;

/// <summary>How a temporary session was issued (STS-SPEC §1.1–§1.5).</summary>
public enum SessionKind
{
    /// <summary>AssumeRole, AssumeRoleWithSAML or AssumeRoleWithWebIdentity.</summary>
    AssumedRole,

    /// <summary>GetFederationToken.</summary>
    FederatedUser,

    /// <summary>GetSessionToken.</summary>
    SessionToken,
}

/// <summary>A session tag; key case is preserved as given (STS-SPEC §1.0.5).</summary>
/// <param name="Key">Tag key.</param>
/// <param name="Value">Tag value.</param>
public readonly record struct SessionTag(string Key, string Value);

/// <summary>
/// Everything the server needs to know about a temporary session, sealed inside its session token
/// (STS-SPEC §4.3 option b). Permissions are not baked in: policies are evaluated per request (SECURITY-CASES 93b).
/// </summary>
public sealed record SessionClaims
{
    /// <summary>Random id of this session (target of single-session revocation), see <see cref="UniqueIds.NewSessionId"/>.</summary>
    public required string SessionId { get; init; }

    /// <summary>The <c>ASIA…</c> access key id issued with the token.</summary>
    public required string AccessKeyId { get; init; }

    /// <summary>The secret access key issued with the token.</summary>
    public required string SecretAccessKey { get; init; }

    /// <summary>Which action issued the session.</summary>
    public required SessionKind Kind { get; init; }

    /// <summary>The 12-digit account of the session's principal.</summary>
    public required string AccountId { get; init; }

    /// <summary>Caller ARN: assumed-role or federated-user ARN, or the user/root ARN for GetSessionToken (STS-SPEC §4.7).</summary>
    public required string Arn { get; init; }

    /// <summary><c>aws:userid</c>: <c>AROA…:session</c>, <c>ACCT:Name</c>, <c>AIDA…</c> or the account id for root (STS-SPEC §4.8).</summary>
    public required string PrincipalId { get; init; }

    /// <summary>Role ARN with path for role sessions; the IAM user or root ARN for GetSessionToken/GetFederationToken.</summary>
    public required string SourcePrincipalArn { get; init; }

    /// <summary>Unique id (<c>AROA…</c>/<c>AIDA…</c>, or the account id for root) of the source principal.</summary>
    public required string SourcePrincipalId { get; init; }

    /// <summary>RoleSessionName or federated user name, when there is one.</summary>
    public string? SessionName { get; init; }

    /// <summary>Inline session policy text, when passed.</summary>
    public string? InlineSessionPolicy { get; init; }

    /// <summary>Managed session policy ARNs (PolicyArns).</summary>
    public IReadOnlyList<string> SessionPolicyArns { get; init; } = [];

    /// <summary>Session tags.</summary>
    public IReadOnlyList<SessionTag> Tags { get; init; } = [];

    /// <summary>Keys of tags that pass on through role chaining.</summary>
    public IReadOnlyList<string> TransitiveTagKeys { get; init; } = [];

    /// <summary>SourceIdentity, when set.</summary>
    public string? SourceIdentity { get; init; }

    /// <summary>When MFA was authenticated; MFA is present iff this is set.</summary>
    public DateTimeOffset? MfaAuthenticatedAt { get; init; }

    /// <summary>Issue time (<c>aws:TokenIssueTime</c>).</summary>
    public required DateTimeOffset IssuedAt { get; init; }

    /// <summary>Expiry; the session is expired when now &gt;= this (SECURITY-CASES 92a).</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>True when the session was obtained with role-session credentials (STS-SPEC §1.0.4).</summary>
    public bool IsRoleChain { get; init; }

    /// <summary>SAML/OIDC provider ARN for federated role sessions.</summary>
    public string? FederatedProvider { get; init; }

    /// <summary>Federation condition keys kept for later requests (e.g. <c>saml:sub</c>, <c>&lt;provider&gt;:sub</c>).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> FederationKeys { get; init; } =
        ImmutableDictionary<string, IReadOnlyList<string>>.Empty;

    /// <summary>RequestId of the issuing call, for audit.</summary>
    public string? RequestId { get; init; }

    /// <summary>Identifies the session for logs without the secret access key or policy text (SECURITY-CASES 96).</summary>
    public override string ToString() =>
        $"SessionClaims {{ SessionId = {SessionId}, AccessKeyId = {AccessKeyId}, Kind = {Kind}, Arn = {Arn}, " +
        $"IssuedAt = {IssuedAt:O}, ExpiresAt = {ExpiresAt:O} }}";
}
