using Portal.Core.Credentials;

namespace Portal.Core.Federation.Console;

/// <summary>The parameters of <c>Action=getSigninToken</c> as received (STS-SPEC §6.1); parsing is the service's job.</summary>
/// <param name="Session">URL-decoded JSON <c>{"sessionId":…,"sessionKey":…,"sessionToken":…}</c>.</param>
/// <param name="SessionDuration">Console-session length in seconds for role credentials (900–43200).</param>
/// <param name="DurationSeconds">Console-session length in seconds for GetFederationToken credentials (900–129600).</param>
/// <param name="SessionType">Optional; when present it must be <c>json</c>.</param>
public sealed record SigninTokenRequest(string? Session, string? SessionDuration = null, string? DurationSeconds = null, string? SessionType = null)
{
    /// <summary>Never prints the credentials (SECURITY-CASES 96).</summary>
    public override string ToString() => $"SigninTokenRequest {{ SessionDuration = {SessionDuration}, DurationSeconds = {DurationSeconds} }}";
}

/// <summary>A console session established by redeeming a sign-in token (STS-SPEC §6.2).</summary>
/// <param name="Claims">The temporary session the console acts as.</param>
/// <param name="SessionToken">The session token, kept so every console request can re-verify the credentials.</param>
/// <param name="ExpiresAt">When the console session ends: never later than <see cref="SessionClaims.ExpiresAt"/>.</param>
public sealed record ConsoleSession(SessionClaims Claims, string SessionToken, DateTimeOffset ExpiresAt)
{
    /// <summary>Never prints the session token (SECURITY-CASES 96).</summary>
    public override string ToString() => $"ConsoleSession {{ Arn = {Claims.Arn}, AccessKeyId = {Claims.AccessKeyId}, ExpiresAt = {ExpiresAt:O} }}";
}
