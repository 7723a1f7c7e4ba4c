using Microsoft.Extensions.Logging;

namespace Portal.Core.Downloads;

internal static partial class CustomerDownloadsLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Error, Message = "The audit event for {Action} could not be committed; nothing was handed out.")]
    public static partial void AuditFailed(ILogger logger, Exception exception, string action);
}
