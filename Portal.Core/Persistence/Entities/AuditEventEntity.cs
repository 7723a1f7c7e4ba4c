namespace Portal.Core.Persistence.Entities;

/// <summary>An audit record: every issuance and every denial.</summary>
public sealed class AuditEventEntity
{
    /// <summary>Sequence number.</summary>
    public long Id { get; set; }

    /// <summary>When the event happened.</summary>
    public DateTimeOffset Timestamp { get; set; }

    /// <summary>The request id returned to the caller.</summary>
    public string? RequestId { get; set; }

    /// <summary>The action, e.g. "sts:AssumeRole", "signin.saml", "mfa.verify".</summary>
    public required string Action { get; set; }

    /// <summary>"Allow", "Deny" or "Error".</summary>
    public required string Decision { get; set; }

    /// <summary>A machine reason code for denials (e.g. "TrustPolicyDenied", "saml.replay").</summary>
    public string? Reason { get; set; }

    /// <summary>Who acted: the caller ARN or the signed-in person.</summary>
    public string? Principal { get; set; }

    /// <summary>The access key id that signed the request, if any.</summary>
    public string? CallerAccessKeyId { get; set; }

    /// <summary>The target (role ARN, user, device …).</summary>
    public string? Resource { get; set; }

    /// <summary>The statement that decided, e.g. "trust policy of arn:…:role/R#0 (Sid AllowDevs)".</summary>
    public string? DecidingStatement { get; set; }

    /// <summary>The access key id issued, for issuances.</summary>
    public string? IssuedAccessKeyId { get; set; }

    /// <summary>The source identity of the issued session.</summary>
    public string? SourceIdentity { get; set; }

    /// <summary>The client's IP address.</summary>
    public string? SourceIp { get; set; }

    /// <summary>The client's user agent.</summary>
    public string? UserAgent { get; set; }

    /// <summary>The AWS error code returned, for failures.</summary>
    public string? ErrorCode { get; set; }

    /// <summary>Human-readable detail (never secrets).</summary>
    public string? Message { get; set; }

    /// <summary>For configuration changes (trust policies, providers): the value before the change.</summary>
    public string? Before { get; set; }

    /// <summary>For configuration changes: the value after the change.</summary>
    public string? After { get; set; }

    /// <summary>The hash chain the row belongs to (one per writing node); null for rows written before chaining existed.</summary>
    public string? ChainId { get; set; }

    /// <summary>Position in its chain, from 1 without gaps; a gap means a deleted row.</summary>
    public long? Sequence { get; set; }

    /// <summary>Lowercase hex SHA-256 over the previous row's hash and this row's fields (SECURITY-CASES 104h (2)).</summary>
    public string? Hash { get; set; }
}
