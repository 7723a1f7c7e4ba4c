using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Portal.Core.Federation.Saml;
using Portal.Core.Sts;
using Portal.Core.Identity;

namespace Portal.Authentication.Saml2;

/// <summary>Turns a validated assertion into the portal principal's identity.</summary>
public interface ISaml2ClaimsFactory
{
    /// <summary>The identity (authentication type <c>Portal</c>) for a validated assertion of the scheme's provider.</summary>
    ClaimsIdentity CreateIdentity(SamlAssertionData assertion, Saml2Options options);
}

/// <summary>
/// The default mapping: portal claims plus <c>ck:</c> condition-key claims that mirror what AssumeRoleWithSAML puts in
/// the request context (STS-SPEC §7.9), so the person's Federated principal (the provider ARN) can be checked against
/// a role's trust policy.
/// </summary>
public sealed class Saml2ClaimsFactory : ISaml2ClaimsFactory
{
    /// <summary>AD FS's group claim, accepted besides the configured groups attribute.</summary>
    public const string AdfsGroupAttribute = "http://schemas.xmlsoap.org/claims/Group";

    private static readonly string[] DisplayNameAttributes =
        ["displayName", "urn:oid:2.16.840.1.113730.3.1.241", "cn", "urn:oid:2.5.4.3", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name"];

    private static readonly string[] EmailAttributes =
        ["email", "mail", "urn:oid:0.9.2342.19200300.100.1.3", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"];

    /// <inheritdoc />
    public ClaimsIdentity CreateIdentity(SamlAssertionData assertion, Saml2Options options)
    {
        ArgumentNullException.ThrowIfNull(assertion);
        ArgumentNullException.ThrowIfNull(options);
        var providerArn = options.ProviderArn;
        var attributes = assertion.Attributes;
        var email = First(attributes, EmailAttributes)
            ?? (assertion.NameIdFormat == Saml2Namespaces.EmailNameIdFormat ? assertion.NameId : null);
        var claims = new List<Claim>
        {
            new(PortalClaimTypes.Subject, providerArn + "|" + assertion.NameId),
            new(PortalClaimTypes.Name, First(attributes, DisplayNameAttributes) ?? assertion.NameId),
            new(PortalClaimTypes.Provider, providerArn),
            new(PortalClaimTypes.Method, Saml2Defaults.Method),
        };
        if (email is not null)
        {
            claims.Add(new(PortalClaimTypes.Email, email));
        }

        var groups = Values(attributes, options.GroupsAttributeName).Concat(Values(attributes, AdfsGroupAttribute)).Distinct(StringComparer.Ordinal).ToList();
        claims.AddRange(groups.Select(g => new Claim(PortalClaimTypes.Group, g)));

        var provider = options.IdentityProvider;
        if (provider.TrustMfaAuthnContext && assertion.AuthnContextClassRef is { } classRef
            && provider.MfaAuthnContextClassRefs.Contains(classRef, StringComparer.Ordinal))
        {
            claims.Add(new(PortalClaimTypes.AuthenticationMethod, "mfa"));
        }

        // STS-SPEC §7.9 / SECURITY-CASES 64: saml:aud is the SubjectConfirmationData Recipient, not the Audience.
        AddKey(claims, "saml:aud", assertion.Recipient);
        AddKey(claims, "saml:iss", assertion.Issuer);
        AddKey(claims, "saml:sub", assertion.NameId);
        AddKey(claims, "saml:sub_type", StsEngine.SubjectType(assertion.NameIdFormat));
        if (Arn.TryParse(providerArn, out var arn))
        {
            AddKey(claims, "saml:namequalifier", StsEngine.NameQualifier(assertion.Issuer, arn.Account, arn.ResourceName));
        }

        foreach (var group in groups)
        {
            AddKey(claims, AwsSamlAttributes.GroupsConditionKey, group);
        }

        foreach (var role in Values(attributes, AwsSamlAttributes.Role))
        {
            claims.Add(new(Saml2Defaults.RoleClaimType, NormaliseRolePair(role)));
        }

        return new ClaimsIdentity(claims, PortalAuthenticationDefaults.CookieScheme, PortalClaimTypes.Name, PortalClaimTypes.Role);
    }

    /// <summary>"role,provider" in that order; AWS accepts either order in the attribute (STS-SPEC §1.2).</summary>
    private static string NormaliseRolePair(string value)
    {
        var parts = value.Split(',', StringSplitOptions.TrimEntries);
        return parts.Length == 2 && parts[0].Contains(":saml-provider/", StringComparison.Ordinal) ? parts[1] + "," + parts[0] : string.Join(',', parts);
    }

    private static void AddKey(List<Claim> claims, string key, string value) =>
        claims.Add(new(PortalClaimTypes.ConditionKeyPrefix + key, value));

    private static IReadOnlyList<string> Values(IReadOnlyDictionary<string, IReadOnlyList<string>> attributes, string name) =>
        attributes.TryGetValue(name, out var values) ? values : [];

    private static string? First(IReadOnlyDictionary<string, IReadOnlyList<string>> attributes, string[] names) =>
        names.Select(n => Values(attributes, n).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v))).FirstOrDefault(v => v is not null);
}
