namespace Portal.Core.Persistence.Entities;

/// <summary>
/// One hashed recovery code of an MFA device. A row of its own so that redeeming a code is a single conditional
/// UPDATE on <see cref="UsedAt"/> (SECURITY-CASES 100: a code is accepted once).
/// </summary>
public sealed class MfaRecoveryCodeEntity
{
    /// <summary>Identifies the code.</summary>
    public Guid Id { get; set; }

    /// <summary>The device the code belongs to.</summary>
    public required string SerialNumber { get; set; }

    /// <summary>Per-code random salt.</summary>
    public required byte[] Salt { get; set; }

    /// <summary>PBKDF2-SHA256 of the normalised code.</summary>
    public required byte[] Hash { get; set; }

    /// <summary>When the code was redeemed; null while unused.</summary>
    public DateTimeOffset? UsedAt { get; set; }
}
