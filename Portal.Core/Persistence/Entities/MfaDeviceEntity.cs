namespace Portal.Core.Persistence.Entities;

/// <summary>A virtual (TOTP) MFA device.</summary>
public sealed class MfaDeviceEntity
{
    /// <summary>The serial number: the device ARN.</summary>
    public required string SerialNumber { get; set; }

    /// <summary>The owning account.</summary>
    public required string AccountId { get; set; }

    /// <summary>The user it is assigned to, once enabled.</summary>
    public string? UserId { get; set; }

    /// <summary>The TOTP secret, encrypted at rest.</summary>
    public required byte[] SecretCiphertext { get; set; }

    /// <summary>True once enabled with two consecutive codes.</summary>
    public bool IsEnabled { get; set; }

    /// <summary>When the device was enabled.</summary>
    public DateTimeOffset? EnabledAt { get; set; }

    /// <summary>The last accepted TOTP time step (replay guard).</summary>
    public long LastAcceptedStep { get; set; }

    /// <summary>Consecutive failed verifications.</summary>
    public int FailedAttempts { get; set; }

    /// <summary>When the first of the current run of failures happened.</summary>
    public DateTimeOffset? FirstFailureAt { get; set; }

    /// <summary>Verification is refused until this time.</summary>
    public DateTimeOffset? LockedUntil { get; set; }

    /// <summary>Recovery code hashes as a JSON array.</summary>
    public string RecoveryCodesJson { get; set; } = "[]";

    /// <summary>When the device was created.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Optimistic concurrency token.</summary>
    public long Version { get; set; }
}
