namespace Portal.Core.Mfa;

/// <summary>Why an MFA check succeeded or failed.</summary>
public enum MfaVerificationStatus
{
    /// <summary>The code was valid and is now consumed.</summary>
    Success,

    /// <summary>Malformed or wrong code; counted towards lockout.</summary>
    InvalidCode,

    /// <summary>A correct code for a step (or a recovery code) that was already accepted (case 100).</summary>
    Replayed,

    /// <summary>Too many failures; every code is refused until the lock expires (case 101).</summary>
    LockedOut,

    /// <summary>No such serial, or it does not belong to the calling user.</summary>
    UnknownDevice,

    /// <summary>The caller's device exists but has not been enabled yet (case 102b).</summary>
    NotEnabled,
}

/// <summary>The outcome of <see cref="MfaService.VerifyAsync"/> or <see cref="MfaService.RedeemRecoveryCodeAsync"/>.</summary>
/// <param name="Status">The result.</param>
/// <param name="MatchedAt">On success: the start of the matched time step, or the redemption time for a recovery code.</param>
/// <param name="TimeStep">On a TOTP success: the matched RFC 6238 time step.</param>
/// <param name="LockedUntil">When <see cref="MfaVerificationStatus.LockedOut"/>: the lock expiry.</param>
public sealed record MfaVerification(
    MfaVerificationStatus Status,
    DateTimeOffset? MatchedAt = null,
    long? TimeStep = null,
    DateTimeOffset? LockedUntil = null)
{
    /// <summary>True when the code was accepted.</summary>
    public bool Succeeded => Status == MfaVerificationStatus.Success;

    /// <summary>
    /// The AccessDenied message the STS engine returns for a failure (STS-SPEC §1.1 step 3), or null on success.
    /// A device that is unknown, someone else's or not enabled is "not associated with this user".
    /// </summary>
    public string? FailureMessage => Status switch
    {
        MfaVerificationStatus.Success => null,
        MfaVerificationStatus.UnknownDevice or MfaVerificationStatus.NotEnabled => MfaMessages.UnknownDevice,
        _ => MfaMessages.InvalidCode,
    };

    internal static MfaVerification Failed(MfaVerificationStatus status) => new(status);
}
