using Microsoft.Extensions.Logging;

namespace Portal.Core.Sts;

/// <summary>Engine log messages (never secrets, tokens or codes).</summary>
internal static partial class StsEngineLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Error, Message = "The audit event for {Action} (request {RequestId}) could not be committed; no credentials were returned.")]
    public static partial void AuditFailed(ILogger logger, Exception exception, string action, string requestId);
}
