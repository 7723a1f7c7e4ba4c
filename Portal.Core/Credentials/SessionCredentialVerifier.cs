using Portal.Core.Sts;

namespace Portal.Core.Credentials;

/// <summary>Result of verifying temporary credentials.</summary>
public enum SessionVerificationStatus
{
    /// <summary>The token opened, belongs to the key id, is unexpired and not revoked.</summary>
    Valid,

    /// <summary>Malformed, tampered, unknown key, or issued for another access key id (<c>InvalidClientTokenId</c>).</summary>
    Invalid,

    /// <summary>Now is at or after the sealed expiry (<c>ExpiredToken</c>, SECURITY-CASES 92a).</summary>
    Expired,

    /// <summary>Revoked by session, principal or issue time (<c>AccessDenied</c>, SECURITY-CASES 93a).</summary>
    Revoked,
}

/// <summary>The verification status and, when <see cref="SessionVerificationStatus.Valid"/>, the session.</summary>
/// <param name="Status">The outcome.</param>
/// <param name="Claims">The session when valid, expired or revoked (never for an invalid token).</param>
public readonly record struct SessionVerification(SessionVerificationStatus Status, SessionClaims? Claims)
{
    /// <summary>True when <see cref="Status"/> is valid (then <see cref="Claims"/> is set).</summary>
    [System.Diagnostics.CodeAnalysis.MemberNotNullWhen(true, nameof(Claims))]
    public bool IsValid => Status == SessionVerificationStatus.Valid && Claims is not null;

    /// <summary>The STS wire error for a failed verification (STS-SPEC §4.3, SECURITY-CASES 91–93); null when valid.</summary>
    public StsError? ToStsError() => Status switch
    {
        SessionVerificationStatus.Valid => null,
        SessionVerificationStatus.Expired => new StsError(StsErrorCode.ExpiredToken, "The security token included in the request is expired"),
        SessionVerificationStatus.Revoked => new StsError(StsErrorCode.AccessDenied, "The security token included in the request has been revoked"),
        _ => new StsError(StsErrorCode.InvalidClientTokenId, "The security token included in the request is invalid"),
    };
}

/// <summary>
/// Verifies the session token presented with an <c>ASIA…</c> access key id; the entry point for the SigV4 layer,
/// which then signs with <see cref="SessionClaims.SecretAccessKey"/>.
/// </summary>
public sealed class SessionCredentialVerifier
{
    private readonly SessionTokenSealer _sealer;
    private readonly TokenKeyRing _ring;
    private readonly RevocationList _revocations;
    private readonly TimeProvider _time;

    /// <summary>Creates a verifier.</summary>
    public SessionCredentialVerifier(SessionTokenSealer sealer, TokenKeyRing ring, RevocationList revocations, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(sealer);
        ArgumentNullException.ThrowIfNull(ring);
        ArgumentNullException.ThrowIfNull(revocations);
        ArgumentNullException.ThrowIfNull(time);
        _sealer = sealer;
        _ring = ring;
        _revocations = revocations;
        _time = time;
    }

    /// <summary>Checks, in order: the token opens, it was issued with <paramref name="accessKeyId"/>, it is unexpired, it is not revoked.</summary>
    public async Task<SessionVerification> VerifyAsync(string accessKeyId, string sessionToken, CancellationToken cancellationToken)
    {
        var status = _sealer.Unseal(sessionToken, out var claims);
        if (status == UnsealStatus.UnknownKey)
        {
            // The key may come from a rotation on another node: one rate-limited reload, then one retry.
            await _ring.ReloadForUnknownKeyAsync(cancellationToken).ConfigureAwait(false);
            status = _sealer.Unseal(sessionToken, out claims);
        }

        // STS-SPEC §4.3: a token that does not belong to the presented key id is InvalidClientTokenId.
        if (status != UnsealStatus.Valid || claims is null || !string.Equals(claims.AccessKeyId, accessKeyId, StringComparison.Ordinal))
        {
            return new SessionVerification(SessionVerificationStatus.Invalid, null);
        }

        if (_time.GetUtcNow() >= claims.ExpiresAt)
        {
            // The claims come back so the caller can prove the request was signed with this session's secret before
            // telling anyone that the session expired (STS-SPEC §5.5); IsValid stays false.
            return new SessionVerification(SessionVerificationStatus.Expired, claims);
        }

        await _revocations.EnsureFreshAsync(cancellationToken).ConfigureAwait(false);
        return _revocations.IsRevoked(claims)
            ? new SessionVerification(SessionVerificationStatus.Revoked, claims)
            : new SessionVerification(SessionVerificationStatus.Valid, claims);
    }
}
