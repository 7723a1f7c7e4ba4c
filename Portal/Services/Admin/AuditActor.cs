using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Portal.Authentication;
using Portal.Core.Audit;
using Portal.Core.Sts;

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

    /// <summary>
    /// The audit record of an administrator's change: allowed when <paramref name="error"/> is null, otherwise denied with its
    /// code and message; <paramref name="before"/>/<paramref name="after"/> are the values around it (SECURITY-CASES 104g).
    /// </summary>
    public static AuditRecord ChangeRecord(TimeProvider time, string actor, string action, string resource, StsError? error, string? before, string? after)
    {
        ArgumentNullException.ThrowIfNull(time);
        return new AuditRecord
        {
            Timestamp = time.GetUtcNow(),
            Action = action,
            Decision = error is null ? AuditDecision.Allow : AuditDecision.Deny,
            Principal = actor,
            Resource = resource,
            ErrorCode = error?.WireCode,
            Message = error?.Message,
            Before = before,
            After = after,
        };
    }
}
