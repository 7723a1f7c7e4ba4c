namespace Portal.Authentication.Oidc;

/// <summary>Log messages of the OIDC sign-in and provider source; event ids 6100–6199 are stable.</summary>
internal static partial class OidcSignInLog
{
    [LoggerMessage(EventId = 6100, Level = LogLevel.Information, Message = "OIDC sign-in schemes synchronised: {Added} added, {Updated} updated, {Removed} removed, {Total} active.")]
    internal static partial void Synchronised(ILogger logger, int added, int updated, int removed, int total);

    [LoggerMessage(EventId = 6101, Level = LogLevel.Warning, Message = "OIDC provider {ProviderArn} is skipped for sign-in: {Reason}.")]
    internal static partial void ProviderSkipped(ILogger logger, string providerArn, string reason);

    [LoggerMessage(EventId = 6102, Level = LogLevel.Warning, Message = "OIDC sign-in through {Scheme} failed: {Reason}.")]
    internal static partial void SignInFailed(ILogger logger, string scheme, string reason);

    [LoggerMessage(EventId = 6103, Level = LogLevel.Information, Message = "OIDC sign-in through {Scheme} succeeded for {Subject}.")]
    internal static partial void SignedIn(ILogger logger, string scheme, string subject);

    [LoggerMessage(EventId = 6104, Level = LogLevel.Warning, Message = "OIDC provider {ProviderArn} is unusable for AssumeRoleWithWebIdentity: {Reason}.")]
    internal static partial void ProviderUnusable(ILogger logger, string providerArn, string reason);
}
