using Portal.Core.Credentials;

namespace Portal.Core.Persistence.Entities;

/// <summary>A revocation: of one session, of a principal's sessions, or of a role's sessions issued before a time.</summary>
public sealed class RevocationEntity
{
    /// <summary>Surrogate key.</summary>
    public long Id { get; set; }

    /// <summary>What is revoked.</summary>
    public RevocationKind Kind { get; set; }

    /// <summary>The session id, principal ARN or role ARN.</summary>
    public required string Target { get; set; }

    /// <summary>For principal and role revocations: the issue-time cutoff.</summary>
    public DateTimeOffset? IssuedBefore { get; set; }

    /// <summary>When the revocation was made.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>After this time nothing it revokes can still be valid, so it may be purged.</summary>
    public DateTimeOffset ExpiresAt { get; set; }
}
