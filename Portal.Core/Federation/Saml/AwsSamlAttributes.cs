using System.Globalization;
using System.Text;
using Portal.Core.Iam;
using Portal.Core.Identity;
using Portal.Core.Sts;

namespace Portal.Core.Federation.Saml;

/// <summary>The AWS attributes of a validated assertion (STS-SPEC §1.2).</summary>
public sealed record AwsSamlAttributeSet
{
    /// <summary>The (role ARN, provider ARN) pairs of the Role attribute, exactly as asserted (case-sensitive).</summary>
    public required IReadOnlyList<(string RoleArn, string ProviderArn)> Roles { get; init; }

    /// <summary>The RoleSessionName attribute.</summary>
    public required string RoleSessionName { get; init; }

    /// <summary>The SessionDuration attribute (900..43200), when present.</summary>
    public int? SessionDuration { get; init; }

    /// <summary>Session tags from PrincipalTag:* attributes.</summary>
    public IReadOnlyList<Tag> PrincipalTags { get; init; } = [];

    /// <summary>The TransitiveTagKeys attribute values.</summary>
    public IReadOnlyList<string> TransitiveTagKeys { get; init; } = [];

    /// <summary>The SourceIdentity attribute, when present.</summary>
    public string? SourceIdentity { get; init; }
}

/// <summary>Maps a validated assertion to AWS semantics: attributes (STS-SPEC §1.2) and condition keys (§7.9).</summary>
public static class AwsSamlAttributes
{
    /// <summary>The attribute name prefix AWS defines.</summary>
    public const string Prefix = "https://aws.amazon.com/SAML/Attributes/";

    /// <summary>Role attribute (case-sensitive name).</summary>
    public const string Role = Prefix + "Role";

    /// <summary>RoleSessionName attribute.</summary>
    public const string RoleSessionName = Prefix + "RoleSessionName";

    /// <summary>SessionDuration attribute.</summary>
    public const string SessionDuration = Prefix + "SessionDuration";

    /// <summary>SourceIdentity attribute.</summary>
    public const string SourceIdentity = Prefix + "SourceIdentity";

    /// <summary>TransitiveTagKeys attribute.</summary>
    public const string TransitiveTagKeys = Prefix + "TransitiveTagKeys";

    /// <summary>PrincipalTag:{key} attribute prefix.</summary>
    public const string PrincipalTagPrefix = Prefix + "PrincipalTag:";

    /// <summary>The condition key that carries the configured groups attribute.</summary>
    public const string GroupsConditionKey = "portal:groups";

    /// <summary>The observed AWS message for a bad RoleSessionName (STS-SPEC §1.2).</summary>
    public const string RoleSessionNameMessage = "RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}";

    private const int MaxTags = 50;

    /// <summary>SAML attribute names (eduPerson/eduOrg/X.500 OIDs, AD FS claim URIs) to saml:* condition keys (STS-SPEC §7.9).</summary>
    internal static readonly Dictionary<string, string> ConditionKeyNames = new(StringComparer.Ordinal)
    {
        ["urn:oid:1.3.6.1.4.1.5923.1.1.1.1"] = "saml:edupersonaffiliation",
        ["urn:oid:1.3.6.1.4.1.5923.1.1.1.2"] = "saml:edupersonnickname",
        ["urn:oid:1.3.6.1.4.1.5923.1.1.1.3"] = "saml:edupersonorgdn",
        ["urn:oid:1.3.6.1.4.1.5923.1.1.1.4"] = "saml:edupersonorgunitdn",
        ["urn:oid:1.3.6.1.4.1.5923.1.1.1.5"] = "saml:edupersonprimaryaffiliation",
        ["urn:oid:1.3.6.1.4.1.5923.1.1.1.6"] = "saml:edupersonprincipalname",
        ["urn:oid:1.3.6.1.4.1.5923.1.1.1.7"] = "saml:edupersonentitlement",
        ["urn:oid:1.3.6.1.4.1.5923.1.1.1.8"] = "saml:edupersonprimaryorgunitdn",
        ["urn:oid:1.3.6.1.4.1.5923.1.1.1.9"] = "saml:edupersonscopedaffiliation",
        ["urn:oid:1.3.6.1.4.1.5923.1.1.1.10"] = "saml:edupersontargetedid",
        ["urn:oid:1.3.6.1.4.1.5923.1.1.1.11"] = "saml:edupersonassurance",
        ["urn:oid:1.3.6.1.4.1.5923.1.2.1.2"] = "saml:eduorghomepageuri",
        ["urn:oid:1.3.6.1.4.1.5923.1.2.1.3"] = "saml:eduorgidentityauthnpolicyuri",
        ["urn:oid:1.3.6.1.4.1.5923.1.2.1.4"] = "saml:eduorglegalname",
        ["urn:oid:1.3.6.1.4.1.5923.1.2.1.5"] = "saml:eduorgsuperioruri",
        ["urn:oid:1.3.6.1.4.1.5923.1.2.1.6"] = "saml:eduorgwhitepagesuri",
        ["urn:oid:2.5.4.3"] = "saml:cn",
        ["urn:oid:2.5.4.42"] = "saml:givenName",
        ["urn:oid:2.5.4.4"] = "saml:surname",
        ["urn:oid:0.9.2342.19200300.100.1.3"] = "saml:mail",
        ["urn:oid:0.9.2342.19200300.100.1.1"] = "saml:uid",
        ["urn:oid:2.5.4.45"] = "saml:x500UniqueIdentifier",
        ["http://schemas.xmlsoap.org/claims/CommonName"] = "saml:commonName",
        ["http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname"] = "saml:givenName",
        ["http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname"] = "saml:surname",
        ["http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"] = "saml:mail",
        ["http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name"] = "saml:name",
        ["http://schemas.microsoft.com/ws/2008/06/identity/claims/primarygroupsid"] = "saml:primaryGroupSID",
    };

    /// <summary>Reads and checks the AWS attributes; failures are InvalidIdentityToken (STS-SPEC §1.2, SECURITY-CASES 35, 61–63).</summary>
    public static StsOutcome<AwsSamlAttributeSet> Map(SamlAssertionData assertion)
    {
        ArgumentNullException.ThrowIfNull(assertion);
        var attributes = assertion.Attributes;
        if (!attributes.TryGetValue(Role, out var roleValues) || roleValues.Count == 0)
        {
            return Invalid("The SAML assertion has no Role attribute.");
        }

        var roles = new List<(string RoleArn, string ProviderArn)>();
        foreach (var value in roleValues)
        {
            if (ParseRolePair(value) is not { } pair)
            {
                return Invalid("A Role attribute value is not a 'role-arn,saml-provider-arn' pair.");
            }

            roles.Add(pair);
        }

        if (!TrySingle(attributes, RoleSessionName, out var sessionName) || sessionName is null || !IsSessionName(sessionName))
        {
            return Invalid(RoleSessionNameMessage);
        }

        int? duration = null;
        if (!TrySingle(attributes, SessionDuration, out var durationText))
        {
            return Invalid("The SessionDuration attribute must have one value.");
        }

        if (durationText is not null)
        {
            if (!int.TryParse(durationText, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds is < 900 or > 43200)
            {
                return Invalid("SessionDuration in AuthnResponse must be an integer between 900 and 43200.");
            }

            duration = seconds;
        }

        if (!TrySingle(attributes, SourceIdentity, out var sourceIdentity) || (sourceIdentity is not null && !IsSessionName(sourceIdentity)))
        {
            return Invalid("SourceIdentity in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}");
        }

        var tags = new List<Tag>();
        foreach (var (name, values) in attributes)
        {
            if (!name.StartsWith(PrincipalTagPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            var key = name[PrincipalTagPrefix.Length..];
            if (values.Count != 1 || !IsTagText(key, 1, 128) || !IsTagText(values[0], 0, 256)
                || key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase)
                || tags.Any(t => string.Equals(t.Key, key, StringComparison.OrdinalIgnoreCase)))
            {
                return Invalid("A PrincipalTag attribute has an invalid, reserved or duplicate key, or not exactly one valid value.");
            }

            tags.Add(new Tag(key, values[0]));
        }

        if (tags.Count > MaxTags)
        {
            return Invalid($"The assertion carries more than {MaxTags} session tags.");
        }

        var transitive = attributes.TryGetValue(TransitiveTagKeys, out var transitiveValues) ? transitiveValues : [];
        if (transitive.Count > MaxTags || transitive.Any(k => !tags.Any(t => string.Equals(t.Key, k, StringComparison.OrdinalIgnoreCase))))
        {
            return Invalid("TransitiveTagKeys names a tag that is not among the PrincipalTag attributes.");
        }

        return new AwsSamlAttributeSet
        {
            Roles = roles,
            RoleSessionName = sessionName,
            SessionDuration = duration,
            PrincipalTags = tags,
            TransitiveTagKeys = [.. transitive],
            SourceIdentity = sourceIdentity,
        };
    }

    /// <summary>Builds the engine's <see cref="ValidatedSamlAssertion"/> for the provider that verified the response.</summary>
    /// <param name="assertion">The validated assertion.</param>
    /// <param name="providerArn">The SAML provider ARN whose keys verified it.</param>
    /// <param name="provider">The provider configuration (MFA trust).</param>
    /// <param name="groupsAttributeName">The attribute copied to <c>portal:groups</c>, or null for none.</param>
    public static StsOutcome<ValidatedSamlAssertion> ToValidatedAssertion(
        SamlAssertionData assertion, string providerArn, SamlIdentityProvider provider, string? groupsAttributeName)
    {
        ArgumentNullException.ThrowIfNull(provider);
        var mapped = Map(assertion);
        if (!mapped.Succeeded)
        {
            return mapped.Error;
        }

        var aws = mapped.Value;
        var conditionKeys = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (name, values) in assertion.Attributes)
        {
            if (ConditionKeyNames.TryGetValue(name, out var key))
            {
                conditionKeys[key] = conditionKeys.TryGetValue(key, out var existing) ? [.. existing, .. values] : values;
            }
        }

        if (groupsAttributeName is not null && assertion.Attributes.TryGetValue(groupsAttributeName, out var groups))
        {
            conditionKeys[GroupsConditionKey] = groups;
        }

        return new ValidatedSamlAssertion
        {
            ProviderArn = providerArn,
            Issuer = assertion.Issuer,

            // STS-SPEC §7.9 / SECURITY-CASES 64: saml:aud is the Recipient, not the Audience.
            Recipient = assertion.Recipient,
            Subject = assertion.NameId,
            SubjectFormat = assertion.NameIdFormat,
            Roles = aws.Roles,
            RoleSessionName = aws.RoleSessionName,
            SessionDuration = aws.SessionDuration,
            SessionNotOnOrAfter = assertion.SessionNotOnOrAfter,
            PrincipalTags = aws.PrincipalTags,
            TransitiveTagKeys = aws.TransitiveTagKeys,
            SourceIdentity = aws.SourceIdentity,
            ConditionKeys = conditionKeys,
            MultiFactor = provider.TrustMfaAuthnContext && assertion.AuthnContextClassRef is { } classRef
                && provider.MfaAuthnContextClassRefs.Contains(classRef, StringComparer.Ordinal),
        };
    }

    /// <summary>A "role,provider" pair in either order, as AWS accepts it; names compare case-sensitively later.</summary>
    private static (string RoleArn, string ProviderArn)? ParseRolePair(string value)
    {
        var parts = value.Split(',');
        if (parts.Length != 2)
        {
            return null;
        }

        var first = parts[0].Trim();
        var second = parts[1].Trim();
        return (Kind(first), Kind(second)) switch
        {
            ("role", "saml-provider") => (first, second),
            ("saml-provider", "role") => (second, first),
            _ => null,
        };

        static string? Kind(string text) =>
            Arn.TryParse(text, out var arn) && arn.Service == "iam" && arn.TryGetAccountId(out _) && arn.ResourceName.Length > 0
                && IsArnText(text) ? arn.ResourceType : null;
    }

    private static bool TrySingle(IReadOnlyDictionary<string, IReadOnlyList<string>> attributes, string name, out string? value)
    {
        value = null;
        if (!attributes.TryGetValue(name, out var values))
        {
            return true;
        }

        if (values.Count != 1)
        {
            return false;
        }

        value = values[0];
        return true;
    }

    /// <summary>RoleSessionName / SourceIdentity: 2–64 of <c>[A-Za-z0-9_+=,.@-]</c> (STS-SPEC §1.2, SECURITY-CASES 61).</summary>
    internal static bool IsSessionName(string value) =>
        value.Length is >= 2 and <= 64 && value.All(c => char.IsAsciiLetterOrDigit(c) || "_+=,.@-".Contains(c, StringComparison.Ordinal));

    /// <summary>Tag text: <c>[\p{L}\p{Z}\p{N}_.:/=+\-@]</c> with length bounds (STS-SPEC §1.0.5).</summary>
    internal static bool IsTagText(string value, int min, int max)
    {
        if (value.Length < min || value.Length > max)
        {
            return false;
        }

        foreach (var rune in value.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            var ok = Rune.IsLetter(rune) || Rune.IsDigit(rune) || Rune.IsNumber(rune)
                || category is UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
                || (rune.IsAscii && "_.:/=+-@".Contains((char)rune.Value, StringComparison.Ordinal));
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsArnText(string value) => value.All(c => c is >= ' ' and <= '~');

    private static StsError Invalid(string message) => new(StsErrorCode.InvalidIdentityToken, message);
}
