using System.Security.Claims;
using Portal.Core.Federation.Saml;

namespace Portal.Authentication.Saml2.Logout;

/// <summary>
/// The IdP session a SAML sign-in created, kept in the portal cookie's claims: the NameID with its qualifiers and the
/// SessionIndex, which a LogoutRequest must repeat exactly (SAML Core §3.7.1, Profiles §4.4.4.1).
/// </summary>
public static class Saml2SessionClaims
{
    /// <summary>Adds the session claims of a validated assertion.</summary>
    public static void Add(ClaimsIdentity identity, SamlAssertionData assertion)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(assertion);
        identity.AddClaim(new Claim(Saml2Defaults.NameIdClaimType, assertion.NameId));
        AddIfPresent(identity, Saml2Defaults.NameIdFormatClaimType, assertion.NameIdFormat);
        AddIfPresent(identity, Saml2Defaults.NameQualifierClaimType, assertion.NameQualifier);
        AddIfPresent(identity, Saml2Defaults.SpNameQualifierClaimType, assertion.SpNameQualifier);
        AddIfPresent(identity, Saml2Defaults.SessionIndexClaimType, assertion.SessionIndex);
    }

    /// <summary>The session's NameID and SessionIndex, or null when the principal did not sign in through SAML.</summary>
    public static (SamlNameId NameId, string? SessionIndex)? Read(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        if (principal.FindFirst(Saml2Defaults.NameIdClaimType)?.Value is not { } value)
        {
            return null;
        }

        var nameId = new SamlNameId(
            value,
            principal.FindFirst(Saml2Defaults.NameIdFormatClaimType)?.Value,
            principal.FindFirst(Saml2Defaults.NameQualifierClaimType)?.Value,
            principal.FindFirst(Saml2Defaults.SpNameQualifierClaimType)?.Value);
        return (nameId, principal.FindFirst(Saml2Defaults.SessionIndexClaimType)?.Value);
    }

    private static void AddIfPresent(ClaimsIdentity identity, string type, string? value)
    {
        if (value is not null)
        {
            identity.AddClaim(new Claim(type, value));
        }
    }
}
