using System.Globalization;

namespace Portal.Core.Signing;

/// <summary>
/// The error messages, in AWS's wording where it is known (STS-SPEC §2.3, §5.2, §5.5; SECURITY-CASES 82, 83, 88).
/// Messages marked "ours" have no observed AWS wording.
/// </summary>
internal static class SigV4Messages
{
    public const string MissingAuthenticationToken = "Request is missing Authentication Token";

    public const string SignatureDoesNotMatch =
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

    public const string InvalidClientTokenId = "The security token included in the request is invalid";

    public const string ExpiredToken = "The security token included in the request is expired";

    // S3's wording for the same rule (SECURITY-CASES 88g).
    public const string BothAuthForms =
        "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified";

    public const string MultipleAuthorizationHeaders = "Only one Authorization header is allowed."; // ours

    public const string SessionTokenTwice =
        "X-Amz-Security-Token must be sent either as a header or as a query parameter, not both."; // ours

    public const string ContentSha256Mismatch = "The provided 'x-amz-content-sha256' header does not match what was computed.";

    public const string UnsignedPayloadNotAllowed = "UNSIGNED-PAYLOAD is not accepted here; the request body must be signed."; // ours

    public const string AuthorizationHeaderRequiresDate =
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.";

    public const string HostNotSigned = "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.";

    public const string TerminatorScope = "Credential should be scoped with a valid terminator: 'aws4_request'";

    public const string ExpiresNotNumber = "X-Amz-Expires should be a number";

    public const string ExpiresNegative = "X-Amz-Expires must be non-negative";

    public const string ExpiresTooLarge = "X-Amz-Expires must be less than a week (in seconds) that is; 604800";

    public const string ExpiresZero = "X-Amz-Expires must be greater than 0"; // ours

    public const string UnsupportedQueryAlgorithm = "X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"";

    public const string AuthorizationTooLong = "Authorization header exceeds 8192 characters."; // ours

    public const string QueryTooLong = "Query string exceeds 65536 characters or 1024 parameters."; // ours

    public const string TooManySignedHeaders = "SignedHeaders lists more than 64 headers."; // ours

    public static string AuthorizationHeaderRequires(string parameter) =>
        $"Authorization header requires '{parameter}' parameter.";

    public static string DuplicateAuthorizationParameter(string parameter) =>
        $"Authorization header parameter '{parameter}' must appear only once."; // ours

    public static string NotKeyValuePair(string item, string header) =>
        $"'{item}' not a valid key=value pair (missing equal-sign) in Authorization header: '{header}'.";

    public static string UnsupportedAlgorithm(string algorithm) =>
        $"Unsupported AWS 'algorithm': '{algorithm}'. Only AWS4-HMAC-SHA256 is supported."; // ours

    public static string QueryRequires(string parameter) => $"AWS query-string parameters must include '{parameter}'.";

    public const string ReexamineQuery = "Re-examine the query-string parameters.";

    public static string DuplicateQueryParameter(string parameter) =>
        $"Query-string parameter '{parameter}' must appear only once."; // ours

    public static string MalformedQuery(string component) =>
        $"Invalid percent-encoding in query string component '{component}'."; // ours

    public static string CredentialParts(string credential) =>
        $"Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '{credential}'";

    public static string ScopeDate(string scopeDate, string requestDate) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{scopeDate}' != '{requestDate[..8]}', from '{requestDate}'.");

    public static string Region(string region) => $"Credential should be scoped to a valid Region, not '{region}'";

    public static string Service(string expected) => $"Credential should be scoped to correct service: '{expected}'";

    public static string AmzDateFormat(string value) =>
        $"Date must be in ISO-8601 'basic format'. Got '{value}'. See http://en.wikipedia.org/wiki/ISO_8601";

    public static string HttpDateFormat(string value) => $"Date header must be an RFC 1123 date. Got '{value}'."; // ours

    public static string SignedHeadersSyntax(string signedHeaders) =>
        $"SignedHeaders must be ';'-separated, lower-case, sorted, unique header names; got '{signedHeaders}'."; // ours

    public static string MustBeSigned(string headerName) =>
        $"'{headerName}' must be a 'SignedHeader' in the AWS Authorization."; // ours, shaped like HostNotSigned

    public static string HeadersNotSigned(string names) =>
        $"There were headers present in the request which were not signed: {names}";

    public static string StreamingNotSupported(string value) =>
        $"Streaming (chunked) payload signatures are not supported: '{value}'."; // ours (SECURITY-CASES 90)

    public static string SignatureExpired(string requestTime, string earliest, string now, string window) =>
        $"Signature expired: {requestTime} is now earlier than {earliest} ({now} - {window})";

    public static string SignatureNotYetCurrent(string requestTime, string latest, string now, string window) =>
        $"Signature not yet current: {requestTime} is still later than {latest} ({now} + {window})";

    public static string PresignedExpired(string requestTime, int expires, int honoured, string validUntil, string now) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"Request has expired: X-Amz-Date {requestTime} with X-Amz-Expires {expires} (honoured up to {honoured} s) was valid until {validUntil}; it is now {now}."); // ours
}
