using Portal.Core.Identity;

namespace Portal.Core.Mfa;

/// <summary>The persisted state of one virtual MFA device, as <see cref="IMfaDeviceStore"/> holds it.</summary>
public sealed record MfaDeviceRecord
{
    /// <summary>The device ARN, <c>arn:aws:iam::ACCT:mfa/PATH/NAME</c>; the primary key.</summary>
    public required string SerialNumber { get; init; }

    /// <summary>The account the device belongs to.</summary>
    public required AccountId Account { get; init; }

    /// <summary>The IAM path, starting and ending with '/'.</summary>
    public required string Path { get; init; }

    /// <summary>The device name (IAM virtualMFADeviceName).</summary>
    public required string DeviceName { get; init; }

    /// <summary>The TOTP seed as returned by <see cref="IMfaSecretCodec.Protect"/>; never plaintext (case 102e).</summary>
    public required byte[] ProtectedSecret { get; init; }

    /// <summary>When the device was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The owning user: set at creation for self-enrolment or on enable; null when unassigned.</summary>
    public string? UserId { get; init; }

    /// <summary>True once two consecutive codes were confirmed (case 102b).</summary>
    public bool Enabled { get; init; }

    /// <summary>When the device was enabled, if it is.</summary>
    public DateTimeOffset? EnabledAt { get; init; }

    /// <summary>The last accepted RFC 6238 time step; only strictly greater steps are accepted (case 100).</summary>
    public long LastAcceptedStep { get; init; }

    /// <summary>Failures counted since <see cref="FirstFailureAt"/> (case 101).</summary>
    public int FailedAttempts { get; init; }

    /// <summary>When the current run of failures started; null when there is none.</summary>
    public DateTimeOffset? FirstFailureAt { get; init; }

    /// <summary>The device refuses every code until this instant.</summary>
    public DateTimeOffset? LockedUntil { get; init; }

    /// <summary>The hashed recovery codes of the current generation.</summary>
    public IReadOnlyList<MfaRecoveryCodeRecord> RecoveryCodes { get; init; } = [];
}

/// <summary>One recovery code stored as a salted PBKDF2-SHA256 hash; the code itself is shown once and never stored.</summary>
/// <param name="Id">Identifies the code for the single-use update.</param>
/// <param name="Salt">Per-code random salt.</param>
/// <param name="Hash">PBKDF2-SHA256 of the normalised code.</param>
/// <param name="UsedAt">When the code was redeemed; null while unused.</param>
public sealed record MfaRecoveryCodeRecord(Guid Id, byte[] Salt, byte[] Hash, DateTimeOffset? UsedAt);

/// <summary>
/// Parameters of one atomic failure count (case 101). A SQL store applies it as one conditional UPDATE:
/// restart the count at 1 when the run began at or before <see cref="WindowStart"/>, else add one; on reaching
/// <see cref="Threshold"/> set <c>LockedUntil</c> and clear the count.
/// </summary>
/// <param name="Now">The failure time.</param>
/// <param name="WindowStart">Failures that started at or before this instant no longer count.</param>
/// <param name="Threshold">The count that locks the device.</param>
/// <param name="LockUntil">The lock expiry to set when the threshold is reached.</param>
public readonly record struct MfaFailureUpdate(DateTimeOffset Now, DateTimeOffset WindowStart, int Threshold, DateTimeOffset LockUntil);

/// <summary>The counters after a failure was recorded.</summary>
/// <param name="FailedAttempts">Failures in the current run (0 right after a lock is set).</param>
/// <param name="LockedUntil">The lock expiry, when the device is locked.</param>
public readonly record struct MfaFailureState(int FailedAttempts, DateTimeOffset? LockedUntil);
