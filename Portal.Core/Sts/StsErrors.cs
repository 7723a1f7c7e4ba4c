namespace Portal.Core.Sts;

/// <summary>The one table of wire codes, HTTP statuses and fault types (STS-SPEC §2.2, §2.3).</summary>
public static class StsErrors
{
    private static readonly Dictionary<StsErrorCode, (string Code, int Status)> Table = new()
    {
        [StsErrorCode.ValidationError] = ("ValidationError", 400),
        [StsErrorCode.MalformedPolicyDocument] = ("MalformedPolicyDocument", 400),
        [StsErrorCode.PackedPolicyTooLarge] = ("PackedPolicyTooLarge", 400),
        [StsErrorCode.RegionDisabledException] = ("RegionDisabledException", 403),
        [StsErrorCode.ExpiredTokenException] = ("ExpiredTokenException", 400),
        [StsErrorCode.IdpRejectedClaim] = ("IDPRejectedClaim", 403),
        [StsErrorCode.IdpCommunicationError] = ("IDPCommunicationError", 400),
        [StsErrorCode.InvalidIdentityToken] = ("InvalidIdentityToken", 400),
        [StsErrorCode.InvalidAuthorizationMessageException] = ("InvalidAuthorizationMessageException", 400),
        [StsErrorCode.MissingAuthenticationToken] = ("MissingAuthenticationToken", 403),
        [StsErrorCode.IncompleteSignature] = ("IncompleteSignature", 400),
        [StsErrorCode.InvalidClientTokenId] = ("InvalidClientTokenId", 403),
        [StsErrorCode.SignatureDoesNotMatch] = ("SignatureDoesNotMatch", 403),
        [StsErrorCode.ExpiredToken] = ("ExpiredToken", 403),
        [StsErrorCode.AccessDenied] = ("AccessDenied", 403),
        [StsErrorCode.InvalidParameterValue] = ("InvalidParameterValue", 400),
        [StsErrorCode.MissingParameter] = ("MissingParameter", 400),
        [StsErrorCode.MalformedQueryString] = ("MalformedQueryString", 400),
        [StsErrorCode.InvalidAction] = ("InvalidAction", 400),
        [StsErrorCode.MissingAction] = ("MissingAction", 400),
        [StsErrorCode.InvalidQueryParameter] = ("InvalidQueryParameter", 400),
        [StsErrorCode.RequestExpired] = ("RequestExpired", 403),
        [StsErrorCode.Throttling] = ("Throttling", 400),
        [StsErrorCode.NoSuchEntity] = ("NoSuchEntity", 404),
        [StsErrorCode.EntityAlreadyExists] = ("EntityAlreadyExists", 409),
        [StsErrorCode.LimitExceeded] = ("LimitExceeded", 409),
        [StsErrorCode.DeleteConflict] = ("DeleteConflict", 409),
        [StsErrorCode.InvalidAuthenticationCode] = ("InvalidAuthenticationCode", 403),
        [StsErrorCode.InvalidInput] = ("InvalidInput", 400),
        [StsErrorCode.InternalFailure] = ("InternalFailure", 500),
        [StsErrorCode.ServiceUnavailable] = ("ServiceUnavailable", 503),
    };

    /// <summary>The code as it travels on the wire (e.g. <c>IDPRejectedClaim</c>).</summary>
    public static string WireCode(StsErrorCode code) => Table[code].Code;

    /// <summary>The HTTP status of the error.</summary>
    public static int HttpStatus(StsErrorCode code) => Table[code].Status;

    /// <summary><c>Sender</c> for client faults (4xx), <c>Receiver</c> for server faults (5xx).</summary>
    public static string FaultType(StsErrorCode code) => Table[code].Status >= 500 ? "Receiver" : "Sender";
}
