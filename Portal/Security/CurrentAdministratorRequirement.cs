using Microsoft.AspNetCore.Authorization;
using Portal.Authentication;

namespace Portal.Security;

/// <summary>
/// Part of the administrator policy: the administrator role carried by the cookie is still granted by the current data
/// (SECURITY-CASES 104e). Every evaluation of the policy — a page, the audit export, an admin event handler re-checking
/// through <c>AuditActor</c> — therefore reads the directory, not only the claims decided at sign-in.
/// </summary>
public sealed class CurrentAdministratorRequirement : IAuthorizationRequirement;

/// <summary>Satisfies <see cref="CurrentAdministratorRequirement"/> through <see cref="CurrentPrincipalValidator"/>.</summary>
internal sealed class CurrentAdministratorHandler(CurrentPrincipalValidator validator) : AuthorizationHandler<CurrentAdministratorRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, CurrentAdministratorRequirement requirement)
    {
        // The policy's claim requirements already fail for everyone else; only a claimed administrator costs a lookup
        // (the navigation menu evaluates the policy on every render).
        if (!context.User.HasClaim(PortalClaimTypes.Role, PortalClaimTypes.AdministratorRole))
        {
            return;
        }

        if (await validator.CheckAsync(context.User).ConfigureAwait(false) == PrincipalStanding.Current)
        {
            context.Succeed(requirement);
        }
    }
}
