namespace Portal.Core.Federation.Saml;

/// <summary>Why a SAML Response was rejected; machine codes of SECURITY-CASES §0.2 (see <see cref="SamlFailureReasonExtensions.ToCode"/>).</summary>
public enum SamlFailureReason
{
    /// <summary>XML_MALFORMED: not well-formed, wrong root, or schema-invalid where it matters.</summary>
    XmlMalformed,

    /// <summary>XML_DTD: a DOCTYPE was present (case 18).</summary>
    XmlDtd,

    /// <summary>XML_TOO_LARGE: the message exceeds the size cap (case 19).</summary>
    XmlTooLarge,

    /// <summary>SIG_MISSING: neither the Response nor the Assertion carries a required signature (case 1).</summary>
    SigMissing,

    /// <summary>SIG_INVALID: the signature does not verify, or cannot be processed (cases 6, 14, 15).</summary>
    SigInvalid,

    /// <summary>SIG_UNTRUSTED_KEY: the signature only verifies with a key the IdP is not configured with (cases 2–5).</summary>
    SigUntrustedKey,

    /// <summary>SIG_REF_NOT_PARENT: the Reference does not resolve to the signature's parent, or the signed element is not the one read (cases 7, 22, 25, 29).</summary>
    SigRefNotParent,

    /// <summary>SIG_REF_FORM: the Reference URI is not <c>#NCName</c> (cases 10, 11).</summary>
    SigRefForm,

    /// <summary>SIG_DUP_ID: an ID value occurs more than once in the document (case 9).</summary>
    SigDupId,

    /// <summary>SIG_ID_ATTR: the Reference names an element whose identifier is not the <c>ID</c> attribute (case 8).</summary>
    SigIdAttr,

    /// <summary>SIG_ALG: a signature, digest or canonicalisation algorithm outside the allow-list (case 16).</summary>
    SigAlg,

    /// <summary>SIG_TRANSFORM: transforms other than enveloped-signature + exclusive C14N (case 17).</summary>
    SigTransform,

    /// <summary>SIG_STRUCTURE: extra Signature, SignedInfo, Reference or Object elements (cases 12, 13, 21, 26, 28).</summary>
    SigStructure,

    /// <summary>ASSERTION_COUNT: not exactly one Assertion, before and after decryption (cases 23, 24, 29, 56).</summary>
    AssertionCount,

    /// <summary>STATUS: the Response status is not Success (case 38).</summary>
    Status,

    /// <summary>VERSION: the Response or Assertion Version is not 2.0 (case 39).</summary>
    Version,

    /// <summary>ISSUER: a missing or mismatched Issuer (cases 5, 40).</summary>
    Issuer,

    /// <summary>AUDIENCE: no or a wrong AudienceRestriction (cases 41, 52).</summary>
    Audience,

    /// <summary>DESTINATION: wrong, empty, or (on a signed Response) missing Destination (case 42).</summary>
    Destination,

    /// <summary>RECIPIENT: SubjectConfirmationData Recipient missing or not an exact match (case 43).</summary>
    Recipient,

    /// <summary>NOT_YET_VALID: NotBefore or IssueInstant later than now plus skew (case 45).</summary>
    NotYetValid,

    /// <summary>EXPIRED: NotOnOrAfter passed, missing on the bearer confirmation, or IssueInstant too old (cases 45–47).</summary>
    Expired,

    /// <summary>TIME_FORMAT: a time value that is not a UTC xs:dateTime, or an empty window (case 47).</summary>
    TimeFormat,

    /// <summary>SUBJECT_CONFIRMATION: not exactly one bearer SubjectConfirmation with data (case 44).</summary>
    SubjectConfirmation,

    /// <summary>IN_RESPONSE_TO: InResponseTo absent, different, or only on unsigned content (case 49).</summary>
    InResponseTo,

    /// <summary>UNSOLICITED: an IdP-initiated response for an IdP that does not allow it (case 50).</summary>
    Unsolicited,

    /// <summary>REPLAY: the assertion ID was already used (cases 48, 51).</summary>
    Replay,

    /// <summary>ENC_ALG: a refused key transport / content encryption algorithm or an external reference (cases 54, 55).</summary>
    EncAlg,

    /// <summary>ENC_DECRYPT: the encrypted assertion cannot be decrypted with the SP key (case 54: one code for every failure).</summary>
    EncDecrypt,

    /// <summary>ENC_UNSIGNED: an encrypted assertion without a signature (case 53).</summary>
    EncUnsigned,

    /// <summary>ENC_UNEXPECTED: an EncryptedAttribute the SP does not support (case 36).</summary>
    EncUnexpected,

    /// <summary>CONDITION_UNKNOWN: a Conditions child the SP does not understand (case 48).</summary>
    ConditionUnknown,

    /// <summary>ATTR_DUPLICATE: two attributes with the same Name or FriendlyName (case 35).</summary>
    AttrDuplicate,

    /// <summary>ATTR_VALUE: an AttributeValue containing comments, CDATA or processing instructions (case 32).</summary>
    AttrValue,

    /// <summary>BINDING_SIG: an HTTP-Redirect query signature that cannot be checked as sent: duplicate or ambiguous parameters, a refused SigAlg (case 58).</summary>
    BindingSig,

    /// <summary>SESSION_INDEX: a LogoutRequest naming SessionIndex values that do not include the current session's.</summary>
    SessionIndex,

    /// <summary>NAMEID: NameID missing, encrypted, empty, or containing anything but text (cases 32, 33, 36, 37).</summary>
    NameId,
}

/// <summary>Conversions of <see cref="SamlFailureReason"/>.</summary>
public static class SamlFailureReasonExtensions
{
    /// <summary>The audit code, e.g. <c>SIG_REF_NOT_PARENT</c>.</summary>
    public static string ToCode(this SamlFailureReason reason) => reason switch
    {
        SamlFailureReason.XmlMalformed => "XML_MALFORMED",
        SamlFailureReason.XmlDtd => "XML_DTD",
        SamlFailureReason.XmlTooLarge => "XML_TOO_LARGE",
        SamlFailureReason.SigMissing => "SIG_MISSING",
        SamlFailureReason.SigInvalid => "SIG_INVALID",
        SamlFailureReason.SigUntrustedKey => "SIG_UNTRUSTED_KEY",
        SamlFailureReason.SigRefNotParent => "SIG_REF_NOT_PARENT",
        SamlFailureReason.SigRefForm => "SIG_REF_FORM",
        SamlFailureReason.SigDupId => "SIG_DUP_ID",
        SamlFailureReason.SigIdAttr => "SIG_ID_ATTR",
        SamlFailureReason.SigAlg => "SIG_ALG",
        SamlFailureReason.SigTransform => "SIG_TRANSFORM",
        SamlFailureReason.SigStructure => "SIG_STRUCTURE",
        SamlFailureReason.AssertionCount => "ASSERTION_COUNT",
        SamlFailureReason.Status => "STATUS",
        SamlFailureReason.Version => "VERSION",
        SamlFailureReason.Issuer => "ISSUER",
        SamlFailureReason.Audience => "AUDIENCE",
        SamlFailureReason.Destination => "DESTINATION",
        SamlFailureReason.Recipient => "RECIPIENT",
        SamlFailureReason.NotYetValid => "NOT_YET_VALID",
        SamlFailureReason.Expired => "EXPIRED",
        SamlFailureReason.TimeFormat => "TIME_FORMAT",
        SamlFailureReason.SubjectConfirmation => "SUBJECT_CONFIRMATION",
        SamlFailureReason.InResponseTo => "IN_RESPONSE_TO",
        SamlFailureReason.Unsolicited => "UNSOLICITED",
        SamlFailureReason.Replay => "REPLAY",
        SamlFailureReason.EncAlg => "ENC_ALG",
        SamlFailureReason.EncDecrypt => "ENC_DECRYPT",
        SamlFailureReason.EncUnsigned => "ENC_UNSIGNED",
        SamlFailureReason.EncUnexpected => "ENC_UNEXPECTED",
        SamlFailureReason.ConditionUnknown => "CONDITION_UNKNOWN",
        SamlFailureReason.AttrDuplicate => "ATTR_DUPLICATE",
        SamlFailureReason.AttrValue => "ATTR_VALUE",
        SamlFailureReason.NameId => "NAMEID",
        SamlFailureReason.BindingSig => "BINDING_SIG",
        SamlFailureReason.SessionIndex => "SESSION_INDEX",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "Unknown SAML failure reason."),
    };
}
