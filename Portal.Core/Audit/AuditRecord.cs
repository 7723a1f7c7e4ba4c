namespace Portal.Core.Audit;

/// <summary>An audit event: who did what, from where, and what was decided. Never carries a secret.</summary>
public sealed record AuditRecord
{
    /// <summary>When it happened.</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>The action, e.g. <c>sts:AssumeRole</c>.</summary>
    public required string Action { get; init; }

    /// <summary>The decision.</summary>
    public required AuditDecision Decision { get; init; }

    /// <summary>The request id returned to the caller.</summary>
    public string? RequestId { get; init; }

    /// <summary>A machine reason code for denials and errors.</summary>
    public string? Reason { get; init; }

    /// <summary>The acting principal (ARN or signed-in person).</summary>
    public string? Principal { get; init; }

    /// <summary>The access key id that signed the request.</summary>
    public string? CallerAccessKeyId { get; init; }

    /// <summary>The target (role ARN, user …).</summary>
    public string? Resource { get; init; }

    /// <summary>The statement that decided.</summary>
    public string? DecidingStatement { get; init; }

    /// <summary>The access key id issued.</summary>
    public string? IssuedAccessKeyId { get; init; }

    /// <summary>The issued session's source identity.</summary>
    public string? SourceIdentity { get; init; }

    /// <summary>The client's address.</summary>
    public string? SourceIp { get; init; }

    /// <summary>The client's user agent.</summary>
    public string? UserAgent { get; init; }

    /// <summary>The wire error code, for failures.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>Human-readable detail (never secrets).</summary>
    public string? Message { get; init; }

    /// <summary>For configuration changes (trust policies, identity providers): the value before the change (SECURITY-CASES 104g).</summary>
    public string? Before { get; init; }

    /// <summary>For configuration changes: the value after the change.</summary>
    public string? After { get; init; }

    /// <summary>For issuances: the session to record in the same transaction as the event.</summary>
    public IssuedSessionRecord? IssuedSession { get; init; }
}

/// <summary>The decision an audit event records.</summary>
public enum AuditDecision
{
    /// <summary>Allowed; credentials or access granted.</summary>
    Allow,

    /// <summary>Denied by policy, validation or authentication.</summary>
    Deny,

    /// <summary>Failed for an internal reason.</summary>
    Error,
}

/// <summary>Metadata of issued temporary credentials (never the secret or token).</summary>
public sealed record IssuedSessionRecord(
    string SessionId,
    string AccessKeyId,
    string AccountId,
    string Action,
    string Arn,
    string SourcePrincipalArn,
    string? IssuedTo,
    string? SourceIdentity,
    DateTimeOffset IssuedAt,
    DateTimeOffset ExpiresAt,
    string? RequestId);
