using System.Security.Claims;

namespace Portal.Authentication.Oidc;

/// <summary>
/// Turns the principal the OpenID Connect handler built (ID token claims plus userinfo) into the portal principal.
/// Only the mapped claims are kept: nothing else the IdP sends reaches the cookie.
/// </summary>
/// <remarks>
/// The identity is keyed by provider ARN and <c>sub</c> (OIDC Core §5.7: only <c>iss</c> + <c>sub</c> are stable;
/// SECURITY-CASES 73), never by e-mail. The <c>ck:</c> claims carry what AssumeRoleWithWebIdentity would put in
/// the trust-policy request context (<c>PROVIDER:sub</c>, <c>PROVIDER:aud</c>, <c>PROVIDER:amr</c>,
/// <c>portal:groups</c>, <c>portal:email</c>, <c>portal:name</c>), so portal sign-in and the STS API evaluate a person
/// alike. <c>amr</c> comes from the ID token only (the handler maps no <c>amr</c> from userinfo).
/// </remarks>
internal static class OidcPrincipalMapper
{
    internal const string AuthenticationType = "oidc";

    /// <summary>The portal principal, or null when the ID token has no usable <c>sub</c>.</summary>
    internal static ClaimsPrincipal? Map(ClaimsPrincipal source, OidcSignInProvider provider)
    {
        var subject = source.FindFirst("sub")?.Value;
        if (string.IsNullOrEmpty(subject))
        {
            return null;
        }

        var issuer = provider.ProviderArn;
        var claims = new List<Claim>
        {
            new(PortalClaimTypes.Subject, provider.ProviderArn + "|" + subject, ClaimValueTypes.String, issuer),
            new(PortalClaimTypes.Provider, provider.ProviderArn, ClaimValueTypes.String, issuer),
            new(PortalClaimTypes.Method, OidcSignInDefaults.Method, ClaimValueTypes.String, issuer),
        };

        var name = First(source, "name") ?? First(source, "preferred_username") ?? First(source, "email") ?? subject;
        claims.Add(new Claim(PortalClaimTypes.Name, name, ClaimValueTypes.String, issuer));
        var email = First(source, "email");
        if (email is not null)
        {
            claims.Add(new Claim(PortalClaimTypes.Email, email, ClaimValueTypes.String, issuer));
        }

        var amr = Values(source, "amr");
        if (provider.TrustMfa && amr.Contains("mfa", StringComparer.Ordinal))
        {
            claims.Add(new Claim(PortalClaimTypes.AuthenticationMethod, "mfa", ClaimValueTypes.String, issuer));
        }

        var groups = provider.GroupsClaim is null ? [] : Values(source, provider.GroupsClaim);
        claims.AddRange(groups.Select(g => new Claim(PortalClaimTypes.Group, g, ClaimValueTypes.String, issuer)));

        var key = PortalClaimTypes.ConditionKeyPrefix + provider.ProviderName + ":";
        claims.Add(new Claim(key + "sub", subject, ClaimValueTypes.String, issuer));

        // The handler accepted the token only with aud = ClientId (OIDC Core §3.1.3.7 item 3), the audience AWS maps to PROVIDER:aud.
        claims.Add(new Claim(key + "aud", provider.ClientId, ClaimValueTypes.String, issuer));
        claims.AddRange(amr.Select(a => new Claim(key + "amr", a, ClaimValueTypes.String, issuer)));
        claims.AddRange(groups.Select(g => new Claim(PortalClaimTypes.ConditionKeyPrefix + "portal:groups", g, ClaimValueTypes.String, issuer)));
        if (email is not null)
        {
            claims.Add(new Claim(PortalClaimTypes.ConditionKeyPrefix + "portal:email", email, ClaimValueTypes.String, issuer));
        }

        if (First(source, "name") is { } displayName)
        {
            claims.Add(new Claim(PortalClaimTypes.ConditionKeyPrefix + "portal:name", displayName, ClaimValueTypes.String, issuer));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, AuthenticationType, PortalClaimTypes.Name, PortalClaimTypes.Role));
    }

    private static string? First(ClaimsPrincipal principal, string type) =>
        principal.FindFirst(type)?.Value is { Length: > 0 } value ? value : null;

    /// <summary>Distinct values (the ID token and userinfo may both carry an array claim; RECIPE §3 gotcha).</summary>
    private static List<string> Values(ClaimsPrincipal principal, string type) =>
        principal.FindAll(type).Select(c => c.Value).Where(v => v.Length > 0).Distinct(StringComparer.Ordinal).ToList();
}
