namespace Portal.Core.Federation.Saml;

/// <summary>
/// The content of a SAML assertion that passed every check of <see cref="SamlResponseValidator"/>. Only the
/// validator constructs it, from the exact element the verified Reference resolved to (SECURITY-CASES 31).
/// </summary>
public sealed record SamlAssertionData
{
    internal SamlAssertionData()
    {
    }

    /// <summary>The Response ID.</summary>
    public required string ResponseId { get; init; }

    /// <summary>The Assertion ID (the replay key together with <see cref="Issuer"/>).</summary>
    public required string AssertionId { get; init; }

    /// <summary>The Assertion Issuer, equal to the IdP entity ID.</summary>
    public required string Issuer { get; init; }

    /// <summary>The full NameID text.</summary>
    public required string NameId { get; init; }

    /// <summary>The NameID Format, when present.</summary>
    public string? NameIdFormat { get; init; }

    /// <summary>The NameID NameQualifier, when present.</summary>
    public string? NameQualifier { get; init; }

    /// <summary>The NameID SPNameQualifier, when present.</summary>
    public string? SpNameQualifier { get; init; }

    /// <summary>The AuthnStatement SessionIndex, when present.</summary>
    public string? SessionIndex { get; init; }

    /// <summary>The AuthnStatement AuthnInstant.</summary>
    public DateTimeOffset? AuthnInstant { get; init; }

    /// <summary>The AuthnContextClassRef, when present.</summary>
    public string? AuthnContextClassRef { get; init; }

    /// <summary>The AuthnStatement SessionNotOnOrAfter, when present.</summary>
    public DateTimeOffset? SessionNotOnOrAfter { get; init; }

    /// <summary>The bearer SubjectConfirmationData Recipient (exactly one of the expected values).</summary>
    public required string Recipient { get; init; }

    /// <summary>The bearer SubjectConfirmationData NotOnOrAfter.</summary>
    public required DateTimeOffset SubjectConfirmationNotOnOrAfter { get; init; }

    /// <summary>Conditions NotBefore, when present.</summary>
    public DateTimeOffset? NotBefore { get; init; }

    /// <summary>Conditions NotOnOrAfter, when present.</summary>
    public DateTimeOffset? NotOnOrAfter { get; init; }

    /// <summary>Every Audience of every AudienceRestriction.</summary>
    public IReadOnlyList<string> Audiences { get; init; } = [];

    /// <summary>Attributes by Name (ordinal), each with its values' full text in document order.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Attributes { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>The InResponseTo taken from signed content, or null for an unsolicited response.</summary>
    public string? InResponseTo { get; init; }

    /// <summary>True when the assertion carried a OneTimeUse condition (its ID was consumed).</summary>
    public bool OneTimeUse { get; init; }
}
