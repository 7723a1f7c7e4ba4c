using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Authentication;
using Portal.Core.Audit;
using Portal.Core.Iam;
using Portal.Core.Identity;
using Portal.Core.Mfa;
using Portal.Core.Persistence;
using Portal.Core.Sts;

namespace Portal.Services.Admin;

/// <summary>A row of the people list: an IAM user with its MFA and console-password status (no secret columns).</summary>
public sealed record AdminUserRow(string UserId, string AccountId, string Name, string Arn, bool HasConsolePassword, bool HasMfa, DateTimeOffset CreatedAt);

/// <summary>
/// The administrators' view of IAM users, their access keys and MFA devices. Every change is audited with the acting
/// administrator as principal (SECURITY-CASES 104h: both successful and failed changes are logged).
/// </summary>
public sealed class UsersAdminService(
    IamDirectory directory,
    MfaService mfa,
    IDbContextFactory<PortalDbContext> dbFactory,
    IAuditSink audit,
    TimeProvider time,
    PolicySource policies,
    IOptionsMonitor<PortalAdministratorOptions> administrators)
{
    private readonly AdministratorGuard _guard = new(directory, policies, time, () => administrators.CurrentValue.AdministratorGroups.Count > 0);

    /// <summary>The accounts an administrator can pick from.</summary>
    public Task<IReadOnlyList<AccountInfo>> ListAccountsAsync(CancellationToken ct = default) => directory.ListAccountsAsync(ct);

    /// <summary>The users of one account with whether each has an enabled MFA device and a console password.</summary>
    public async Task<IReadOnlyList<AdminUserRow>> ListUsersAsync(string accountId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        return await db.Users.AsNoTracking()
            .Where(u => u.AccountId == accountId)
            .OrderBy(u => u.Name)
            .Select(u => new AdminUserRow(
                u.Id,
                u.AccountId,
                u.Name,
                u.Arn,
                u.PasswordHash != null,
                db.MfaDevices.Any(d => d.UserId == u.Id && d.IsEnabled),
                u.CreatedAt))
            .ToListAsync(ct)
            .ConfigureAwait(false);
    }

    /// <summary>Creates a user (IAM name rules apply; failures are outcomes).</summary>
    public async Task<StsOutcome<UserInfo>> CreateUserAsync(string actor, string accountId, string name, CancellationToken ct = default)
    {
        if (!AccountId.TryParse(accountId, out var account))
        {
            return StsOutcome<UserInfo>.Failure(StsErrorCode.ValidationError, "Pick an account.");
        }

        var outcome = await directory.CreateUserAsync(account, name, ct: ct).ConfigureAwait(false);
        await AuditAsync(actor, "admin:CreateUser", outcome.Succeeded, outcome.Value?.Arn ?? name, outcome.Error?.WireCode, ct).ConfigureAwait(false);
        return outcome;
    }

    /// <summary>
    /// Deletes a user (IAM DeleteUser: access keys, policies and MFA devices must be gone first). Refused with
    /// DeleteConflict when it would remove the last administrator (SECURITY-CASES 104g (5), <see cref="AdministratorGuard"/>).
    /// </summary>
    public Task<StsOutcome<bool>> DeleteUserAsync(string actor, string userId, CancellationToken ct = default) =>
        GuardedAsync(actor, "admin:DeleteUser", userId, AdministratorChange.DeleteUser, u => directory.DeleteUserAsync(AccountId.Parse(u.AccountId), u.Name, ct), ct);

    /// <summary>Removes a user's console password (IAM DeleteLoginProfile); refused for the last administrator.</summary>
    public Task<StsOutcome<bool>> DeleteLoginProfileAsync(string actor, string userId, CancellationToken ct = default) =>
        GuardedAsync(actor, "admin:DeleteLoginProfile", userId, AdministratorChange.DeleteLoginProfile, u => directory.DeleteLoginProfileAsync(u.Id, ct), ct);

    private async Task<StsOutcome<bool>> GuardedAsync(
        string actor, string action, string userId, AdministratorChange change, Func<UserInfo, Task<StsOutcome<bool>>> apply, CancellationToken ct)
    {
        var user = await directory.FindUserByIdAsync(userId, ct).ConfigureAwait(false);
        var outcome = user is null
            ? StsOutcome<bool>.Failure(StsErrorCode.NoSuchEntity, "The user cannot be found.")
            : await _guard.CheckAsync(user, change, ct).ConfigureAwait(false) is { } refused
                ? StsOutcome<bool>.Failure(refused.Code, refused.Message)
                : await apply(user).ConfigureAwait(false);
        await AuditAsync(actor, action, outcome.Succeeded, user?.Arn ?? userId, outcome.Error?.WireCode, ct).ConfigureAwait(false);
        return outcome;
    }

    /// <summary>The user's access keys (never secrets).</summary>
    public Task<IReadOnlyList<AccessKeyInfo>> ListAccessKeysAsync(string accountId, string userId, CancellationToken ct = default) =>
        directory.ListAccessKeysAsync(AccountId.Parse(accountId), userId, ct);

    /// <summary>Creates an access key; the secret is in the result only, to be shown once and never stored by the UI.</summary>
    public async Task<StsOutcome<NewAccessKey>> CreateAccessKeyAsync(string actor, string accountId, string userId, CancellationToken ct = default)
    {
        var outcome = await directory.CreateAccessKeyAsync(AccountId.Parse(accountId), userId, ct).ConfigureAwait(false);
        await AuditAsync(actor, "admin:CreateAccessKey", outcome.Succeeded, outcome.Value?.Key.AccessKeyId ?? userId, outcome.Error?.WireCode, ct).ConfigureAwait(false);
        return outcome;
    }

    /// <summary>Activates or deactivates an access key.</summary>
    public async Task<StsOutcome<AccessKeyInfo>> SetAccessKeyActiveAsync(string actor, string accountId, string accessKeyId, bool active, CancellationToken ct = default)
    {
        var outcome = await directory.SetAccessKeyActiveAsync(AccountId.Parse(accountId), accessKeyId, active, ct).ConfigureAwait(false);
        await AuditAsync(actor, active ? "admin:ActivateAccessKey" : "admin:DeactivateAccessKey", outcome.Succeeded, accessKeyId, outcome.Error?.WireCode, ct).ConfigureAwait(false);
        return outcome;
    }

    /// <summary>Deletes an access key.</summary>
    public async Task<StsOutcome<bool>> DeleteAccessKeyAsync(string actor, string accountId, string accessKeyId, CancellationToken ct = default)
    {
        var outcome = await directory.DeleteAccessKeyAsync(AccountId.Parse(accountId), accessKeyId, ct).ConfigureAwait(false);
        await AuditAsync(actor, "admin:DeleteAccessKey", outcome.Succeeded, accessKeyId, outcome.Error?.WireCode, ct).ConfigureAwait(false);
        return outcome;
    }

    /// <summary>The user's MFA devices (no seeds).</summary>
    public Task<IReadOnlyList<MfaDevice>> ListMfaDevicesAsync(string userId, CancellationToken ct = default) => mfa.ListForUserAsync(userId, ct);

    /// <summary>Resets (deactivates) a user's MFA device so they can enrol again.</summary>
    public async Task<StsOutcome<MfaDevice>> ResetMfaDeviceAsync(string actor, string userId, string serialNumber, CancellationToken ct = default)
    {
        var outcome = await mfa.DeactivateAsync(serialNumber, userId, ct).ConfigureAwait(false);
        await AuditAsync(actor, "admin:ResetMfaDevice", outcome.Succeeded, serialNumber, outcome.Error?.WireCode, ct).ConfigureAwait(false);
        return outcome;
    }

    private Task AuditAsync(string actor, string action, bool succeeded, string resource, string? errorCode, CancellationToken ct) =>
        audit.WriteAsync(
            new AuditRecord
            {
                Timestamp = time.GetUtcNow(),
                Action = action,
                Decision = succeeded ? AuditDecision.Allow : AuditDecision.Deny,
                Principal = actor,
                Resource = resource,
                ErrorCode = errorCode,
            },
            ct);
}
