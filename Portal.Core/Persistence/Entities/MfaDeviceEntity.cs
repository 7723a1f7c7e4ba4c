namespace Portal.Core.Persistence.Entities;

/// <summary>A virtual (TOTP) MFA device. Its recovery codes are rows of <see cref="MfaRecoveryCodeEntity"/>.</summary>
public sealed class MfaDeviceEntity
{
    /// <summary>The serial number: the device ARN.</summary>
    public required string SerialNumber { get; set; }

    /// <summary>The owning account.</summary>
    public required string AccountId { get; set; }

    /// <summary>The IAM path, starting and ending with '/'.</summary>
    public required string Path { get; set; }

    /// <summary>The device name (IAM virtualMFADeviceName).</summary>
    public required string DeviceName { get; set; }

    /// <summary>The user it is assigned to, once enabled (or from creation for self-enrolment).</summary>
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

    /// <summary>When the device was created.</summary>
    public DateTimeOffset CreatedAt { get; set; }
}
