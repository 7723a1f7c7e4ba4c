using Microsoft.Extensions.Logging;

namespace Portal.Core.Mfa;

/// <summary>MFA audit events with stable ids; codes and seeds are never logged.</summary>
internal static partial class MfaLog
{
    [LoggerMessage(EventId = 4100, EventName = "mfa.replay", Level = LogLevel.Warning,
        Message = "Replayed MFA code for device {SerialNumber} (step {Step}).")]
    internal static partial void Replay(ILogger logger, string serialNumber, long step);

    [LoggerMessage(EventId = 4101, EventName = "mfa.failure", Level = LogLevel.Information,
        Message = "Invalid MFA code for device {SerialNumber} ({FailedAttempts} consecutive failures).")]
    internal static partial void Failure(ILogger logger, string serialNumber, int failedAttempts);

    [LoggerMessage(EventId = 4102, EventName = "mfa.lockout", Level = LogLevel.Warning,
        Message = "MFA device {SerialNumber} locked until {LockedUntil}.")]
    internal static partial void Lockout(ILogger logger, string serialNumber, DateTimeOffset lockedUntil);

    [LoggerMessage(EventId = 4103, EventName = "mfa.locked.refused", Level = LogLevel.Information,
        Message = "MFA attempt refused for locked device {SerialNumber}.")]
    internal static partial void LockedRefused(ILogger logger, string serialNumber);

    [LoggerMessage(EventId = 4104, EventName = "mfa.enabled", Level = LogLevel.Information,
        Message = "MFA device {SerialNumber} enabled for user {UserId}.")]
    internal static partial void Enabled(ILogger logger, string serialNumber, string userId);

    [LoggerMessage(EventId = 4105, EventName = "mfa.deactivated", Level = LogLevel.Information,
        Message = "MFA device {SerialNumber} deactivated by user {UserId}.")]
    internal static partial void Deactivated(ILogger logger, string serialNumber, string userId);

    [LoggerMessage(EventId = 4106, EventName = "mfa.recovery.redeemed", Level = LogLevel.Information,
        Message = "Recovery code redeemed for MFA device {SerialNumber}.")]
    internal static partial void RecoveryRedeemed(ILogger logger, string serialNumber);
}
