using Portal.Core.Credentials;
using Portal.Core.Iam;

namespace Portal.Core.Sts;

/// <summary>Facts about the HTTP request (or portal action) behind an engine call; they become aws:* condition keys and audit fields.</summary>
public sealed record RequestInfo
{
    /// <summary>The request id returned to the caller.</summary>
    public string RequestId { get; init; } = Guid.NewGuid().ToString();

    /// <summary>The client's IP address.</summary>
    public string? SourceIp { get; init; }

    /// <summary>The client's user agent.</summary>
    public string? UserAgent { get; init; }

    /// <summary>The signing region (aws:RequestedRegion).</summary>
    public string? Region { get; init; }

    /// <summary>Whether TLS was used (aws:SecureTransport).</summary>
    public bool SecureTransport { get; init; }
}

/// <summary>What kind of credentials signed the request.</summary>
public enum CallerKind
{
    /// <summary>An account root's long-term key.</summary>
    Root,

    /// <summary>An IAM user's long-term key.</summary>
    User,

    /// <summary>Temporary credentials (any session).</summary>
    Session,
}

/// <summary>An authenticated caller of the engine.</summary>
public sealed record Caller
{
    /// <summary>The kind of credentials.</summary>
    public required CallerKind Kind { get; init; }

    /// <summary>The caller's account.</summary>
    public required string AccountId { get; init; }

    /// <summary>The caller's ARN as GetCallerIdentity reports it.</summary>
    public required string Arn { get; init; }

    /// <summary>The IAM user's unique id (for users and user sessions).</summary>
    public string? UserId { get; init; }

    /// <summary>The IAM user's name.</summary>
    public string? UserName { get; init; }

    /// <summary>The IAM user's tags.</summary>
    public IReadOnlyList<Tag> UserTags { get; init; } = [];

    /// <summary>The access key id that signed the request.</summary>
    public string? AccessKeyId { get; init; }

    /// <summary>The session, for temporary credentials.</summary>
    public SessionClaims? Session { get; init; }

    /// <summary>A root caller of an account.</summary>
    public static Caller ForRoot(string accountId, string? accessKeyId) =>
        new() { Kind = CallerKind.Root, AccountId = accountId, Arn = $"arn:aws:iam::{accountId}:root", AccessKeyId = accessKeyId };

    /// <summary>An IAM user caller.</summary>
    public static Caller ForUser(UserInfo user, string? accessKeyId) =>
        new() { Kind = CallerKind.User, AccountId = user.AccountId, Arn = user.Arn, UserId = user.Id, UserName = user.Name, UserTags = user.Tags, AccessKeyId = accessKeyId };

    /// <summary>A session caller.</summary>
    public static Caller ForSession(SessionClaims session) =>
        new() { Kind = CallerKind.Session, AccountId = session.AccountId, Arn = session.Arn, AccessKeyId = session.AccessKeyId, Session = session };
}

/// <summary>Temporary credentials as every issuing action returns them.</summary>
public sealed record IssuedCredentials(string AccessKeyId, string SecretAccessKey, string SessionToken, DateTimeOffset Expiration);

/// <summary>AssumeRole parameters (STS-SPEC §1.1).</summary>
public sealed record AssumeRoleRequest
{
    /// <summary>The role to assume.</summary>
    public string? RoleArn { get; init; }

    /// <summary>The session name.</summary>
    public string? RoleSessionName { get; init; }

    /// <summary>Requested duration in seconds.</summary>
    public int? DurationSeconds { get; init; }

    /// <summary>The external id (sts:ExternalId).</summary>
    public string? ExternalId { get; init; }

    /// <summary>MFA device serial.</summary>
    public string? SerialNumber { get; init; }

    /// <summary>MFA code.</summary>
    public string? TokenCode { get; init; }

    /// <summary>Inline session policy.</summary>
    public string? Policy { get; init; }

    /// <summary>Managed session policy ARNs.</summary>
    public IReadOnlyList<string> PolicyArns { get; init; } = [];

    /// <summary>Session tags.</summary>
    public IReadOnlyList<Tag> Tags { get; init; } = [];

    /// <summary>Transitive tag keys.</summary>
    public IReadOnlyList<string> TransitiveTagKeys { get; init; } = [];

    /// <summary>Source identity.</summary>
    public string? SourceIdentity { get; init; }

    /// <summary>Provided contexts (not supported: rejected).</summary>
    public int ProvidedContextCount { get; init; }
}

/// <summary>The assumed-role user of a role session.</summary>
public sealed record AssumedRoleUser(string AssumedRoleId, string Arn);

/// <summary>AssumeRole result.</summary>
public sealed record AssumeRoleResult(IssuedCredentials Credentials, AssumedRoleUser AssumedRoleUser, int? PackedPolicySize, string? SourceIdentity);

/// <summary>AssumeRoleWithSAML parameters (STS-SPEC §1.2).</summary>
public sealed record AssumeRoleWithSamlRequest
{
    /// <summary>The role to assume.</summary>
    public string? RoleArn { get; init; }

    /// <summary>The SAML provider ARN.</summary>
    public string? PrincipalArn { get; init; }

    /// <summary>The base64 SAML Response.</summary>
    public string? SamlAssertion { get; init; }

    /// <summary>Requested duration in seconds.</summary>
    public int? DurationSeconds { get; init; }

    /// <summary>Inline session policy.</summary>
    public string? Policy { get; init; }

    /// <summary>Managed session policy ARNs.</summary>
    public IReadOnlyList<string> PolicyArns { get; init; } = [];
}

/// <summary>AssumeRoleWithSAML result.</summary>
public sealed record AssumeRoleWithSamlResult(
    IssuedCredentials Credentials,
    AssumedRoleUser AssumedRoleUser,
    int? PackedPolicySize,
    string Subject,
    string SubjectType,
    string Issuer,
    string Audience,
    string NameQualifier,
    string? SourceIdentity);

/// <summary>AssumeRoleWithWebIdentity parameters (STS-SPEC §1.3).</summary>
public sealed record AssumeRoleWithWebIdentityRequest
{
    /// <summary>The role to assume.</summary>
    public string? RoleArn { get; init; }

    /// <summary>The session name.</summary>
    public string? RoleSessionName { get; init; }

    /// <summary>The OIDC ID token.</summary>
    public string? WebIdentityToken { get; init; }

    /// <summary>OAuth 2.0 provider id (not supported: only OIDC ID tokens).</summary>
    public string? ProviderId { get; init; }

    /// <summary>Requested duration in seconds.</summary>
    public int? DurationSeconds { get; init; }

    /// <summary>Inline session policy.</summary>
    public string? Policy { get; init; }

    /// <summary>Managed session policy ARNs.</summary>
    public IReadOnlyList<string> PolicyArns { get; init; } = [];
}

/// <summary>AssumeRoleWithWebIdentity result.</summary>
public sealed record AssumeRoleWithWebIdentityResult(
    IssuedCredentials Credentials,
    string SubjectFromWebIdentityToken,
    AssumedRoleUser AssumedRoleUser,
    int? PackedPolicySize,
    string Provider,
    string Audience,
    string? SourceIdentity);

/// <summary>GetSessionToken parameters (STS-SPEC §1.4).</summary>
public sealed record GetSessionTokenRequest
{
    /// <summary>Requested duration in seconds.</summary>
    public int? DurationSeconds { get; init; }

    /// <summary>MFA device serial.</summary>
    public string? SerialNumber { get; init; }

    /// <summary>MFA code.</summary>
    public string? TokenCode { get; init; }
}

/// <summary>GetFederationToken parameters (STS-SPEC §1.5).</summary>
public sealed record GetFederationTokenRequest
{
    /// <summary>The federated user's name.</summary>
    public string? Name { get; init; }

    /// <summary>Inline session policy.</summary>
    public string? Policy { get; init; }

    /// <summary>Managed session policy ARNs.</summary>
    public IReadOnlyList<string> PolicyArns { get; init; } = [];

    /// <summary>Requested duration in seconds.</summary>
    public int? DurationSeconds { get; init; }

    /// <summary>Session tags.</summary>
    public IReadOnlyList<Tag> Tags { get; init; } = [];

    /// <summary>
    /// Who obtained the credentials when the portal calls on a signed-in person's behalf (customer downloads); recorded
    /// as the session's IssuedTo so the person sees and can revoke it. Never read from the wire; null means the caller.
    /// </summary>
    public string? IssuedTo { get; init; }
}

/// <summary>The federated user of a GetFederationToken session.</summary>
public sealed record FederatedUser(string FederatedUserId, string Arn);

/// <summary>GetFederationToken result.</summary>
public sealed record GetFederationTokenResult(IssuedCredentials Credentials, FederatedUser FederatedUser, int? PackedPolicySize);

/// <summary>GetCallerIdentity result.</summary>
public sealed record CallerIdentity(string UserId, string Account, string Arn);
