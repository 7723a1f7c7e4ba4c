using Microsoft.Extensions.Logging;

namespace Portal.Core.Federation.Console;

/// <summary>Console sign-in events with stable ids; sign-in tokens, secrets and session tokens are never logged.</summary>
internal static partial class ConsoleSigninLog
{
    [LoggerMessage(EventId = 5400, EventName = "console.signin_token.issued", Level = LogLevel.Information,
        Message = "Sign-in token issued for {Arn} (access key {AccessKeyId}).")]
    internal static partial void TokenIssued(ILogger logger, string arn, string accessKeyId);

    [LoggerMessage(EventId = 5401, EventName = "console.signin_token.rejected", Level = LogLevel.Information,
        Message = "Sign-in token request rejected: {Reason}.")]
    internal static partial void TokenRejected(ILogger logger, string reason);

    [LoggerMessage(EventId = 5402, EventName = "console.login.succeeded", Level = LogLevel.Information,
        Message = "Console session started for {Arn} (access key {AccessKeyId}) until {ExpiresAt:O}.")]
    internal static partial void LoginSucceeded(ILogger logger, string arn, string accessKeyId, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = 5403, EventName = "console.login.rejected", Level = LogLevel.Information,
        Message = "Console login rejected: {Reason}.")]
    internal static partial void LoginRejected(ILogger logger, string reason);

    [LoggerMessage(EventId = 5404, EventName = "console.session.ended", Level = LogLevel.Information,
        Message = "Console session of access key {AccessKeyId} refused: {Reason}.")]
    internal static partial void SessionEnded(ILogger logger, string accessKeyId, string reason);
}
