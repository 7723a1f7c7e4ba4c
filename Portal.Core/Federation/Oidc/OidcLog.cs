using Microsoft.Extensions.Logging;

namespace Portal.Core.Federation.Oidc;

/// <summary>OIDC validation events with stable ids; tokens and key material are never logged.</summary>
internal static partial class OidcLog
{
    [LoggerMessage(EventId = 5300, EventName = "oidc.token.rejected", Level = LogLevel.Information,
        Message = "Web identity token rejected for issuer {Issuer}: {Reason}.")]
    internal static partial void TokenRejected(ILogger logger, string issuer, string reason);

    [LoggerMessage(EventId = 5301, EventName = "oidc.keys.fetch_failed", Level = LogLevel.Warning,
        Message = "Fetching signing keys of issuer {Issuer} failed: {Reason}.")]
    internal static partial void FetchFailed(ILogger logger, string issuer, string reason);

    [LoggerMessage(EventId = 5302, EventName = "oidc.keys.fetched", Level = LogLevel.Debug,
        Message = "Fetched {KeyCount} signing keys of issuer {Issuer}.")]
    internal static partial void Fetched(ILogger logger, string issuer, int keyCount);

    [LoggerMessage(EventId = 5303, EventName = "oidc.keys.refresh_limited", Level = LogLevel.Debug,
        Message = "Unknown kid for issuer {Issuer}; JWKS refresh skipped (rate limit).")]
    internal static partial void RefreshLimited(ILogger logger, string issuer);
}
