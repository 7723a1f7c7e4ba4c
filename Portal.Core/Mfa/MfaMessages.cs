namespace Portal.Core.Mfa;

/// <summary>The observed AWS messages for MFA failures (STS-SPEC §1.1 step 3, IAM EnableMFADevice).</summary>
public static class MfaMessages
{
    /// <summary>AccessDenied message when the code is wrong, replayed or the device is locked out.</summary>
    public const string InvalidCode = "MultiFactorAuthentication failed with invalid MFA one time pass code.";

    /// <summary>AccessDenied message when the serial is unknown or not associated with the caller.</summary>
    public const string UnknownDevice =
        "MultiFactorAuthentication failed, unable to validate MFA code. Please verify your MFA serial number is valid and associated with this user.";

    /// <summary>IAM <c>InvalidAuthenticationCode</c> message of EnableMFADevice.</summary>
    public const string InvalidAuthenticationCode = "Authentication code for device is not valid.";
}
