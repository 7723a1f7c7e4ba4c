using Portal.Core.Iam;
using Portal.Core.Identity;
using Portal.Core.Policies.Lint;
using Portal.Core.Sts;

namespace Portal.Sts;

public sealed partial class IamApi
{
    private async Task<StsOutcome<string>> CreateRoleAsync(IamRequest r)
    {
        if (IamRequest.First(r.Require("RoleName", "roleName", out var name), r.Require("AssumeRolePolicyDocument", "assumeRolePolicyDocument", out var trust)) is { } missing)
        {
            return missing;
        }

        var path = r.P["Path"];
        if ((IamNames.ValidateEntityName(name, "roleName") ?? IamNames.ValidatePath(path, "path")) is { } invalid)
        {
            return invalid;
        }

        var max = ParseInt(r, "MaxSessionDuration", "maxSessionDuration");
        if (!max.Succeeded)
        {
            return max.Error;
        }

        var tags = ParseTags(r);
        if (!tags.Succeeded)
        {
            return tags.Error;
        }

        if (await DeniedAsync(r, Arn.Role(r.Account, path ?? "/", name).ToString()).ConfigureAwait(false) is { } denied)
        {
            return denied;
        }

        // SECURITY-CASES 104g: a trust policy that lets anyone (or any token of a provider) in is refused before it is stored.
        if (TrustPolicyLinter.Check(trust) is { } tooBroad)
        {
            return tooBroad;
        }

        var created = await _directory.CreateRoleAsync(r.Account, name, trust, path, r.P["Description"], max.Value, tags.Value, r.Ct).ConfigureAwait(false);
        if (!created.Succeeded)
        {
            return created.Error;
        }

        using var x = StsXml.Begin(r.Action, r.Info.RequestId, StsXml.IamNamespace);
        return WriteRole(x, created.Value, "Role").End();
    }

    private async Task<StsOutcome<string>> GetRoleAsync(IamRequest r)
    {
        var role = await AuthorizedRoleAsync(r).ConfigureAwait(false);
        if (!role.Succeeded)
        {
            return role.Error;
        }

        using var x = StsXml.Begin(r.Action, r.Info.RequestId, StsXml.IamNamespace);
        return WriteRole(x, role.Value, "Role").End();
    }

    private async Task<StsOutcome<string>> ListRolesAsync(IamRequest r)
    {
        if (await DeniedAsync(r, "*").ConfigureAwait(false) is { } denied)
        {
            return denied;
        }

        var prefix = r.P["PathPrefix"] ?? "/";
        var roles = (await _directory.ListRolesAsync(r.Account, r.Ct).ConfigureAwait(false))
            .Where(x => x.Path.StartsWith(prefix, StringComparison.Ordinal))
            .ToList();
        var page = IamPaging.Page(roles, r.P);
        if (!page.Succeeded)
        {
            return page.Error;
        }

        using var x = StsXml.Begin(r.Action, r.Info.RequestId, StsXml.IamNamespace);
        x.Open("Roles");
        foreach (var role in page.Value.Items)
        {
            WriteRole(x, role, "member");
        }

        return x.Close().Truncation(page.Value.NextMarker).End();
    }

    private async Task<StsOutcome<string>> UpdateRoleAsync(IamRequest r)
    {
        var max = ParseInt(r, "MaxSessionDuration", "maxSessionDuration");
        if (!max.Succeeded)
        {
            return max.Error;
        }

        var role = await AuthorizedRoleAsync(r).ConfigureAwait(false);
        if (!role.Succeeded)
        {
            return role.Error;
        }

        var updated = await _directory.UpdateRoleAsync(r.Account, role.Value.Name, r.P["Description"], max.Value, r.Ct).ConfigureAwait(false);
        if (!updated.Succeeded)
        {
            return updated.Error;
        }

        // UpdateRoleResponse is an empty structure with a result wrapper, so the empty UpdateRoleResult element is sent.
        using var x = StsXml.Begin(r.Action, r.Info.RequestId, StsXml.IamNamespace);
        return x.End();
    }

    private async Task<StsOutcome<string>> UpdateAssumeRolePolicyAsync(IamRequest r)
    {
        if (r.Require("PolicyDocument", "policyDocument", out var document) is { } missing)
        {
            return missing;
        }

        var role = await AuthorizedRoleAsync(r).ConfigureAwait(false);
        if (!role.Succeeded)
        {
            return role.Error;
        }

        if (TrustPolicyLinter.Check(document) is { } tooBroad)
        {
            return tooBroad;
        }

        var updated = await _directory.UpdateAssumeRolePolicyAsync(r.Account, role.Value.Name, document, r.Ct).ConfigureAwait(false);
        return updated.Succeeded ? Empty(r) : updated.Error;
    }

    private async Task<StsOutcome<string>> DeleteRoleAsync(IamRequest r)
    {
        var role = await AuthorizedRoleAsync(r).ConfigureAwait(false);
        if (!role.Succeeded)
        {
            return role.Error;
        }

        var deleted = await _directory.DeleteRoleAsync(r.Account, role.Value.Name, r.Ct).ConfigureAwait(false);
        return deleted.Succeeded ? Empty(r) : deleted.Error;
    }

    private async Task<StsOutcome<string>> TagRoleAsync(IamRequest r)
    {
        var tags = ParseTags(r);
        if (!tags.Succeeded)
        {
            return tags.Error;
        }

        if (tags.Value.Count == 0)
        {
            return new StsError(StsErrorCode.ValidationError, "1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null");
        }

        var role = await AuthorizedRoleAsync(r).ConfigureAwait(false);
        if (!role.Succeeded)
        {
            return role.Error;
        }

        var merged = role.Value.Tags.Select(t => t.Key).Concat(tags.Value.Select(t => t.Key)).Distinct(StringComparer.OrdinalIgnoreCase).Count();
        if (merged > 50)
        {
            return new StsError(StsErrorCode.LimitExceeded, "The number of tags has reached the maximum limit: 50.");
        }

        var tagged = await _directory.TagRoleAsync(r.Account, role.Value.Name, tags.Value, r.Ct).ConfigureAwait(false);
        return tagged.Succeeded ? Empty(r) : tagged.Error;
    }

    private async Task<StsOutcome<string>> UntagRoleAsync(IamRequest r)
    {
        var keys = ParseStrings(r, "TagKeys");
        if (!keys.Succeeded)
        {
            return keys.Error;
        }

        if (keys.Value.Count == 0)
        {
            return new StsError(StsErrorCode.ValidationError, "1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: Member must not be null");
        }

        var role = await AuthorizedRoleAsync(r).ConfigureAwait(false);
        if (!role.Succeeded)
        {
            return role.Error;
        }

        var untagged = await _directory.UntagRoleAsync(r.Account, role.Value.Name, keys.Value, r.Ct).ConfigureAwait(false);
        return untagged.Succeeded ? Empty(r) : untagged.Error;
    }

    // ---- inline role policies -------------------------------------------------------------------------------------

    private async Task<StsOutcome<string>> PutRolePolicyAsync(IamRequest r)
    {
        if (IamRequest.First(r.Require("PolicyName", "policyName", out var policyName), r.Require("PolicyDocument", "policyDocument", out var document)) is { } missing)
        {
            return missing;
        }

        var role = await AuthorizedRoleAsync(r).ConfigureAwait(false);
        if (!role.Succeeded)
        {
            return role.Error;
        }

        var put = await _directory.PutInlinePolicyAsync(role.Value.Id, policyName, document, r.Ct).ConfigureAwait(false);
        return put.Succeeded ? Empty(r) : put.Error;
    }

    private async Task<StsOutcome<string>> GetRolePolicyAsync(IamRequest r)
    {
        if (r.Require("PolicyName", "policyName", out var policyName) is { } missing)
        {
            return missing;
        }

        var role = await AuthorizedRoleAsync(r).ConfigureAwait(false);
        if (!role.Succeeded)
        {
            return role.Error;
        }

        var policy = (await _directory.ListInlinePoliciesAsync(role.Value.Id, r.Ct).ConfigureAwait(false)).FirstOrDefault(p => p.Name == policyName);
        if (policy is null)
        {
            return new StsError(StsErrorCode.NoSuchEntity, $"The role policy with name {policyName} cannot be found.");
        }

        using var x = StsXml.Begin(r.Action, r.Info.RequestId, StsXml.IamNamespace);
        return x.Element("RoleName", role.Value.Name)
            .Element("PolicyName", policy.Name)
            .Element("PolicyDocument", EncodePolicy(policy.Document))
            .End();
    }

    private async Task<StsOutcome<string>> ListRolePoliciesAsync(IamRequest r)
    {
        var role = await AuthorizedRoleAsync(r).ConfigureAwait(false);
        if (!role.Succeeded)
        {
            return role.Error;
        }

        var names = (await _directory.ListInlinePoliciesAsync(role.Value.Id, r.Ct).ConfigureAwait(false)).Select(p => p.Name).ToList();
        var page = IamPaging.Page(names, r.P);
        if (!page.Succeeded)
        {
            return page.Error;
        }

        using var x = StsXml.Begin(r.Action, r.Info.RequestId, StsXml.IamNamespace);
        x.Open("PolicyNames");
        foreach (var name in page.Value.Items)
        {
            x.Element("member", name);
        }

        return x.Close().Truncation(page.Value.NextMarker).End();
    }

    private async Task<StsOutcome<string>> DeleteRolePolicyAsync(IamRequest r)
    {
        if (r.Require("PolicyName", "policyName", out var policyName) is { } missing)
        {
            return missing;
        }

        var role = await AuthorizedRoleAsync(r).ConfigureAwait(false);
        if (!role.Succeeded)
        {
            return role.Error;
        }

        var deleted = await _directory.DeleteInlinePolicyAsync(role.Value.Id, policyName, r.Ct).ConfigureAwait(false);
        return deleted.Succeeded ? Empty(r) : deleted.Error;
    }

    // ---- managed policies -----------------------------------------------------------------------------------------

    private async Task<StsOutcome<string>> CreatePolicyAsync(IamRequest r)
    {
        if (IamRequest.First(r.Require("PolicyName", "policyName", out var name), r.Require("PolicyDocument", "policyDocument", out var document)) is { } missing)
        {
            return missing;
        }

        var path = r.P["Path"];
        if ((IamNames.ValidatePolicyName(name, "policyName") ?? IamNames.ValidatePath(path, "path")) is { } invalid)
        {
            return invalid;
        }

        if (await DeniedAsync(r, Arn.Policy(r.Account, path ?? "/", name).ToString()).ConfigureAwait(false) is { } denied)
        {
            return denied;
        }

        var created = await _directory.CreateManagedPolicyAsync(r.Account, name, document, path, r.P["Description"], r.Ct).ConfigureAwait(false);
        if (!created.Succeeded)
        {
            return created.Error;
        }

        using var x = StsXml.Begin(r.Action, r.Info.RequestId, StsXml.IamNamespace);
        return WritePolicy(x, created.Value, 0, includeDescription: false).End();
    }

    private async Task<StsOutcome<string>> GetPolicyAsync(IamRequest r)
    {
        if (r.Require("PolicyArn", "policyArn", out var policyArn) is { } missing)
        {
            return missing;
        }

        var policy = await AuthorizedPolicyAsync(r, policyArn, authorizeOn: null).ConfigureAwait(false);
        if (!policy.Succeeded)
        {
            return policy.Error;
        }

        var attachments = await _directory.CountPolicyAttachmentsAsync(policy.Value.Arn, r.Ct).ConfigureAwait(false);
        using var x = StsXml.Begin(r.Action, r.Info.RequestId, StsXml.IamNamespace);
        return WritePolicy(x, policy.Value, attachments, includeDescription: true).End();
    }

    private async Task<StsOutcome<string>> AttachRolePolicyAsync(IamRequest r)
    {
        if (r.Require("PolicyArn", "policyArn", out var policyArn) is { } missing)
        {
            return missing;
        }

        var role = await AuthorizedRoleAsync(r).ConfigureAwait(false);
        if (!role.Succeeded)
        {
            return role.Error;
        }

        var policy = await AuthorizedPolicyAsync(r, policyArn, authorizeOn: role.Value.Arn).ConfigureAwait(false);
        if (!policy.Succeeded)
        {
            return policy.Error;
        }

        var attached = await _directory.AttachPolicyAsync(role.Value.Id, policy.Value.Arn, r.Ct).ConfigureAwait(false);
        return attached.Succeeded ? Empty(r) : attached.Error;
    }

    private async Task<StsOutcome<string>> DetachRolePolicyAsync(IamRequest r)
    {
        if (r.Require("PolicyArn", "policyArn", out var policyArn) is { } missing)
        {
            return missing;
        }

        var role = await AuthorizedRoleAsync(r).ConfigureAwait(false);
        if (!role.Succeeded)
        {
            return role.Error;
        }

        var detached = await _directory.DetachPolicyAsync(role.Value.Id, policyArn, r.Ct).ConfigureAwait(false);
        return detached.Succeeded ? Empty(r) : detached.Error;
    }

    private async Task<StsOutcome<string>> ListAttachedRolePoliciesAsync(IamRequest r)
    {
        var role = await AuthorizedRoleAsync(r).ConfigureAwait(false);
        if (!role.Succeeded)
        {
            return role.Error;
        }

        var prefix = r.P["PathPrefix"] ?? "/";
        var policies = (await _directory.ListAttachedPoliciesAsync(role.Value.Id, r.Ct).ConfigureAwait(false))
            .Where(p => p.Path.StartsWith(prefix, StringComparison.Ordinal))
            .ToList();
        var page = IamPaging.Page(policies, r.P);
        if (!page.Succeeded)
        {
            return page.Error;
        }

        using var x = StsXml.Begin(r.Action, r.Info.RequestId, StsXml.IamNamespace);
        x.Open("AttachedPolicies");
        foreach (var policy in page.Value.Items)
        {
            x.Open("member").Element("PolicyName", policy.Name).Element("PolicyArn", policy.Arn).Close();
        }

        return x.Close().Truncation(page.Value.NextMarker).End();
    }

    /// <summary>
    /// A managed policy of the caller's account. AWS-managed and other accounts' policies do not exist here, so attaching
    /// one is NoSuchEntity rather than a reach into another account. The action is authorized on
    /// <paramref name="authorizeOn"/> (the role for Attach) or on the policy ARN itself.
    /// </summary>
    private async Task<StsOutcome<ManagedPolicyInfo>> AuthorizedPolicyAsync(IamRequest r, string policyArn, string? authorizeOn)
    {
        var notFound = $"Policy {policyArn} does not exist or is not attachable.";
        var arn = ParseOwnArn(r, policyArn, notFound);
        if (!arn.Succeeded)
        {
            return arn.Error;
        }

        if (authorizeOn is null && await DeniedAsync(r, policyArn).ConfigureAwait(false) is { } denied)
        {
            return denied;
        }

        var policy = await _directory.FindManagedPolicyAsync(policyArn, r.Ct).ConfigureAwait(false);
        return policy is null || policy.AccountId != r.Account.Value ? new StsError(StsErrorCode.NoSuchEntity, notFound) : policy;
    }

    private static StsXml WriteRole(StsXml x, RoleInfo role, string element)
    {
        x.Open(element)
            .Element("Path", role.Path)
            .Element("RoleName", role.Name)
            .Element("RoleId", role.Id)
            .Element("Arn", role.Arn)
            .Element("CreateDate", role.CreatedAt)
            .Element("AssumeRolePolicyDocument", EncodePolicy(role.TrustPolicy))
            .Element("Description", role.Description)
            .Element("MaxSessionDuration", role.MaxSessionDuration);
        WriteTags(x, role.Tags);
        return x.Close();
    }

    private static StsXml WritePolicy(StsXml x, ManagedPolicyInfo policy, int attachments, bool includeDescription) =>
        x.Open("Policy")
            .Element("PolicyName", policy.Name)
            .Element("PolicyId", policy.Id)
            .Element("Arn", policy.Arn)
            .Element("Path", policy.Path)
            .Element("DefaultVersionId", "v1")
            .Element("AttachmentCount", attachments)
            .Element("PermissionsBoundaryUsageCount", 0)
            .Element("IsAttachable", true)
            .Element("Description", includeDescription ? policy.Description : null)
            .Element("CreateDate", policy.CreatedAt)
            .Element("UpdateDate", policy.UpdatedAt)
            .Close();
}
