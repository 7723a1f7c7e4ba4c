using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Portal.Core.Sts;

namespace Portal.Core.Federation.Oidc;

/// <summary>
/// Validates OIDC ID tokens for AssumeRoleWithWebIdentity (STS-SPEC §1.3) and for the portal's own OIDC sign-in:
/// shape, registered issuer, signature with a key from that issuer's JWKS only, lifetime, age, subject and
/// audience, then maps claims (SECURITY-CASES groups G and H).
/// </summary>
/// <remarks>
/// Every failure is an outcome: <see cref="StsErrorCode.InvalidIdentityToken"/>, <see cref="StsErrorCode.ExpiredTokenException"/>
/// or <see cref="StsErrorCode.IdpCommunicationError"/>; nothing the token contains can raise an exception
/// (SECURITY-CASES §0.2). Tokens are reusable until they expire: there is no replay cache (case 80a).
/// </remarks>
public sealed class WebIdentityTokenValidator : IWebIdentityTokenValidator
{
    private readonly IOidcProviderSource _providers;
    private readonly OidcKeySource _keys;
    private readonly TimeProvider _timeProvider;
    private readonly OidcOptions _options;
    private readonly ILogger _logger;
    private readonly JsonWebTokenHandler _handler;

    /// <summary>Creates a validator over the account's registered providers and a shared key source.</summary>
    public WebIdentityTokenValidator(
        IOidcProviderSource providers,
        OidcKeySource keys,
        TimeProvider timeProvider,
        IOptions<OidcOptions> options,
        ILogger<WebIdentityTokenValidator>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(providers);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(options);
        options.Value.Validate();
        _providers = providers;
        _keys = keys;
        _timeProvider = timeProvider;
        _options = options.Value;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _handler = new JsonWebTokenHandler { MaximumTokenSizeInBytes = _options.MaxTokenLength };
    }

    /// <inheritdoc />
    public async Task<StsOutcome<ValidatedWebIdentityToken>> ValidateAsync(string token, string accountId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(accountId);
        var read = OidcTokenReader.Read(token, _options.MaxTokenLength);
        if (!read.Succeeded)
        {
            return Reject("(unparsed)", read.Error);
        }

        // SECURITY-CASES case 75: the issuer must be registered in the role's account before anything is fetched.
        var provider = await _providers.FindByIssuerAsync(accountId, read.Value.Issuer, cancellationToken).ConfigureAwait(false);
        if (provider is null)
        {
            return Reject(read.Value.Issuer, new StsError(StsErrorCode.InvalidIdentityToken, "No OpenIDConnect provider found in your account for " + Printable(read.Value.Issuer)));
        }

        return await ValidateCoreAsync(token, read.Value, provider, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Validates a token against one known provider (the portal's sign-in, which already knows its IdP).
    /// Throws <see cref="ArgumentException"/> when <paramref name="provider"/> is misconfigured.
    /// </summary>
    public async Task<StsOutcome<ValidatedWebIdentityToken>> ValidateAsync(string token, OidcProviderConfig provider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(provider);
        provider.Validate();
        var read = OidcTokenReader.Read(token, _options.MaxTokenLength);
        if (!read.Succeeded)
        {
            return Reject(provider.Issuer, read.Error);
        }

        // SECURITY-CASES case 69a: exact comparison, no trailing-slash leniency.
        if (!string.Equals(read.Value.Issuer, provider.Issuer, StringComparison.Ordinal))
        {
            return Reject(provider.Issuer, new StsError(StsErrorCode.InvalidIdentityToken, "Incorrect token issuer"));
        }

        return await ValidateCoreAsync(token, read.Value, provider, cancellationToken).ConfigureAwait(false);
    }

    private async Task<StsOutcome<ValidatedWebIdentityToken>> ValidateCoreAsync(string token, UnverifiedToken read, OidcProviderConfig provider, CancellationToken cancellationToken)
    {
        var keys = await _keys.GetSigningKeysAsync(provider, read.KeyId, cancellationToken).ConfigureAwait(false);
        if (!keys.Succeeded)
        {
            return Reject(provider.Issuer, keys.Error);
        }

        // RFC 7517 §4.4: a key that names its algorithm is used with that algorithm only.
        var candidates = keys.Value.Where(k => k.Alg is null || k.Alg == read.Algorithm).ToList();
        if (candidates.Count == 0)
        {
            var message = read.KeyId is null ? "No key of the provider's JWKS can verify the token" : "No key of the provider's JWKS matches the token's kid";
            return Reject(provider.Issuer, new StsError(StsErrorCode.InvalidIdentityToken, message));
        }

        var parameters = new TokenValidationParameters
        {
            ValidIssuer = provider.Issuer,
            ValidateIssuer = true,

            // Audience and azp are checked by OidcClaimMapper: the handler cannot express OIDC Core §3.1.3.7's azp rules.
            ValidateAudience = false,
            RequireAudience = true,
            IssuerSigningKeys = candidates,

            // Note: candidates are already narrowed to the token's kid (or the whole JWKS of this issuer when the token has
            // none), so trying each of them never reaches beyond the provider's own keys (SECURITY-CASES case 67).
            TryAllIssuerSigningKeys = true,
            ValidAlgorithms = OidcTokenReader.AllowedAlgorithms,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ClockSkew = _options.ClockSkew,

            // The handler calls this after the signature check; it reads the integer claims on the TimeProvider's clock,
            // and MapException asks it again which rule failed.
            LifetimeValidator = (_, _, _, _) => CheckLifetime(read.Payload) is null,
            ValidateSignatureLast = false,
            ValidateTokenReplay = false,
            SaveSigninToken = false,
        };

        TokenValidationResult result;
        try
        {
            result = await _handler.ValidateTokenAsync(token, parameters).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ArgumentException or SecurityTokenException or JsonException or FormatException)
        {
            return Reject(provider.Issuer, MapException(e, read));
        }

        if (!result.IsValid)
        {
            return Reject(provider.Issuer, MapException(result.Exception, read));
        }

        if (CheckIssuedAt(read.Payload) is { } ageError)
        {
            return Reject(provider.Issuer, ageError);
        }

        var mapped = OidcClaimMapper.Map(read.Payload, provider);
        return mapped.Succeeded ? mapped : Reject(provider.Issuer, mapped.Error);
    }

    /// <summary>
    /// SECURITY-CASES case 70 with skew S: valid while <c>now &lt; exp + S</c> (STS-SPEC §1.3: "current date/time N must be
    /// before the expiration date/time M"), not before <c>nbf - S</c>, and <c>nbf</c> may not follow <c>exp</c>.
    /// </summary>
    private StsError? CheckLifetime(JsonElement payload)
    {
        var now = _timeProvider.GetUtcNow();
        var expires = payload.GetProperty("exp").GetInt64();
        long? notBefore = payload.TryGetProperty("nbf", out var nbf) ? nbf.GetInt64() : null;
        if (notBefore > expires)
        {
            return Invalid("Token lifetime is invalid: nbf is after exp");
        }

        if (notBefore is { } nb && ToTime(nb) - _options.ClockSkew > now)
        {
            return Invalid("Token is not yet valid");
        }

        return now >= ToTime(expires) + _options.ClockSkew
            ? new StsError(
                StsErrorCode.ExpiredTokenException,
                string.Create(CultureInfo.InvariantCulture, $"Token expired: current date/time {now.ToUnixTimeSeconds()} must be before the expiration date/time {expires}"))
            : null;
    }

    /// <summary>
    /// AWS "Token too old" and SECURITY-CASES case 70e: <c>iat</c> must lie within <see cref="OidcOptions.MaxTokenAge"/>
    /// of now and not beyond the clock skew in the future.
    /// </summary>
    private StsError? CheckIssuedAt(JsonElement payload)
    {
        var now = _timeProvider.GetUtcNow();
        var issuedAt = ToTime(payload.GetProperty("iat").GetInt64());
        if (issuedAt - _options.ClockSkew > now)
        {
            return new StsError(StsErrorCode.InvalidIdentityToken, "Token issued in the future");
        }

        return now - issuedAt > _options.MaxTokenAge + _options.ClockSkew
            ? new StsError(StsErrorCode.InvalidIdentityToken, "Token too old")
            : null;
    }

    /// <summary>Clamped to years 1970–9000 so that adding the skew to a hostile value cannot overflow.</summary>
    private static DateTimeOffset ToTime(long seconds) => DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(seconds, 0, 221_845_392_000));

    private StsError MapException(Exception? exception, UnverifiedToken read) => exception switch
    {
        SecurityTokenInvalidLifetimeException or SecurityTokenExpiredException or SecurityTokenNotYetValidException
            => CheckLifetime(read.Payload) ?? Invalid("Token lifetime is invalid"),
        SecurityTokenNoExpirationException => Invalid("Token is missing the exp claim"),
        SecurityTokenInvalidIssuerException => Invalid("Incorrect token issuer"),
        SecurityTokenInvalidAlgorithmException => Invalid("Token signing algorithm is not allowed"),
        SecurityTokenSignatureKeyNotFoundException => Invalid("No key of the provider's JWKS matches the token"),
        SecurityTokenInvalidSignatureException => Invalid("Invalid token signature"),
        SecurityTokenMalformedException => Invalid("Token is malformed"),
        _ => Invalid("Token is invalid"),
    };

    private StsError Reject(string issuer, StsError error)
    {
        OidcLog.TokenRejected(_logger, Printable(issuer), error.Message);
        return error;
    }

    /// <summary>The issuer is attacker input echoed in an error message: printable ASCII only, bounded.</summary>
    private static string Printable(string value)
    {
        var builder = new StringBuilder(Math.Min(value.Length, 255));
        foreach (var c in value.AsSpan(0, Math.Min(value.Length, 255)))
        {
            builder.Append(c is >= ' ' and <= '~' ? c : '?');
        }

        return builder.ToString();
    }

    private static StsError Invalid(string message) => new(StsErrorCode.InvalidIdentityToken, message);
}
