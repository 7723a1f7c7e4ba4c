namespace Portal.Core.Persistence.Entities;

/// <summary>A record of issued temporary credentials (never the secret or token), for listing and revoking.</summary>
public sealed class IssuedSessionEntity
{
    /// <summary>The session id sealed into the token.</summary>
    public required string SessionId { get; set; }

    /// <summary>The temporary access key id ("ASIA…").</summary>
    public required string AccessKeyId { get; set; }

    /// <summary>The account of the session.</summary>
    public required string AccountId { get; set; }

    /// <summary>The issuing action (AssumeRole, GetFederationToken …).</summary>
    public required string Action { get; set; }

    /// <summary>The session's ARN.</summary>
    public required string Arn { get; set; }

    /// <summary>The role ARN or the IAM user / root ARN behind the session.</summary>
    public required string SourcePrincipalArn { get; set; }

    /// <summary>The caller that obtained the credentials (ARN, provider subject or portal user).</summary>
    public string? IssuedTo { get; set; }

    /// <summary>The source identity, when set.</summary>
    public string? SourceIdentity { get; set; }

    /// <summary>When the credentials were issued.</summary>
    public DateTimeOffset IssuedAt { get; set; }

    /// <summary>When the credentials expire.</summary>
    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>The issuing request.</summary>
    public string? RequestId { get; set; }
}
