namespace Portal.Core.Credentials;

/// <summary>What a <see cref="RevocationEntry"/> revokes (SECURITY-CASES 93a).</summary>
public enum RevocationKind
{
    /// <summary>One session: <see cref="RevocationEntry.Target"/> is its <see cref="SessionClaims.SessionId"/>.</summary>
    Session,

    /// <summary>
    /// Every session of one principal issued at or before <see cref="RevocationEntry.IssuedBefore"/>:
    /// <see cref="RevocationEntry.Target"/> matches <see cref="SessionClaims.Arn"/> or <see cref="SessionClaims.SourcePrincipalArn"/>.
    /// </summary>
    Principal,

    /// <summary>
    /// Every session of one role issued strictly before <see cref="RevocationEntry.IssuedBefore"/> (AWS "revoke older
    /// sessions", <c>aws:TokenIssueTime</c> DateLessThan): <see cref="RevocationEntry.Target"/> is the role ARN.
    /// </summary>
    RoleIssuedBefore,
}

/// <summary>One revocation; it expires when everything it can match has expired, so the list stays small.</summary>
/// <param name="Kind">What is revoked.</param>
/// <param name="Target">Session id, principal ARN or role ARN (ARNs compare case-insensitively: over-revoke, never under).</param>
/// <param name="IssuedBefore">Issue-time cutoff for <see cref="RevocationKind.Principal"/> and <see cref="RevocationKind.RoleIssuedBefore"/>.</param>
/// <param name="CreatedAt">When the revocation was made.</param>
/// <param name="ExpiresAt">When the entry may be dropped.</param>
public sealed record RevocationEntry(
    RevocationKind Kind,
    string Target,
    DateTimeOffset? IssuedBefore,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt);

/// <summary>Persistence of revocations, shared by all nodes (implemented with EF Core by the storage layer).</summary>
public interface IRevocationStore
{
    /// <summary>Stores an entry.</summary>
    Task AddAsync(RevocationEntry entry, CancellationToken cancellationToken);

    /// <summary>Entries whose <see cref="RevocationEntry.ExpiresAt"/> is after <paramref name="now"/>.</summary>
    Task<IReadOnlyList<RevocationEntry>> ListActiveAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Deletes entries whose <see cref="RevocationEntry.ExpiresAt"/> is at or before <paramref name="now"/>; returns how many.</summary>
    Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken);
}
