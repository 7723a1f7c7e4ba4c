namespace Portal.Core.Signing;

/// <summary>Wire names and bounds of Signature Version 4 (STS-SPEC §5).</summary>
internal static class SigV4Constants
{
    public const string Algorithm = "AWS4-HMAC-SHA256";
    public const string Terminator = "aws4_request";
    public const string UnsignedPayload = "UNSIGNED-PAYLOAD";
    public const string StreamingPrefix = "STREAMING-";
    public const string EmptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    public const string AuthorizationHeader = "authorization";
    public const string HostHeader = "host";
    public const string AuthorityPseudoHeader = ":authority";
    public const string AmzDateHeader = "x-amz-date";
    public const string DateHeader = "date";
    public const string SecurityTokenHeader = "x-amz-security-token";
    public const string ContentSha256Header = "x-amz-content-sha256";
    public const string AmzHeaderPrefix = "x-amz-";

    public const string AlgorithmParam = "X-Amz-Algorithm";
    public const string CredentialParam = "X-Amz-Credential";
    public const string DateParam = "X-Amz-Date";
    public const string ExpiresParam = "X-Amz-Expires";
    public const string SignedHeadersParam = "X-Amz-SignedHeaders";
    public const string SignatureParam = "X-Amz-Signature";
    public const string SecurityTokenParam = "X-Amz-Security-Token";

    /// <summary>ISO 8601 basic format used by <c>X-Amz-Date</c> and the string to sign.</summary>
    public const string AmzDateFormat = "yyyyMMdd'T'HHmmss'Z'";

    /// <summary>SigV4 caps presigned URLs at 7 days (SECURITY-CASES 88).</summary>
    public const int MaxPresignedExpiresSeconds = 604800;

    // Bounds on attacker-controlled input: far above what any SDK sends, low enough that parsing
    // cost stays trivial. The Java SDK signs ~10 headers; session tokens are a few KB (STS-SPEC §4.3).
    public const int MaxAuthorizationLength = 8192;
    public const int MaxSignedHeaders = 64;
    public const int MaxQueryLength = 65536;
    public const int MaxQueryParameters = 1024;
    public const int MaxAccessKeyIdLength = 128;
    public const int MaxSessionTokenLength = 16384;
    public const int MaxRegionLength = 32;
    public const int SignatureHexLength = 64;
}
