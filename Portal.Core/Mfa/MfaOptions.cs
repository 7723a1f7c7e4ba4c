namespace Portal.Core.Mfa;

/// <summary>Settings for virtual MFA devices; bound from the <c>Mfa</c> configuration section.</summary>
public sealed class MfaOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Mfa";

    /// <summary>Issuer shown by authenticator apps (otpauth URI label prefix and <c>issuer</c>). Default "Portal".</summary>
    public string Issuer { get; set; } = "Portal";

    /// <summary>Consecutive failures within <see cref="FailureWindow"/> that lock a device. Default 5 (SECURITY-CASES case 101).</summary>
    public int MaxFailedAttempts { get; set; } = 5;

    /// <summary>How long failures keep counting after the first one. Default 15 minutes.</summary>
    public TimeSpan FailureWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a device stays locked once <see cref="MaxFailedAttempts"/> is reached. Default 15 minutes.</summary>
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Throws <see cref="ArgumentException"/> naming the property to fix.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Issuer))
        {
            throw new ArgumentException($"{nameof(MfaOptions)}.{nameof(Issuer)} must be set.", nameof(Issuer));
        }

        if (MaxFailedAttempts < 1)
        {
            throw new ArgumentException($"{nameof(MfaOptions)}.{nameof(MaxFailedAttempts)} must be at least 1.", nameof(MaxFailedAttempts));
        }

        if (FailureWindow <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{nameof(MfaOptions)}.{nameof(FailureWindow)} must be positive.", nameof(FailureWindow));
        }

        if (LockoutDuration <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{nameof(MfaOptions)}.{nameof(LockoutDuration)} must be positive.", nameof(LockoutDuration));
        }
    }
}
