using Portal.Core.Audit;
using Portal.Core.Iam;
using Portal.Core.Identity;
using Portal.Core.Sts;

namespace Portal.Sts;

public sealed partial class IamApi
{
    /// <summary>
    /// The actions that change trust, credentials or administration, each with what to record before and after it
    /// (SECURITY-CASES 104g: audited with before/after values; 104h: refused attempts too). Auditing happens here, in
    /// the dispatcher, so a new action only needs a line in this table.
    /// </summary>
    private static readonly Dictionary<string, Func<IamApi, IamRequest, Task<string?>>> Audited = new(StringComparer.Ordinal)
    {
        ["CreateUser"] = (a, r) => a.UserSnapshotAsync(r),
        ["DeleteUser"] = (a, r) => a.UserSnapshotAsync(r),
        ["DeleteLoginProfile"] = (a, r) => a.UserSnapshotAsync(r),
        ["PutUserPolicy"] = (a, r) => a.InlineSnapshotAsync(r, a.UserOwnerAsync),
        ["DeleteUserPolicy"] = (a, r) => a.InlineSnapshotAsync(r, a.UserOwnerAsync),
        ["AttachUserPolicy"] = (a, r) => a.AttachedSnapshotAsync(r, a.UserOwnerAsync),
        ["DetachUserPolicy"] = (a, r) => a.AttachedSnapshotAsync(r, a.UserOwnerAsync),
        ["CreateAccessKey"] = NoSnapshot,
        ["UpdateAccessKey"] = NoSnapshot,
        ["DeleteAccessKey"] = NoSnapshot,
        ["CreateRole"] = (a, r) => a.RoleSnapshotAsync(r),
        ["UpdateRole"] = (a, r) => a.RoleSnapshotAsync(r),
        ["UpdateAssumeRolePolicy"] = (a, r) => a.RoleSnapshotAsync(r),
        ["DeleteRole"] = (a, r) => a.RoleSnapshotAsync(r),
        ["PutRolePolicy"] = (a, r) => a.InlineSnapshotAsync(r, a.RoleOwnerAsync),
        ["DeleteRolePolicy"] = (a, r) => a.InlineSnapshotAsync(r, a.RoleOwnerAsync),
        ["AttachRolePolicy"] = (a, r) => a.AttachedSnapshotAsync(r, a.RoleOwnerAsync),
        ["DetachRolePolicy"] = (a, r) => a.AttachedSnapshotAsync(r, a.RoleOwnerAsync),
        ["CreatePolicy"] = NoSnapshot,
        ["CreateSAMLProvider"] = (a, r) => a.ProviderSnapshotAsync(r, r.P["Name"] is { } name && IamNames.ValidateEntityName(name, "name", 128) is null ? Arn.SamlProvider(r.Account, name).ToString() : null),
        ["UpdateSAMLProvider"] = (a, r) => a.ProviderSnapshotAsync(r, r.P["SAMLProviderArn"]),
        ["DeleteSAMLProvider"] = (a, r) => a.ProviderSnapshotAsync(r, r.P["SAMLProviderArn"]),
        ["CreateOpenIDConnectProvider"] = (a, r) => a.ProviderSnapshotAsync(r, OidcArn(r)),
        ["DeleteOpenIDConnectProvider"] = (a, r) => a.ProviderSnapshotAsync(r, r.P["OpenIDConnectProviderArn"]),
        ["EnableMFADevice"] = NoSnapshot,
        ["DeactivateMFADevice"] = NoSnapshot,
        ["DeleteVirtualMFADevice"] = NoSnapshot,
    };

    private static Task<string?> NoSnapshot(IamApi api, IamRequest r) => Task.FromResult<string?>(null);

    /// <summary>Runs an audited action: snapshot, action, snapshot, then one record with the calling principal and the outcome.</summary>
    private async Task<StsOutcome<string>> AuditedAsync(
        Func<IamApi, IamRequest, Task<StsOutcome<string>>> handler, Func<IamApi, IamRequest, Task<string?>> snapshot, IamRequest r)
    {
        var before = await snapshot(this, r).ConfigureAwait(false);
        var outcome = await handler(this, r).ConfigureAwait(false);
        var after = await snapshot(this, r).ConfigureAwait(false);
        await _audit.WriteAsync(
            new AuditRecord
            {
                Timestamp = _time.GetUtcNow(),
                Action = "iam:" + r.Action,
                Decision = outcome.Succeeded ? AuditDecision.Allow : AuditDecision.Deny,
                RequestId = r.Info.RequestId,
                Principal = r.Caller.Arn,
                CallerAccessKeyId = r.Caller.AccessKeyId,
                Resource = Target(r),
                SourceIp = r.Info.SourceIp,
                UserAgent = r.Info.UserAgent,
                ErrorCode = outcome.Error?.WireCode,
                Message = outcome.Error?.Message,
                Before = before,
                After = after,
            },
            r.Ct).ConfigureAwait(false);
        return outcome;
    }

    /// <summary>What the action names as its target, from its parameters (the first present of the usual names).</summary>
    private static string? Target(IamRequest r)
    {
        string[] names = ["RoleName", "UserName", "SAMLProviderArn", "OpenIDConnectProviderArn", "Name", "Url", "PolicyName", "AccessKeyId", "SerialNumber"];
        var found = names.Select(n => r.P[n] is { } v ? n + "=" + v : null).Where(v => v is not null).ToList();
        return found.Count == 0 ? null : string.Join("; ", found);
    }

    private static string? OidcArn(IamRequest r)
    {
        var url = r.P["Url"];
        return url is not null && Uri.TryCreate(url, UriKind.Absolute, out _) ? Arn.OidcProvider(r.Account, url).ToString() : null;
    }

    private async Task<string?> UserSnapshotAsync(IamRequest r)
    {
        var user = await UserOwnerAsync(r).ConfigureAwait(false);
        return user is null ? null : $"{user.Value.Arn}; console password: {(user.Value.HasConsolePassword ? "yes" : "no")}";
    }

    private async Task<(string Id, string Arn, bool HasConsolePassword)?> UserOwnerAsync(IamRequest r) =>
        r.P["UserName"] is { } name && IamNames.ValidateEntityName(name, "userName", 128) is null
            && await _directory.FindUserAsync(r.Account, name, r.Ct).ConfigureAwait(false) is { } user
            ? (user.Id, user.Arn, user.HasConsolePassword)
            : null;

    private async Task<(string Id, string Arn, bool HasConsolePassword)?> RoleOwnerAsync(IamRequest r) =>
        r.P["RoleName"] is { } name && IamNames.ValidateEntityName(name, "roleName") is null
            && await _directory.FindRoleAsync(r.Account, name, r.Ct).ConfigureAwait(false) is { } role
            ? (role.Id, role.Arn, false)
            : null;

    private async Task<string?> RoleSnapshotAsync(IamRequest r)
    {
        var role = r.P["RoleName"] is { } name && IamNames.ValidateEntityName(name, "roleName") is null
            ? await _directory.FindRoleAsync(r.Account, name, r.Ct).ConfigureAwait(false)
            : null;
        return role is null ? null : $"MaxSessionDuration={role.MaxSessionDuration}; AssumeRolePolicyDocument={role.TrustPolicy}";
    }

    private async Task<string?> InlineSnapshotAsync(IamRequest r, Func<IamRequest, Task<(string Id, string Arn, bool HasConsolePassword)?>> owner)
    {
        if (await owner(r).ConfigureAwait(false) is not { } o || r.P["PolicyName"] is not { } policyName)
        {
            return null;
        }

        var policies = await _directory.ListInlinePoliciesAsync(o.Id, r.Ct).ConfigureAwait(false);
        return policies.FirstOrDefault(p => string.Equals(p.Name, policyName, StringComparison.Ordinal))?.Document;
    }

    private async Task<string?> AttachedSnapshotAsync(IamRequest r, Func<IamRequest, Task<(string Id, string Arn, bool HasConsolePassword)?>> owner)
    {
        if (await owner(r).ConfigureAwait(false) is not { } o)
        {
            return null;
        }

        var attached = await _directory.ListAttachedPoliciesAsync(o.Id, r.Ct).ConfigureAwait(false);
        return "attached: [" + string.Join(", ", attached.Select(p => p.Arn)) + "]";
    }

    private async Task<string?> ProviderSnapshotAsync(IamRequest r, string? arn) =>
        arn is null ? null : IamChangeSummary.Provider(await _directory.FindProviderAsync(r.Account, arn, r.Ct).ConfigureAwait(false));
}
