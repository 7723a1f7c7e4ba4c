using Portal.Core.Iam;
using Portal.Core.Identity;
using Portal.Core.Policies;
using Portal.Core.Sts;

namespace Portal.Sts;

public sealed partial class IamApi
{
    private async Task<StsOutcome<string>> CreateUserAsync(IamRequest r)
    {
        if (r.Require("UserName", "userName", out var name) is { } missing)
        {
            return missing;
        }

        var path = r.P["Path"];
        if ((IamNames.ValidateEntityName(name, "userName") ?? IamNames.ValidatePath(path, "path")) is { } invalid)
        {
            return invalid;
        }

        var tags = ParseTags(r);
        if (!tags.Succeeded)
        {
            return tags.Error;
        }

        if (await DeniedAsync(r, Arn.User(r.Account, path ?? "/", name).ToString()).ConfigureAwait(false) is { } denied)
        {
            return denied;
        }

        var created = await _directory.CreateUserAsync(r.Account, name, path, tags.Value, r.Ct).ConfigureAwait(false);
        if (!created.Succeeded)
        {
            return created.Error;
        }

        using var x = StsXml.Begin(r.Action, r.Info.RequestId, StsXml.IamNamespace);
        return WriteUser(x, created.Value, "User").End();
    }

    private async Task<StsOutcome<string>> GetUserAsync(IamRequest r)
    {
        var target = await AuthorizedUserOrSelfAsync(r).ConfigureAwait(false);
        if (!target.Succeeded)
        {
            return target.Error;
        }

        using var x = StsXml.Begin(r.Action, r.Info.RequestId, StsXml.IamNamespace);
        if (target.Value.User is { } user)
        {
            return WriteUser(x, user, "User").End();
        }

        // The root "user": IAM answers with the account id as UserId and the root ARN.
        var account = (await _directory.ListAccountsAsync(r.Ct).ConfigureAwait(false)).FirstOrDefault(a => a.Id == r.Account.Value);
        return x.Open("User")
            .Element("UserId", r.Account.Value)
            .Element("Arn", target.Value.Arn)
            .Element("CreateDate", account?.CreatedAt)
            .Close()
            .End();
    }

    private async Task<StsOutcome<string>> ListUsersAsync(IamRequest r)
    {
        if (await DeniedAsync(r, "*").ConfigureAwait(false) is { } denied)
        {
            return denied;
        }

        var prefix = r.P["PathPrefix"] ?? "/";
        var users = (await _directory.ListUsersAsync(r.Account, r.Ct).ConfigureAwait(false))
            .Where(u => u.Path.StartsWith(prefix, StringComparison.Ordinal))
            .ToList();
        var page = IamPaging.Page(users, r.P);
        if (!page.Succeeded)
        {
            return page.Error;
        }

        using var x = StsXml.Begin(r.Action, r.Info.RequestId, StsXml.IamNamespace);
        x.Open("Users");
        foreach (var user in page.Value.Items)
        {
            WriteUser(x, user, "member");
        }

        return x.Close().Truncation(page.Value.NextMarker).End();
    }

    private async Task<StsOutcome<string>> DeleteUserAsync(IamRequest r)
    {
        if (r.Require("UserName", "userName", out var name) is { } missing)
        {
            return missing;
        }

        var user = await GuardedUserAsync(r, name, AdministratorChange.DeleteUser).ConfigureAwait(false);
        if (!user.Succeeded)
        {
            return user.Error;
        }

        var deleted = await _directory.DeleteUserAsync(r.Account, user.Value.Name, r.Ct).ConfigureAwait(false);
        return deleted.Succeeded ? Empty(r) : deleted.Error;
    }

    private async Task<StsOutcome<string>> PutUserPolicyAsync(IamRequest r)
    {
        if (IamRequest.First(r.Require("UserName", "userName", out var name), r.Require("PolicyName", "policyName", out var policyName), r.Require("PolicyDocument", "policyDocument", out var document)) is { } missing)
        {
            return missing;
        }

        var user = await GuardedUserAsync(r, name, AdministratorChange.PutInlinePolicy(policyName, _policies.Parse(document, PolicyKind.Identity))).ConfigureAwait(false);
        if (!user.Succeeded)
        {
            return user.Error;
        }

        var put = await _directory.PutInlinePolicyAsync(user.Value.Id, policyName, document, r.Ct).ConfigureAwait(false);
        return put.Succeeded ? Empty(r) : put.Error;
    }

    private async Task<StsOutcome<string>> DeleteUserPolicyAsync(IamRequest r)
    {
        if (IamRequest.First(r.Require("UserName", "userName", out var name), r.Require("PolicyName", "policyName", out var policyName)) is { } missing)
        {
            return missing;
        }

        var user = await GuardedUserAsync(r, name, AdministratorChange.DeleteInlinePolicy(policyName)).ConfigureAwait(false);
        if (!user.Succeeded)
        {
            return user.Error;
        }

        var deleted = await _directory.DeleteInlinePolicyAsync(user.Value.Id, policyName, r.Ct).ConfigureAwait(false);
        return deleted.Succeeded ? Empty(r) : deleted.Error;
    }

    private async Task<StsOutcome<string>> AttachUserPolicyAsync(IamRequest r)
    {
        if (IamRequest.First(r.Require("UserName", "userName", out var name), r.Require("PolicyArn", "policyArn", out var policyArn)) is { } missing)
        {
            return missing;
        }

        // A managed policy can carry a Deny of portal:Administer, so attaching is guarded as well.
        var managed = await _policies.GetManagedPoliciesAsync([policyArn], r.Ct).ConfigureAwait(false);
        var change = managed[0] is { } policy ? AdministratorChange.AttachPolicy(policy) : AdministratorChange.DetachPolicy(policyArn);
        var user = await GuardedUserAsync(r, name, change).ConfigureAwait(false);
        if (!user.Succeeded)
        {
            return user.Error;
        }

        var attached = await _directory.AttachPolicyAsync(user.Value.Id, policyArn, r.Ct).ConfigureAwait(false);
        return attached.Succeeded ? Empty(r) : attached.Error;
    }

    private async Task<StsOutcome<string>> DetachUserPolicyAsync(IamRequest r)
    {
        if (IamRequest.First(r.Require("UserName", "userName", out var name), r.Require("PolicyArn", "policyArn", out var policyArn)) is { } missing)
        {
            return missing;
        }

        var user = await GuardedUserAsync(r, name, AdministratorChange.DetachPolicy(policyArn)).ConfigureAwait(false);
        if (!user.Succeeded)
        {
            return user.Error;
        }

        var detached = await _directory.DetachPolicyAsync(user.Value.Id, policyArn, r.Ct).ConfigureAwait(false);
        return detached.Succeeded ? Empty(r) : detached.Error;
    }

    private async Task<StsOutcome<string>> DeleteLoginProfileAsync(IamRequest r)
    {
        if (r.Require("UserName", "userName", out var name) is { } missing)
        {
            return missing;
        }

        var user = await GuardedUserAsync(r, name, AdministratorChange.DeleteLoginProfile).ConfigureAwait(false);
        if (!user.Succeeded)
        {
            return user.Error;
        }

        var deleted = await _directory.DeleteLoginProfileAsync(user.Value.Id, r.Ct).ConfigureAwait(false);
        return deleted.Succeeded ? Empty(r) : deleted.Error;
    }

    /// <summary>
    /// A named user, authorized, when <paramref name="change"/> to it leaves the portal an administrator; DeleteConflict
    /// otherwise (SECURITY-CASES 104g (5)). The guard runs after authorization so it reveals nothing to an unauthorized caller.
    /// </summary>
    private async Task<StsOutcome<UserInfo>> GuardedUserAsync(IamRequest r, string name, AdministratorChange change)
    {
        var user = await AuthorizedUserAsync(r, name).ConfigureAwait(false);
        if (!user.Succeeded)
        {
            return user;
        }

        return await _guard.CheckAsync(user.Value, change, r.Ct).ConfigureAwait(false) is { } refused ? refused : user;
    }

    // ---- access keys ----------------------------------------------------------------------------------------------

    private async Task<StsOutcome<string>> CreateAccessKeyAsync(IamRequest r)
    {
        var owner = await AuthorizedUserOrSelfAsync(r).ConfigureAwait(false);
        if (!owner.Succeeded)
        {
            return owner.Error;
        }

        var user = owner.Value.User;
        var created = await _directory.CreateAccessKeyAsync(r.Account, user?.Id, r.Ct).ConfigureAwait(false);
        if (!created.Succeeded)
        {
            return created.Error;
        }

        var key = created.Value.Key;
        using var x = StsXml.Begin(r.Action, r.Info.RequestId, StsXml.IamNamespace);
        return x.Open("AccessKey")
            .Element("UserName", user?.Name)
            .Element("AccessKeyId", key.AccessKeyId)
            .Element("Status", Status(key))
            .Element("SecretAccessKey", created.Value.SecretAccessKey)
            .Element("CreateDate", key.CreatedAt)
            .Close()
            .End();
    }

    private async Task<StsOutcome<string>> ListAccessKeysAsync(IamRequest r)
    {
        var owner = await AuthorizedUserOrSelfAsync(r).ConfigureAwait(false);
        if (!owner.Succeeded)
        {
            return owner.Error;
        }

        var user = owner.Value.User;
        var keys = await _directory.ListAccessKeysAsync(r.Account, user?.Id, r.Ct).ConfigureAwait(false);
        var page = IamPaging.Page(keys, r.P);
        if (!page.Succeeded)
        {
            return page.Error;
        }

        using var x = StsXml.Begin(r.Action, r.Info.RequestId, StsXml.IamNamespace);
        x.Open("AccessKeyMetadata");
        foreach (var key in page.Value.Items)
        {
            x.Open("member")
                .Element("UserName", user?.Name)
                .Element("AccessKeyId", key.AccessKeyId)
                .Element("Status", Status(key))
                .Element("CreateDate", key.CreatedAt)
                .Close();
        }

        return x.Close().Truncation(page.Value.NextMarker).End();
    }

    private async Task<StsOutcome<string>> UpdateAccessKeyAsync(IamRequest r)
    {
        if (IamRequest.First(r.Require("AccessKeyId", "accessKeyId", out var keyId), r.Require("Status", "status", out var status)) is { } missing)
        {
            return missing;
        }

        if (status is not ("Active" or "Inactive"))
        {
            return new StsError(StsErrorCode.ValidationError, $"1 validation error detected: Value '{status}' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive]");
        }

        var owned = await OwnedKeyAsync(r, keyId).ConfigureAwait(false);
        if (owned is not null)
        {
            return owned;
        }

        var updated = await _directory.SetAccessKeyActiveAsync(r.Account, keyId, status == "Active", r.Ct).ConfigureAwait(false);
        return updated.Succeeded ? Empty(r) : updated.Error;
    }

    private async Task<StsOutcome<string>> DeleteAccessKeyAsync(IamRequest r)
    {
        if (r.Require("AccessKeyId", "accessKeyId", out var keyId) is { } missing)
        {
            return missing;
        }

        var owned = await OwnedKeyAsync(r, keyId).ConfigureAwait(false);
        if (owned is not null)
        {
            return owned;
        }

        var deleted = await _directory.DeleteAccessKeyAsync(r.Account, keyId, r.Ct).ConfigureAwait(false);
        return deleted.Succeeded ? Empty(r) : deleted.Error;
    }

    /// <summary>
    /// Authorizes on the key's owner (UserName, or the caller) and checks the key belongs to that owner: a key of another
    /// user is NoSuchEntity, as at IAM, so a permission on one user's keys never reaches another's.
    /// </summary>
    private async Task<StsError?> OwnedKeyAsync(IamRequest r, string keyId)
    {
        var owner = await AuthorizedUserOrSelfAsync(r).ConfigureAwait(false);
        if (!owner.Succeeded)
        {
            return owner.Error;
        }

        var keys = await _directory.ListAccessKeysAsync(r.Account, owner.Value.User?.Id, r.Ct).ConfigureAwait(false);
        return keys.Any(k => k.AccessKeyId == keyId)
            ? null
            : new StsError(StsErrorCode.NoSuchEntity, $"The Access Key with id {keyId} cannot be found.");
    }

    private static string Status(AccessKeyInfo key) => key.IsActive ? "Active" : "Inactive";

    private static StsXml WriteUser(StsXml x, UserInfo user, string element)
    {
        x.Open(element)
            .Element("Path", user.Path)
            .Element("UserName", user.Name)
            .Element("UserId", user.Id)
            .Element("Arn", user.Arn)
            .Element("CreateDate", user.CreatedAt);
        WriteTags(x, user.Tags);
        return x.Close();
    }

    private static void WriteTags(StsXml x, IReadOnlyList<Tag> tags)
    {
        if (tags.Count == 0)
        {
            return;
        }

        x.Open("Tags");
        foreach (var tag in tags)
        {
            x.Open("member").Element("Key", tag.Key).Element("Value", tag.Value).Close();
        }

        x.Close();
    }
}
