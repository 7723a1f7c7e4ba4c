using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Portal.Authentication;

namespace Portal.Services.Admin;

/// <summary>
/// Who is acting, for the audit log, after re-checking the administrator policy. Admin event handlers call it before every
/// change: hidden UI is not access control, and a live circuit must not keep authority it lost (SECURITY-CASES 104d (3), 104e).
/// </summary>
public static class AuditActor
{
    /// <summary>The acting administrator's subject (or name), or null when the current user is not an administrator.</summary>
    public static async Task<string?> RequireAdministratorAsync(IAuthorizationService authorization, Task<AuthenticationState>? state)
    {
        ArgumentNullException.ThrowIfNull(authorization);
        if (state is null)
        {
            return null;
        }

        var user = (await state.ConfigureAwait(false)).User;
        var result = await authorization.AuthorizeAsync(user, PortalAuthenticationDefaults.AdministratorPolicy).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            return null;
        }

        return user.FindFirst(PortalClaimTypes.Subject)?.Value ?? user.Identity?.Name ?? "administrator";
    }
}
