using System.Security.Claims;
using Portal.Authentication;
using Portal.Authentication.Oidc;
using Portal.Authentication.Saml2;
using Portal.Core.Iam;
using Portal.Core.Identity;
using Portal.Core.Sts;

namespace Portal.Security;

/// <summary>What the current data says about a principal issued earlier (SECURITY-CASES 104e).</summary>
public enum PrincipalStanding
{
    /// <summary>Still valid, with every role it carries.</summary>
    Current,

    /// <summary>Still a valid person, but it carries the administrator role and is no longer allowed it.</summary>
    AdministratorRevoked,

    /// <summary>The person is gone: the local user was deleted or lost its console password, or the IdP was removed.</summary>
    Revoked,
}

/// <summary>
/// Re-checks a portal principal against the current directory, since its claims were decided once, at sign-in
/// (SECURITY-CASES 104e): a local IAM user must still exist and have a console password (login profile), and, to keep
/// the administrator role, still be allowed <c>portal:Administer</c>; a federated person's identity provider must still be
/// registered, and, to keep the role, one of their groups must still be in <c>Portal:AdministratorGroups</c>.
/// </summary>
public sealed class CurrentPrincipalValidator(IamDirectory directory, PortalPrincipalFactory principals)
{
    /// <summary>The standing of <paramref name="user"/> now; anything not issued by a portal sign-in method is revoked.</summary>
    public async Task<PrincipalStanding> CheckAsync(ClaimsPrincipal user, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.Identity?.IsAuthenticated != true)
        {
            return PrincipalStanding.Revoked;
        }

        var administrator = user.HasClaim(PortalClaimTypes.Role, PortalClaimTypes.AdministratorRole);
        switch (user.FindFirst(PortalClaimTypes.Method)?.Value)
        {
            case "local":
                var userId = user.FindFirst(PortalClaimTypes.UserId)?.Value;
                var local = string.IsNullOrEmpty(userId) ? null : await directory.FindUserByIdAsync(userId, ct).ConfigureAwait(false);
                if (local is null || !local.HasConsolePassword)
                {
                    return PrincipalStanding.Revoked;
                }

                // No request context here: a policy that grants portal:Administer only from some aws:SourceIp fails closed.
                return administrator && !await principals.IsIamAdministratorAsync(local, new RequestInfo(), ct).ConfigureAwait(false)
                    ? PrincipalStanding.AdministratorRevoked
                    : PrincipalStanding.Current;
            case Saml2Defaults.Method or OidcSignInDefaults.Method:
                var providerArn = user.FindFirst(PortalClaimTypes.Provider)?.Value;
                if (!Arn.TryParse(providerArn, out var arn) || !arn.TryGetAccountId(out var account)
                    || await directory.FindProviderAsync(account, providerArn, ct).ConfigureAwait(false) is null)
                {
                    return PrincipalStanding.Revoked;
                }

                return administrator && !user.FindAll(PortalClaimTypes.Group).Any(g => principals.IsAdministratorGroup(g.Value))
                    ? PrincipalStanding.AdministratorRevoked
                    : PrincipalStanding.Current;
            default:
                return PrincipalStanding.Revoked;
        }
    }
}
