namespace Portal.Core.Sts;

/// <summary>
/// Every error the STS and IAM wire API can answer with. The wire code, HTTP status and fault type
/// come from one table (<see cref="StsErrors"/>), so no layer invents its own (STS-SPEC §2).
/// </summary>
public enum StsErrorCode
{
    /// <summary>Model constraint violated, or a semantic duration error (400).</summary>
    ValidationError,

    /// <summary>The session policy is not a valid policy (400).</summary>
    MalformedPolicyDocument,

    /// <summary>Session policies and tags exceed the packed size limit (400).</summary>
    PackedPolicyTooLarge,

    /// <summary>STS is disabled for the account in this region (403).</summary>
    RegionDisabledException,

    /// <summary>The passed web identity token or SAML assertion has expired (400).</summary>
    ExpiredTokenException,

    /// <summary>The identity provider rejected the claim (403).</summary>
    IdpRejectedClaim,

    /// <summary>The identity provider could not be reached; SDKs retry this (400).</summary>
    IdpCommunicationError,

    /// <summary>The web identity token or SAML assertion cannot be validated (400).</summary>
    InvalidIdentityToken,

    /// <summary>The encoded authorization message is invalid or expired (400).</summary>
    InvalidAuthorizationMessageException,

    /// <summary>Signed operation called without any authentication (403).</summary>
    MissingAuthenticationToken,

    /// <summary>The Authorization header or query authentication is malformed (400).</summary>
    IncompleteSignature,

    /// <summary>The access key id is unknown or the session token is invalid (403).</summary>
    InvalidClientTokenId,

    /// <summary>The recomputed signature differs, or the request time is outside the skew window (403).</summary>
    SignatureDoesNotMatch,

    /// <summary>The session credentials have expired (403).</summary>
    ExpiredToken,

    /// <summary>The caller is not authorized (403).</summary>
    AccessDenied,

    /// <summary>A semantically bad parameter value (400).</summary>
    InvalidParameterValue,

    /// <summary>A required parameter is absent (400).</summary>
    MissingParameter,

    /// <summary>The query or form string cannot be parsed (400).</summary>
    MalformedQueryString,

    /// <summary>The Action names no operation of this version (400).</summary>
    InvalidAction,

    /// <summary>No Action parameter (400).</summary>
    MissingAction,

    /// <summary>A parameter name is malformed, e.g. a bad list index (400).</summary>
    InvalidQueryParameter,

    /// <summary>A presigned request arrived after its expiry (403).</summary>
    RequestExpired,

    /// <summary>Rate limited; SDKs retry this (400).</summary>
    Throttling,

    /// <summary>IAM: the named entity does not exist (404).</summary>
    NoSuchEntity,

    /// <summary>IAM: an entity with that name already exists (409).</summary>
    EntityAlreadyExists,

    /// <summary>IAM: a per-entity quota is exceeded (409).</summary>
    LimitExceeded,

    /// <summary>IAM: the entity still has attached objects (409).</summary>
    DeleteConflict,

    /// <summary>IAM: the MFA authentication code is invalid (403).</summary>
    InvalidAuthenticationCode,

    /// <summary>IAM: an invalid or out-of-range input value, e.g. an unparsable SAML metadata document (400).</summary>
    InvalidInput,

    /// <summary>Unexpected server error; the message is generic (500).</summary>
    InternalFailure,

    /// <summary>Temporarily unavailable (503).</summary>
    ServiceUnavailable,
}
