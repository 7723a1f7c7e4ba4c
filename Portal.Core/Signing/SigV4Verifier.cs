using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Portal.Core.Identity;
using Portal.Core.Sts;

namespace Portal.Core.Signing;

/// <summary>
/// Verifies AWS Signature Version 4 requests, header or presigned form (STS-SPEC §5). A pipeline of small
/// steps: locate → parse → scope → signed-header policy → time → payload → key → canonical request →
/// signature. Every malformed input ends in a failed <see cref="SigV4Result"/>, never an exception.
/// </summary>
public sealed class SigV4Verifier
{
    private readonly ISigningSecretResolver _resolver;
    private readonly TimeProvider _timeProvider;
    private readonly SigningKeyCache _keyCache = new();

    /// <summary>Creates a verifier.</summary>
    /// <param name="resolver">Finds the secret for an access key id.</param>
    /// <param name="timeProvider">Supplies "now" for the skew and expiry checks.</param>
    public SigV4Verifier(ISigningSecretResolver resolver, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _resolver = resolver;
        _timeProvider = timeProvider;
    }

    /// <summary>Verifies the request's signature and credentials.</summary>
    /// <param name="request">The request as received.</param>
    /// <param name="options">Accepted services, regions and time limits.</param>
    /// <param name="cancellationToken">Cancels the secret lookup.</param>
    /// <returns>The signer's identity, or the AWS error to answer with.</returns>
    public async ValueTask<SigV4Result> VerifyAsync(
        SignedRequest request,
        SigV4VerifierOptions options,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        var prepared = Prepare(request, options, _timeProvider.GetUtcNow());
        if (prepared.Value is not { } pending)
        {
            return prepared.Error is { } error ? SigV4Result.Failure(error.Code, error.Message) : Unreachable();
        }

        var resolution = await _resolver.ResolveAsync(pending.AccessKeyId, pending.SessionToken, cancellationToken)
            .ConfigureAwait(false);
        return Complete(request, pending, resolution);
    }

    /// <summary>Every check that needs no secret, cheapest first, so garbage never reaches the key store.</summary>
    internal static StsOutcome<PendingVerification> Prepare(SignedRequest request, SigV4VerifierOptions options, DateTimeOffset now)
    {
        if (request.RawQuery.Length > SigV4Constants.MaxQueryLength)
        {
            return Incomplete(SigV4Messages.QueryTooLong);
        }

        var query = new List<QueryParameter>();
        if (!SigV4Canonicalizer.TryParseQuery(request.RawQuery, query, out var malformed))
        {
            return new StsError(StsErrorCode.MalformedQueryString, SigV4Messages.MalformedQuery(malformed ?? string.Empty));
        }

        if (query.Count > SigV4Constants.MaxQueryParameters)
        {
            return Incomplete(SigV4Messages.QueryTooLong);
        }

        var located = Locate(request, query);
        if (located.Value is not { } auth)
        {
            return located.Error ?? Unreachable<StsError>();
        }

        var dated = ResolveRequestTime(request.Headers, auth);
        if (dated.Value is not { } time)
        {
            return dated.Error ?? Unreachable<StsError>();
        }

        var scoped = CheckScope(auth.Credential, time.AmzDate, options);
        if (scoped.Value is not { } scope)
        {
            return scoped.Error ?? Unreachable<StsError>();
        }

        var signed = CheckSignedHeaders(request.Headers, auth, time.FromHttpDate);
        if (signed.Value is not { } signedHeaders)
        {
            return signed.Error ?? Unreachable<StsError>();
        }

        if (CheckTime(auth, time.Time, now, options) is { } timeError)
        {
            return timeError;
        }

        var hashed = ResolvePayloadHash(request, options);
        if (hashed.Value is not { } payloadHash)
        {
            return hashed.Error ?? Unreachable<StsError>();
        }

        var tokened = ResolveSessionToken(request.Headers, query, scope.AccessKeyId);
        if (!tokened.Succeeded)
        {
            return tokened.Error;
        }

        // Checked before the lookup: a malformed signature can never match (SECURITY-CASES 81).
        if (!SigV4Crypto.IsLowerHex64(auth.Signature))
        {
            return new StsError(StsErrorCode.SignatureDoesNotMatch, SigV4Messages.SignatureDoesNotMatch);
        }

        return new PendingVerification(auth, scope, time, signedHeaders, payloadHash, query, tokened.Value.Token);
    }

    internal SigV4Result Complete(SignedRequest request, PendingVerification pending, SigningSecretResolution resolution)
    {
        ArgumentNullException.ThrowIfNull(resolution);
        switch (resolution.Status)
        {
            case SigningSecretStatus.Found when resolution.Secret is not null:
                break;
            case SigningSecretStatus.Expired:
                // With the secret still known, prove possession first; only then say "expired" (STS-SPEC §5.5).
                if (resolution.Secret is not null && VerifySignature(request, pending, resolution.Secret) is { } expiredMismatch)
                {
                    return expiredMismatch;
                }

                return SigV4Result.Failure(StsErrorCode.ExpiredToken, SigV4Messages.ExpiredToken);
            default:
                // Unknown, revoked and disabled keys look the same to the caller (STS-SPEC §5.7).
                return SigV4Result.Failure(StsErrorCode.InvalidClientTokenId, SigV4Messages.InvalidClientTokenId);
        }

        if (VerifySignature(request, pending, resolution.Secret) is { } mismatch)
        {
            return mismatch;
        }

        return SigV4Result.Success(
            pending.Scope.AccessKeyId,
            pending.Scope.Region,
            pending.Scope.Service,
            pending.Time.Time,
            pending.Authorization.IsPresigned,
            resolution.PrincipalState,
            pending.SessionToken);
    }

    private SigV4Result? VerifySignature(SignedRequest request, PendingVerification pending, string secret)
    {
        var canonical = BuildCanonicalRequest(request, pending);
        if (canonical is null)
        {
            // A header listed in SignedHeaders is absent (SECURITY-CASES 84d).
            return SigV4Result.Failure(StsErrorCode.SignatureDoesNotMatch, SigV4Messages.SignatureDoesNotMatch);
        }

        var scope = SigV4Crypto.Scope(pending.Scope.Date, pending.Scope.Region, pending.Scope.Service);
        var stringToSign = SigV4Crypto.StringToSign(pending.Time.AmzDate, scope, canonical);
        var key = _keyCache.Get(secret, pending.Scope.Date, pending.Scope.Region, pending.Scope.Service);

        Span<byte> expected = stackalloc byte[SigV4Crypto.HashLength];
        Span<byte> presented = stackalloc byte[SigV4Crypto.HashLength];
        SigV4Crypto.Sign(key, stringToSign, expected);
        Convert.FromHexString(pending.Authorization.Signature, presented, out _, out _);

        // Constant time on the decoded bytes (STS-SPEC §5.4; SECURITY-CASES 81).
        return CryptographicOperations.FixedTimeEquals(expected, presented) ? null : SigV4Result.Mismatch(canonical, stringToSign);
    }

    internal static string? BuildCanonicalRequest(SignedRequest request, PendingVerification pending)
    {
        var builder = new StringBuilder(512);
        builder.Append(request.Method).Append('\n')
            .Append(SigV4Canonicalizer.CanonicalUri(request.RawPath)).Append('\n')
            .Append(SigV4Canonicalizer.CanonicalQuery(pending.Query, pending.Authorization.IsPresigned)).Append('\n');
        if (SigV4Canonicalizer.AppendCanonicalHeaders(builder, request.Headers, pending.SignedHeaders) is not null)
        {
            return null;
        }

        builder.Append('\n').Append(pending.Authorization.SignedHeaders).Append('\n').Append(pending.PayloadHash);
        return builder.ToString();
    }

    private static StsOutcome<SigV4Authorization> Locate(SignedRequest request, List<QueryParameter> query)
    {
        string? authorization = null;
        var authorizationCount = 0;
        foreach (var header in request.Headers)
        {
            if (string.Equals(header.Key, SigV4Constants.AuthorizationHeader, StringComparison.OrdinalIgnoreCase))
            {
                authorization = header.Value ?? string.Empty;
                authorizationCount++;
            }
        }

        var presigned = false;
        foreach (var parameter in query)
        {
            if (parameter.Name is SigV4Constants.AlgorithmParam or SigV4Constants.CredentialParam or SigV4Constants.SignatureParam)
            {
                presigned = true;
                break;
            }
        }

        if (authorizationCount > 0 && presigned)
        {
            // AWS forbids mixing the two forms (STS-SPEC §5.1; SECURITY-CASES 88g).
            return Incomplete(SigV4Messages.BothAuthForms);
        }

        if (presigned)
        {
            return SigV4AuthorizationParser.ParseQuery(query);
        }

        if (authorizationCount == 0)
        {
            return new StsError(StsErrorCode.MissingAuthenticationToken, SigV4Messages.MissingAuthenticationToken);
        }

        if (authorizationCount > 1)
        {
            return Incomplete(SigV4Messages.MultipleAuthorizationHeaders);
        }

        if (authorization!.Length > SigV4Constants.MaxAuthorizationLength)
        {
            return Incomplete(SigV4Messages.AuthorizationTooLong);
        }

        var hasDate = HeaderValue(request.Headers, SigV4Constants.AmzDateHeader) is not null
            || HeaderValue(request.Headers, SigV4Constants.DateHeader) is not null;
        return SigV4AuthorizationParser.ParseHeader(authorization, hasDate);
    }

    /// <summary>
    /// Header form: <c>X-Amz-Date</c>, else <c>Date</c> (RFC 1123); presigned: the <c>X-Amz-Date</c> parameter
    /// (STS-SPEC §5.1). Only the ISO 8601 basic format is accepted for <c>X-Amz-Date</c> (SECURITY-CASES 82e).
    /// </summary>
    private static StsOutcome<RequestTime> ResolveRequestTime(IReadOnlyList<KeyValuePair<string, string>> headers, SigV4Authorization auth)
    {
        var amzDate = auth.IsPresigned ? auth.QueryDate : HeaderValue(headers, SigV4Constants.AmzDateHeader);
        if (amzDate is not null)
        {
            if (amzDate.Length != 16 || !DateTimeOffset.TryParseExact(
                    amzDate,
                    SigV4Constants.AmzDateFormat,
                    CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
                    out var parsed))
            {
                return Incomplete(SigV4Messages.AmzDateFormat(amzDate));
            }

            return new RequestTime(amzDate, parsed, FromHttpDate: false);
        }

        // Locate() guaranteed one of the two for the header form.
        var httpDate = HeaderValue(headers, SigV4Constants.DateHeader) ?? string.Empty;
        if (!DateTimeOffset.TryParseExact(
                httpDate,
                "r",
                CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
                out var fromDate))
        {
            return Incomplete(SigV4Messages.HttpDateFormat(httpDate));
        }

        return new RequestTime(FormatAmzDate(fromDate), fromDate, FromHttpDate: true);
    }

    /// <summary>The credential scope checks of STS-SPEC §5.2, in its order (SECURITY-CASES 82c, 83).</summary>
    private static StsOutcome<CredentialScope> CheckScope(string credential, string amzDate, SigV4VerifierOptions options)
    {
        var parts = credential.Split('/');
        if (parts.Length != 5)
        {
            return Incomplete(SigV4Messages.CredentialParts(credential));
        }

        var scope = new CredentialScope(parts[0], parts[1], parts[2], parts[3], parts[4]);
        if (!amzDate.AsSpan(0, 8).SequenceEqual(scope.Date))
        {
            return Mismatch(SigV4Messages.ScopeDate(scope.Date, amzDate));
        }

        if (!IsValidRegion(scope.Region) || (options.AllowedRegions is { } allowed && !allowed.Contains(scope.Region)))
        {
            return Mismatch(SigV4Messages.Region(scope.Region));
        }

        if (!Contains(options.Services, scope.Service))
        {
            return Mismatch(SigV4Messages.Service(options.Services[0]));
        }

        if (scope.Terminator != SigV4Constants.Terminator)
        {
            return Mismatch(SigV4Messages.TerminatorScope);
        }

        return scope;
    }

    /// <summary>
    /// SignedHeaders must be canonical (lower-case, sorted, unique), must include <c>host</c> and every header the
    /// verifier itself reads, and every other <c>x-amz-*</c> header present must be signed
    /// (STS-SPEC §5.3; SECURITY-CASES 84, 89e).
    /// </summary>
    private static StsOutcome<string[]> CheckSignedHeaders(
        IReadOnlyList<KeyValuePair<string, string>> headers,
        SigV4Authorization auth,
        bool dateFromHttpDate)
    {
        var raw = auth.SignedHeaders;
        var names = raw.Split(';');
        if (names.Length > SigV4Constants.MaxSignedHeaders)
        {
            return Incomplete(SigV4Messages.TooManySignedHeaders);
        }

        for (var i = 0; i < names.Length; i++)
        {
            if (!IsLowerToken(names[i]) || (i > 0 && string.CompareOrdinal(names[i - 1], names[i]) >= 0))
            {
                return Incomplete(SigV4Messages.SignedHeadersSyntax(raw));
            }
        }

        if (Array.BinarySearch(names, SigV4Constants.HostHeader, StringComparer.Ordinal) < 0)
        {
            return Incomplete(SigV4Messages.HostNotSigned);
        }

        if (!auth.IsPresigned)
        {
            var timeHeader = dateFromHttpDate ? SigV4Constants.DateHeader : SigV4Constants.AmzDateHeader;
            if (Array.BinarySearch(names, timeHeader, StringComparer.Ordinal) < 0)
            {
                return Incomplete(SigV4Messages.MustBeSigned(dateFromHttpDate ? "Date" : "X-Amz-Date"));
            }
        }

        StringBuilder? unsigned = null;
        foreach (var header in headers)
        {
            var name = header.Key ?? string.Empty;
            if (!name.StartsWith(SigV4Constants.AmzHeaderPrefix, StringComparison.OrdinalIgnoreCase) || IsSigned(names, name))
            {
                continue;
            }

            if (string.Equals(name, SigV4Constants.SecurityTokenHeader, StringComparison.OrdinalIgnoreCase))
            {
                return Incomplete(SigV4Messages.MustBeSigned("X-Amz-Security-Token"));
            }

            if (string.Equals(name, SigV4Constants.ContentSha256Header, StringComparison.OrdinalIgnoreCase))
            {
                return Incomplete(SigV4Messages.MustBeSigned("X-Amz-Content-SHA256"));
            }

            unsigned = unsigned is null ? new StringBuilder() : unsigned.Append(", ");
            AppendLower(unsigned, name);
        }

        if (unsigned is not null)
        {
            return Mismatch(SigV4Messages.HeadersNotSigned(unsigned.ToString()));
        }

        return names;
    }

    /// <summary>
    /// Header form: within ±MaxClockSkew of now. Presigned: not later than now + skew, and now no later than
    /// X-Amz-Date + min(X-Amz-Expires, MaxPresignedLifetime) (STS-SPEC §5.5; SECURITY-CASES 82, 88).
    /// </summary>
    private static StsError? CheckTime(SigV4Authorization auth, DateTimeOffset requestTime, DateTimeOffset now, SigV4VerifierOptions options)
    {
        var expires = 0;
        if (auth.IsPresigned && ParseExpires(auth.Expires!, out expires) is { } expiresError)
        {
            return expiresError;
        }

        // Second resolution, as X-Amz-Date has, so the boundaries are exact.
        now = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        var skew = options.MaxClockSkew;
        var window = FormatWindow(skew);
        if (requestTime > now + skew)
        {
            return Mismatch(SigV4Messages.SignatureNotYetCurrent(FormatAmzDate(requestTime), FormatAmzDate(now + skew), FormatAmzDate(now), window));
        }

        if (!auth.IsPresigned)
        {
            if (requestTime < now - skew)
            {
                return Mismatch(SigV4Messages.SignatureExpired(FormatAmzDate(requestTime), FormatAmzDate(now - skew), FormatAmzDate(now), window));
            }

            return null;
        }

        var honoured = (int)Math.Min(expires, options.MaxPresignedLifetime.TotalSeconds);
        var validUntil = requestTime.AddSeconds(honoured);
        if (now > validUntil)
        {
            return Mismatch(SigV4Messages.PresignedExpired(FormatAmzDate(requestTime), expires, honoured, FormatAmzDate(validUntil), FormatAmzDate(now)));
        }

        return null;
    }

    /// <summary>X-Amz-Expires: an integer 1..604800 (STS-SPEC §5.5; SECURITY-CASES 88a–c).</summary>
    private static StsError? ParseExpires(string value, out int seconds)
    {
        seconds = 0;
        var digits = value.StartsWith('-') ? value.AsSpan(1) : value.AsSpan();
        if (digits.IsEmpty || digits.ContainsAnyExceptInRange('0', '9'))
        {
            return Incomplete(SigV4Messages.ExpiresNotNumber);
        }

        if (value.StartsWith('-'))
        {
            return digits.IndexOfAnyExcept('0') < 0 ? Incomplete(SigV4Messages.ExpiresZero) : Incomplete(SigV4Messages.ExpiresNegative);
        }

        if (digits.Length > 7 || (seconds = int.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture)) > SigV4Constants.MaxPresignedExpiresSeconds)
        {
            return Incomplete(SigV4Messages.ExpiresTooLarge);
        }

        return seconds == 0 ? Incomplete(SigV4Messages.ExpiresZero) : null;
    }

    /// <summary>
    /// The payload hash for the canonical request: the body's SHA-256, checked against <c>X-Amz-Content-SHA256</c>
    /// when sent (STS-SPEC §5.3; SECURITY-CASES 85b, 90).
    /// </summary>
    private static StsOutcome<string> ResolvePayloadHash(SignedRequest request, SigV4VerifierOptions options)
    {
        var declared = HeaderValue(request.Headers, SigV4Constants.ContentSha256Header);
        if (declared is not null)
        {
            if (declared.StartsWith(SigV4Constants.StreamingPrefix, StringComparison.OrdinalIgnoreCase))
            {
                // Refused before the body is used: per-chunk signatures are not verified here (SECURITY-CASES 90).
                return Incomplete(SigV4Messages.StreamingNotSupported(declared));
            }

            if (declared == SigV4Constants.UnsignedPayload)
            {
                return options.AllowUnsignedPayload ? declared : Mismatch(SigV4Messages.UnsignedPayloadNotAllowed);
            }
        }

        var actual = request.PayloadSha256Hex ?? SigV4Crypto.Sha256Hex(request.Body.Span);
        if (declared is not null && declared != actual)
        {
            return Mismatch(SigV4Messages.ContentSha256Mismatch);
        }

        return actual;
    }

    /// <summary>
    /// Key id syntax and the key/token pairing: ASIA keys need a token, AKIA keys must not carry one
    /// (STS-SPEC §5.5; SECURITY-CASES 89b, 89d).
    /// </summary>
    private static StsOutcome<SessionTokenHolder> ResolveSessionToken(
        IReadOnlyList<KeyValuePair<string, string>> headers,
        List<QueryParameter> query,
        string accessKeyId)
    {
        var fromHeader = HeaderValue(headers, SigV4Constants.SecurityTokenHeader);
        string? fromQuery = null;
        foreach (var parameter in query)
        {
            if (parameter.Name == SigV4Constants.SecurityTokenParam)
            {
                if (fromQuery is not null)
                {
                    return Incomplete(SigV4Messages.DuplicateQueryParameter(SigV4Constants.SecurityTokenParam));
                }

                fromQuery = parameter.Value;
            }
        }

        if (fromHeader is not null && fromQuery is not null)
        {
            return Incomplete(SigV4Messages.SessionTokenTwice);
        }

        var token = fromHeader ?? fromQuery;
        var invalid = new StsError(StsErrorCode.InvalidClientTokenId, SigV4Messages.InvalidClientTokenId);
        if (!IsValidAccessKeyId(accessKeyId))
        {
            return invalid;
        }

        if (token is not null && (token.Length == 0 || token.Length > SigV4Constants.MaxSessionTokenLength))
        {
            return invalid;
        }

        if (accessKeyId.StartsWith(IdPrefixes.TemporaryAccessKey, StringComparison.Ordinal) && token is null)
        {
            return invalid;
        }

        if (accessKeyId.StartsWith(IdPrefixes.LongTermAccessKey, StringComparison.Ordinal) && token is not null)
        {
            return invalid;
        }

        return new SessionTokenHolder(token);
    }

    /// <summary>All occurrences of a header, each trimmed and collapsed, joined with ',' (as canonicalised); null when absent.</summary>
    private static string? HeaderValue(IReadOnlyList<KeyValuePair<string, string>> headers, string name)
    {
        StringBuilder? builder = null;
        for (var i = 0; i < headers.Count; i++)
        {
            if (!string.Equals(headers[i].Key, name, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            builder = builder is null ? new StringBuilder() : builder.Append(',');
            SigV4Canonicalizer.AppendTrimmedCollapsed(builder, headers[i].Value);
        }

        return builder?.ToString();
    }

    private static bool IsSigned(string[] sortedNames, string headerName)
    {
        foreach (var name in sortedNames)
        {
            if (string.Equals(name, headerName, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>An RFC 9110 token in lower case: what a canonical SignedHeaders entry looks like.</summary>
    private static bool IsLowerToken(string name)
    {
        if (name.Length == 0)
        {
            return false;
        }

        foreach (var c in name)
        {
            var ok = c is (>= 'a' and <= 'z') or (>= '0' and <= '9')
                or '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~';
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Any region name of the usual shape (STS-SPEC §5.2); an empty region (SigV4a-confused clients) is refused.</summary>
    private static bool IsValidRegion(string region)
    {
        if (region.Length is 0 or > SigV4Constants.MaxRegionLength)
        {
            return false;
        }

        foreach (var c in region)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The model's access key id shape, <c>[\w]{16,128}</c>, relaxed to any length from 1 (test keys are shorter).</summary>
    private static bool IsValidAccessKeyId(string accessKeyId)
    {
        if (accessKeyId.Length is 0 or > SigV4Constants.MaxAccessKeyIdLength)
        {
            return false;
        }

        foreach (var c in accessKeyId)
        {
            if (c is not ((>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Contains(IReadOnlyList<string> values, string value)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] == value)
            {
                return true;
            }
        }

        return false;
    }

    private static void AppendLower(StringBuilder builder, string value)
    {
        foreach (var c in value)
        {
            builder.Append(c is >= 'A' and <= 'Z' ? (char)(c + 32) : c);
        }
    }

    private static string FormatAmzDate(DateTimeOffset time) =>
        time.UtcDateTime.ToString(SigV4Constants.AmzDateFormat, CultureInfo.InvariantCulture);

    private static string FormatWindow(TimeSpan skew) =>
        skew.Ticks % TimeSpan.TicksPerMinute == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{(long)skew.TotalMinutes} min.")
            : string.Create(CultureInfo.InvariantCulture, $"{(long)skew.TotalSeconds} sec.");

    private static StsError Incomplete(string message) => new(StsErrorCode.IncompleteSignature, message);

    private static StsError Mismatch(string message) => new(StsErrorCode.SignatureDoesNotMatch, message);

    private static SigV4Result Unreachable() => throw new InvalidOperationException("An outcome had neither value nor error.");

    private static T Unreachable<T>() => throw new InvalidOperationException("An outcome had neither value nor error.");
}

/// <summary>The five parts of <c>Credential=AKID/DATE/REGION/SERVICE/aws4_request</c> (STS-SPEC §5.2).</summary>
internal sealed record CredentialScope(string AccessKeyId, string Date, string Region, string Service, string Terminator);

/// <summary>The request time: as signed (ISO 8601 basic), parsed, and whether it came from <c>Date</c>.</summary>
internal sealed record RequestTime(string AmzDate, DateTimeOffset Time, bool FromHttpDate);

/// <summary>The session token, boxed so an absent token is still a successful outcome.</summary>
internal sealed record SessionTokenHolder(string? Token);

/// <summary>Everything checked before the secret lookup, carried to the signature step.</summary>
internal sealed record PendingVerification(
    SigV4Authorization Authorization,
    CredentialScope Scope,
    RequestTime Time,
    string[] SignedHeaders,
    string PayloadHash,
    List<QueryParameter> Query,
    string? SessionToken)
{
    public string AccessKeyId => Scope.AccessKeyId;
}
