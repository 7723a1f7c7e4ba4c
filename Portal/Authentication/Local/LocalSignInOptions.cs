namespace Portal.Authentication.Local;

/// <summary>Break-glass sign-in settings (section <c>LocalSignIn</c>).</summary>
public sealed class LocalSignInOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "LocalSignIn";

    /// <summary>Consecutive wrong passwords that lock a user's console sign-in. Default 5 (SECURITY-CASES 101).</summary>
    public int MaxFailedAttempts { get; set; } = 5;

    /// <summary>How long a locked user is refused, even with the right password. Default 15 minutes.</summary>
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Sign-in and MFA form posts accepted per client IP address per minute. Default 10.</summary>
    public int PermitsPerMinutePerIp { get; set; } = 10;
}
