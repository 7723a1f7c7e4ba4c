using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Portal.Core.Audit;
using Portal.Core.Credentials;
using Portal.Core.Persistence;
using Portal.Core.Sts;

namespace Portal.Core.Federation.Console;

/// <summary>
/// The console federation endpoint's rules (STS-SPEC §6): exchanges temporary credentials for a short-lived, single-use,
/// sealed sign-in token, redeems it for a console session, and re-checks that session's credentials on every request.
/// Credentials are verified exactly as the API verifies them (<see cref="SessionCredentialVerifier"/>), so an invalid,
/// expired or revoked session can neither get a token nor keep a console session.
/// </summary>
public sealed class ConsoleSigninService
{
    /// <summary>How long a sign-in token can be redeemed after issue (STS-SPEC §6.1, SECURITY-CASES 97c).</summary>
    public static readonly TimeSpan SigninTokenLifetime = TimeSpan.FromMinutes(15);

    /// <summary>Smallest <c>SessionDuration</c>/<c>DurationSeconds</c> (STS-SPEC §6.1).</summary>
    public const int MinDurationSeconds = 900;

    /// <summary>Largest <c>SessionDuration</c> for role credentials (STS-SPEC §6.1).</summary>
    public const int MaxSessionDurationSeconds = 43200;

    /// <summary>Largest <c>DurationSeconds</c> for GetFederationToken credentials (STS-SPEC §6.1).</summary>
    public const int MaxFederationDurationSeconds = 129600;

    /// <summary>Longest <c>Session</c> JSON accepted (a session token is at most 16 KiB, SECURITY-CASES N.15).</summary>
    public const int MaxSessionJsonLength = 20 * 1024;

    /// <summary>Prefix of the one-time-use keys in <see cref="IReplayStore"/>.</summary>
    public const string ReplayKeyPrefix = "signin-token:";

    // A token minted on a node whose clock runs slightly ahead must still open on the others.
    private static readonly TimeSpan ClockTolerance = TimeSpan.FromMinutes(1);

    private readonly SessionCredentialVerifier _verifier;
    private readonly IReplayStore _replay;
    private readonly SigninTokenCodec _codec;
    private readonly TimeProvider _time;
    private readonly ILogger<ConsoleSigninService> _logger;

    /// <summary>Creates the service; tokens are sealed under a subkey of <paramref name="masterKey"/>.</summary>
    public ConsoleSigninService(SessionCredentialVerifier verifier, IReplayStore replay, IMasterKeySource masterKey, TimeProvider time, ILogger<ConsoleSigninService> logger, IAuditSink? audit = null)
    {
        _audit = audit;
        ArgumentNullException.ThrowIfNull(verifier);
        ArgumentNullException.ThrowIfNull(replay);
        ArgumentNullException.ThrowIfNull(masterKey);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _verifier = verifier;
        _replay = replay;
        _codec = new SigninTokenCodec(masterKey);
        _time = time;
        _logger = logger;
    }

    private readonly IAuditSink? _audit;

    /// <summary><c>Action=getSigninToken</c>: the sealed sign-in token, or why the credentials cannot be exchanged.</summary>
    public async Task<StsOutcome<string>> GetSigninTokenAsync(SigninTokenRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var checkedRequest = CheckRequest(request);
        if (!checkedRequest.Succeeded)
        {
            return await RejectTokenAsync(checkedRequest.Error, cancellationToken).ConfigureAwait(false);
        }

        var (keyId, secret, token, sessionDuration, durationSeconds) = checkedRequest.Value;
        var verification = await _verifier.VerifyAsync(keyId, token, cancellationToken).ConfigureAwait(false);

        // The verifier binds the token to the key id but not to the secret: holding the token alone must not be enough.
        // Checked before expiry/revocation so a caller without the secret learns nothing about the session (STS-SPEC §5.5).
        if (verification.Claims is not { } claims || !FixedTimeEquals(secret, claims.SecretAccessKey))
        {
            return await RejectTokenAsync(new StsError(StsErrorCode.InvalidClientTokenId, "The security token included in the request is invalid"), cancellationToken).ConfigureAwait(false);
        }

        if (verification.ToStsError() is { } verificationError)
        {
            return await RejectTokenAsync(verificationError, cancellationToken).ConfigureAwait(false);
        }

        if (CheckCredentialType(claims, sessionDuration, durationSeconds) is { } typeError)
        {
            return await RejectTokenAsync(typeError, cancellationToken).ConfigureAwait(false);
        }

        var payload = new SigninTokenPayload(UniqueIds.NewSessionId(), _time.GetUtcNow(), claims.AccessKeyId, token, sessionDuration ?? durationSeconds);
        ConsoleSigninLog.TokenIssued(_logger, claims.Arn, claims.AccessKeyId);
        if (!await AuditAsync("federation:getSigninToken", AuditDecision.Allow, claims.Arn, claims.AccessKeyId, null, cancellationToken).ConfigureAwait(false))
        {
            return new StsError(StsErrorCode.InternalFailure, "The request could not be completed. Try again later.");
        }

        return _codec.Seal(payload);
    }

    /// <summary>
    /// <c>Action=login</c>: opens the token, enforces its 15-minute lifetime and single use (shared by every node through
    /// <see cref="IReplayStore"/>), re-verifies the credentials and returns the console session to establish.
    /// </summary>
    public async Task<StsOutcome<ConsoleSession>> RedeemAsync(string? signinToken, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(signinToken))
        {
            return await RejectLoginAsync(new StsError(StsErrorCode.MissingParameter, "The request must contain the parameter SigninToken."), cancellationToken).ConfigureAwait(false);
        }

        if (_codec.Open(signinToken) is not { } payload)
        {
            return await RejectLoginAsync(new StsError(StsErrorCode.AccessDenied, "The sign-in token is invalid."), cancellationToken).ConfigureAwait(false);
        }

        var now = _time.GetUtcNow();
        if (now < payload.IssuedAt - ClockTolerance)
        {
            return await RejectLoginAsync(new StsError(StsErrorCode.AccessDenied, "The sign-in token is invalid."), cancellationToken).ConfigureAwait(false);
        }

        // Valid for 15 minutes after issue (STS-SPEC §6.1); 15 min + 1 s is refused (SECURITY-CASES 97c).
        if (now - payload.IssuedAt > SigninTokenLifetime)
        {
            return await RejectLoginAsync(new StsError(StsErrorCode.ExpiredToken, "The sign-in token has expired. Request a new one."), cancellationToken).ConfigureAwait(false);
        }

        // Marked before anything else can fail, so every redemption attempt consumes the token (SECURITY-CASES 97d).
        var firstUse = await _replay.TryMarkUsedAsync(ReplayKeyPrefix + payload.TokenId, payload.IssuedAt + SigninTokenLifetime + ClockTolerance, cancellationToken).ConfigureAwait(false);
        if (!firstUse)
        {
            return await RejectLoginAsync(new StsError(StsErrorCode.AccessDenied, "The sign-in token has already been used."), cancellationToken).ConfigureAwait(false);
        }

        var verification = await _verifier.VerifyAsync(payload.AccessKeyId, payload.SessionToken, cancellationToken).ConfigureAwait(false);
        if (!verification.IsValid)
        {
            return await RejectLoginAsync(verification.ToStsError()!, cancellationToken).ConfigureAwait(false);
        }

        var claims = verification.Claims;
        var expiresAt = payload.DurationSeconds is { } seconds && now.AddSeconds(seconds) < claims.ExpiresAt
            ? now.AddSeconds(seconds)
            : claims.ExpiresAt;
        ConsoleSigninLog.LoginSucceeded(_logger, claims.Arn, claims.AccessKeyId, expiresAt);

        // No console session without its audit record (ARCHITECTURE key decision 3).
        if (!await AuditAsync("federation:login", AuditDecision.Allow, claims.Arn, claims.AccessKeyId, null, cancellationToken).ConfigureAwait(false))
        {
            return new StsError(StsErrorCode.InternalFailure, "The request could not be completed. Try again later.");
        }

        return new ConsoleSession(claims, payload.SessionToken, expiresAt);
    }

    /// <summary>
    /// Reads a sign-in token without redeeming it, for the "you are signing in as …" confirmation (SECURITY-CASES 97e):
    /// the token must open, be within its 15 minutes and its credentials must still verify. Nothing is consumed.
    /// </summary>
    public async Task<StsOutcome<SessionClaims>> PeekAsync(string? signinToken, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(signinToken))
        {
            return new StsError(StsErrorCode.MissingParameter, "The request must contain the parameter SigninToken.");
        }

        if (_codec.Open(signinToken) is not { } payload)
        {
            return new StsError(StsErrorCode.AccessDenied, "The sign-in token is invalid.");
        }

        var now = _time.GetUtcNow();
        if (now < payload.IssuedAt - ClockTolerance || now - payload.IssuedAt > SigninTokenLifetime)
        {
            return new StsError(StsErrorCode.ExpiredToken, "The sign-in token has expired. Request a new one.");
        }

        var verification = await _verifier.VerifyAsync(payload.AccessKeyId, payload.SessionToken, cancellationToken).ConfigureAwait(false);
        return verification.IsValid ? verification.Claims : verification.ToStsError()!;
    }

    /// <summary>
    /// Checks a console session on a request: it has not reached <paramref name="consoleExpiresAt"/> and its credentials
    /// still verify (not expired, not revoked). Returns the current session claims for permission evaluation.
    /// </summary>
    public async Task<StsOutcome<SessionClaims>> ValidateSessionAsync(string accessKeyId, string sessionToken, DateTimeOffset consoleExpiresAt, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(accessKeyId);
        ArgumentException.ThrowIfNullOrEmpty(sessionToken);
        if (_time.GetUtcNow() >= consoleExpiresAt)
        {
            ConsoleSigninLog.SessionEnded(_logger, accessKeyId, "console session expired");
            return new StsError(StsErrorCode.ExpiredToken, "The console session has expired. Sign in again.");
        }

        var verification = await _verifier.VerifyAsync(accessKeyId, sessionToken, cancellationToken).ConfigureAwait(false);
        if (!verification.IsValid)
        {
            ConsoleSigninLog.SessionEnded(_logger, accessKeyId, verification.Status.ToString());
            return verification.ToStsError()!;
        }

        return verification.Claims;
    }

    private readonly record struct CheckedRequest(string AccessKeyId, string Secret, string SessionToken, int? SessionDuration, int? DurationSeconds);

    private static StsOutcome<CheckedRequest> CheckRequest(SigninTokenRequest request)
    {
        // AWS's samples send SessionType=json; no other format exists (STS-SPEC §6.1).
        if (request.SessionType is not null && !string.Equals(request.SessionType, "json", StringComparison.Ordinal))
        {
            return new StsError(StsErrorCode.ValidationError, "SessionType must be json.");
        }

        if (string.IsNullOrEmpty(request.Session))
        {
            return new StsError(StsErrorCode.MissingParameter, "The request must contain the parameter Session.");
        }

        if (request.Session.Length > MaxSessionJsonLength)
        {
            return new StsError(StsErrorCode.ValidationError, "The Session parameter is too long.");
        }

        if (!TryParseSession(request.Session, out var keyId, out var secret, out var token))
        {
            return new StsError(StsErrorCode.InvalidParameterValue, "Session must be a JSON object with the string members sessionId, sessionKey and sessionToken.");
        }

        if (!TryParseDuration(request.SessionDuration, MaxSessionDurationSeconds, out var sessionDuration))
        {
            return new StsError(StsErrorCode.ValidationError, $"SessionDuration must be an integer from {MinDurationSeconds} to {MaxSessionDurationSeconds}.");
        }

        if (!TryParseDuration(request.DurationSeconds, MaxFederationDurationSeconds, out var durationSeconds))
        {
            return new StsError(StsErrorCode.ValidationError, $"DurationSeconds must be an integer from {MinDurationSeconds} to {MaxFederationDurationSeconds}.");
        }

        return new CheckedRequest(keyId, secret, token, sessionDuration, durationSeconds);
    }

    /// <summary>STS-SPEC §6.1 credential-type rules and §1.0.2 (GetSessionToken credentials cannot be exchanged).</summary>
    private static StsError? CheckCredentialType(SessionClaims claims, int? sessionDuration, int? durationSeconds)
    {
        switch (claims.Kind)
        {
            case SessionKind.SessionToken:
                return new StsError(StsErrorCode.AccessDenied, "Credentials from GetSessionToken cannot be exchanged for a console sign-in token.");
            case SessionKind.FederatedUser when sessionDuration is not null:
                return new StsError(StsErrorCode.ValidationError, "SessionDuration cannot be used with GetFederationToken credentials.");
            case SessionKind.AssumedRole when durationSeconds is not null:
                return new StsError(StsErrorCode.ValidationError, "DurationSeconds applies only to GetFederationToken credentials; use SessionDuration.");
            case SessionKind.AssumedRole when claims.IsRoleChain && sessionDuration > StsEngine.RoleChainingMaxSeconds:
                // Over one hour only when the broker assumed the role with long-term keys (STS-SPEC §6.1, SECURITY-CASES 97b, N.13).
                return new StsError(StsErrorCode.ValidationError, "A SessionDuration over 3600 seconds requires role credentials obtained with long-term IAM user credentials, not by role chaining.");
            default:
                return null;
        }
    }

    private static bool TryParseSession(string json, out string accessKeyId, out string secret, out string token)
    {
        accessKeyId = secret = token = string.Empty;
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 4 });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            string? id = null, key = null, tok = null;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                {
                    // A duplicate member would let two parsers disagree on which credential was presented.
                    return false;
                }

                switch (property.Name)
                {
                    case "sessionId":
                        id = StringOf(property.Value);
                        break;
                    case "sessionKey":
                        key = StringOf(property.Value);
                        break;
                    case "sessionToken":
                        tok = StringOf(property.Value);
                        break;
                }
            }

            if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(key) || string.IsNullOrEmpty(tok))
            {
                return false;
            }

            (accessKeyId, secret, token) = (id, key, tok);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string? StringOf(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool TryParseDuration(string? text, int max, out int? seconds)
    {
        seconds = null;
        if (text is null)
        {
            return true;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < MinDurationSeconds || value > max)
        {
            return false;
        }

        seconds = value;
        return true;
    }

    private static bool FixedTimeEquals(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(expected));

    private async Task<StsError> RejectTokenAsync(StsError error, CancellationToken cancellationToken)
    {
        ConsoleSigninLog.TokenRejected(_logger, error.ToString());
        await AuditAsync("federation:getSigninToken", AuditDecision.Deny, null, null, error, cancellationToken).ConfigureAwait(false);
        return error;
    }

    private async Task<StsError> RejectLoginAsync(StsError error, CancellationToken cancellationToken)
    {
        ConsoleSigninLog.LoginRejected(_logger, error.ToString());
        await AuditAsync("federation:login", AuditDecision.Deny, null, null, error, cancellationToken).ConfigureAwait(false);
        return error;
    }

    /// <summary>Writes an audit event; false when it could not be committed (never throws).</summary>
    private async Task<bool> AuditAsync(string action, AuditDecision decision, string? principal, string? accessKeyId, StsError? error, CancellationToken cancellationToken)
    {
        if (_audit is null)
        {
            return true;
        }

        try
        {
            await _audit.WriteAsync(
                new AuditRecord
                {
                    Timestamp = _time.GetUtcNow(),
                    Action = action,
                    Decision = decision,
                    Principal = principal,
                    CallerAccessKeyId = accessKeyId,
                    Reason = error?.WireCode,
                    ErrorCode = error?.WireCode,
                    Message = error?.Message,
                },
                cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (AuditCommitException)
        {
            return false;
        }
    }
}
