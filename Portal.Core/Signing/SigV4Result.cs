using System.Diagnostics.CodeAnalysis;
using Portal.Core.Sts;

namespace Portal.Core.Signing;

/// <summary>The outcome of verifying a SigV4 request: who signed it, or why it was rejected.</summary>
public sealed class SigV4Result
{
    private SigV4Result()
    {
    }

    /// <summary>True when the signature verified and the credentials are valid.</summary>
    [MemberNotNullWhen(false, nameof(Error))]
    [MemberNotNullWhen(true, nameof(AccessKeyId), nameof(Region), nameof(Service))]
    public bool Succeeded => Error is null;

    /// <summary>The rejection, with the AWS code and message (STS-SPEC §2.3, §5.7).</summary>
    public StsError? Error { get; private init; }

    /// <summary>The access key id that signed the request.</summary>
    public string? AccessKeyId { get; private init; }

    /// <summary>The region of the credential scope.</summary>
    public string? Region { get; private init; }

    /// <summary>The service of the credential scope.</summary>
    public string? Service { get; private init; }

    /// <summary>The signed request time (<c>X-Amz-Date</c> or <c>Date</c>).</summary>
    public DateTimeOffset RequestTime { get; private init; }

    /// <summary>True for the query-string (presigned URL) form.</summary>
    public bool IsPresigned { get; private init; }

    /// <summary>The principal data the <see cref="ISigningSecretResolver"/> returned.</summary>
    public object? PrincipalState { get; private init; }

    /// <summary>The session token the request carried, if any.</summary>
    public string? SessionToken { get; private init; }

    /// <summary>
    /// On a signature mismatch, the canonical request the server computed. AWS appends it and the string to
    /// sign to its message (STS-SPEC §2.3); it holds no secret, so the host may log or return it.
    /// </summary>
    public string? CanonicalRequest { get; private init; }

    /// <summary>On a signature mismatch, the string to sign the server computed.</summary>
    public string? StringToSign { get; private init; }

    internal static SigV4Result Success(
        string accessKeyId,
        string region,
        string service,
        DateTimeOffset requestTime,
        bool isPresigned,
        object? principalState,
        string? sessionToken) => new()
        {
            AccessKeyId = accessKeyId,
            Region = region,
            Service = service,
            RequestTime = requestTime,
            IsPresigned = isPresigned,
            PrincipalState = principalState,
            SessionToken = sessionToken,
        };

    internal static SigV4Result Failure(StsErrorCode code, string message) => new() { Error = new StsError(code, message) };

    internal static SigV4Result Mismatch(string canonicalRequest, string stringToSign) => new()
    {
        Error = new StsError(StsErrorCode.SignatureDoesNotMatch, SigV4Messages.SignatureDoesNotMatch),
        CanonicalRequest = canonicalRequest,
        StringToSign = stringToSign,
    };
}
