using System.Globalization;
using System.Text.Json;
using Portal.Core.Audit;
using Portal.Core.Iam;
using Portal.Core.Identity;
using Portal.Core.Policies;
using Portal.Core.Policies.Lint;
using Portal.Core.Sts;

namespace Portal.Services.Admin;

/// <summary>
/// What the administrator role pages do: roles per account, their permission and trust policies, and "who can assume
/// this role" answered with the engine's own <see cref="PolicyEvaluator"/> (STYLE I.1: pages call this, never a DbContext).
/// Trust policies pass <see cref="TrustPolicyLinter"/> before they are saved, and every trust change is audited with the policy
/// before and after it (SECURITY-CASES 104g).
/// </summary>
public sealed class RolesAdminService(IamDirectory directory, StsEngine engine, IAuditSink audit, TimeProvider time)
{
    /// <summary>What the admin pages show next to an action when its user lost the administrator role (SECURITY-CASES 104e).</summary>
    public const string NoLongerAdministrator = "You are no longer an administrator.";

    /// <summary>The audit action of a trust-policy change made here.</summary>
    public const string UpdateTrustAuditAction = "admin:UpdateAssumeRolePolicy";

    /// <summary>The audit action of a role created here.</summary>
    public const string CreateRoleAuditAction = "admin:CreateRole";

    /// <summary>The audit action of a role's settings (description, maximum session, tags) changed here.</summary>
    public const string UpdateRoleAuditAction = "admin:UpdateRole";

    /// <summary>The audit action of a role deleted here.</summary>
    public const string DeleteRoleAuditAction = "admin:DeleteRole";

    /// <summary>The accounts roles can live in.</summary>
    public Task<IReadOnlyList<AccountInfo>> ListAccountsAsync(CancellationToken ct = default) => directory.ListAccountsAsync(ct);

    /// <summary>The roles of one account.</summary>
    public Task<IReadOnlyList<RoleInfo>> ListRolesAsync(string accountId, CancellationToken ct = default) =>
        directory.ListRolesAsync(AccountId.Parse(accountId), ct);

    /// <summary>ARNs of the account's SAML and OIDC providers, for the trust builder.</summary>
    public async Task<IReadOnlyList<string>> ListProviderArnsAsync(string accountId, CancellationToken ct = default)
    {
        // The id comes from the URL (SECURITY-CASES 104f): garbage is "nothing here", not a server error.
        if (!AccountId.TryParse(accountId, out var account))
        {
            return [];
        }

        var saml = await directory.ListProvidersAsync(account, IamDirectory.SamlProviderKind, ct).ConfigureAwait(false);
        var oidc = await directory.ListProvidersAsync(account, IamDirectory.OidcProviderKind, ct).ConfigureAwait(false);
        return saml.Concat(oidc).Select(p => p.Arn).ToList();
    }

    /// <summary>
    /// For each OIDC provider of the account, the audiences the trust builder requires (<c>&lt;provider&gt;:aud</c>): the
    /// portal's sign-in client id when sign-in is configured, else the provider's registered client ids.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> ListProviderAudiencesAsync(string accountId, CancellationToken ct = default)
    {
        var audiences = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (!AccountId.TryParse(accountId, out var account))
        {
            return audiences;
        }

        foreach (var provider in await directory.ListProvidersAsync(account, IamDirectory.OidcProviderKind, ct).ConfigureAwait(false))
        {
            var settings = Portal.Authentication.Oidc.OidcSignInSettingsCodec.Read(await directory.GetProviderSettingsAsync(account, provider.Arn, ct).ConfigureAwait(false));
            audiences[provider.Arn] = settings is { SignInEnabled: true } ? [settings.ClientId!] : provider.ClientIds;
        }

        return audiences;
    }

    /// <summary>A role with its policies; null when it does not exist.</summary>
    public async Task<RoleDetails?> GetRoleAsync(string accountId, string name, CancellationToken ct = default)
    {
        var role = AccountId.TryParse(accountId, out var account) ? await directory.FindRoleAsync(account, name, ct).ConfigureAwait(false) : null;
        if (role is null)
        {
            return null;
        }

        var inline = await directory.ListInlinePoliciesAsync(role.Id, ct).ConfigureAwait(false);
        var attached = await directory.ListAttachedPoliciesAsync(role.Id, ct).ConfigureAwait(false);
        return new RoleDetails(role, inline, attached);
    }

    /// <summary>
    /// Creates a role from the form and a trust policy, which must pass the trust-policy linter. <paramref name="actor"/>
    /// (as for every change here) is the administrator <see cref="AuditActor.RequireAdministratorAsync"/> returned.
    /// </summary>
    public async Task<StsOutcome<RoleInfo>> CreateRoleAsync(
        string actor, string accountId, RoleInput input, string trustPolicy, HighRiskApproval? approval = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var created = TrustPolicyLinter.Check(trustPolicy) is { } lint
            ? lint
            : Unconfirmed(null, trustPolicy, approval) is { } unconfirmed
            ? unconfirmed
            : await directory.CreateRoleAsync(
                AccountId.Parse(accountId), input.Name, trustPolicy, null, Blank(input.Description), input.MaxSessionDuration, input.ParsedTags(), ct).ConfigureAwait(false);
        await AuditTrustAsync(actor, CreateRoleAuditAction, created, created.Value?.Arn ?? input.Name, null, trustPolicy, ct).ConfigureAwait(false);
        return created;
    }

    /// <summary>Updates description, maximum session duration and tags (tags absent from the form are removed).</summary>
    public async Task<StsOutcome<RoleInfo>> UpdateRoleAsync(string actor, string accountId, string name, RoleInput input, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var account = AccountId.Parse(accountId);
        var before = await directory.FindRoleAsync(account, name, ct).ConfigureAwait(false);
        var updated = await UpdateRoleSettingsAsync(account, name, input, ct).ConfigureAwait(false);
        await AuditAsync(actor, UpdateRoleAuditAction, updated.Value?.Arn ?? before?.Arn ?? name, updated.Error, Settings(before), Settings(updated.Value), ct).ConfigureAwait(false);
        return updated;
    }

    private async Task<StsOutcome<RoleInfo>> UpdateRoleSettingsAsync(AccountId account, string name, RoleInput input, CancellationToken ct)
    {
        var updated = await directory.UpdateRoleAsync(account, name, input.Description ?? string.Empty, input.MaxSessionDuration, ct).ConfigureAwait(false);
        if (!updated.Succeeded)
        {
            return updated;
        }

        var tags = input.ParsedTags();
        var removed = updated.Value.Tags.Select(t => t.Key).Where(k => !tags.Any(t => string.Equals(t.Key, k, StringComparison.OrdinalIgnoreCase))).ToList();
        if (removed.Count > 0)
        {
            var untagged = await directory.UntagRoleAsync(account, name, removed, ct).ConfigureAwait(false);
            if (!untagged.Succeeded)
            {
                return untagged;
            }
        }

        return tags.Count > 0 ? await directory.TagRoleAsync(account, name, tags, ct).ConfigureAwait(false) : await FindAsync(account, name, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Replaces the trust policy after the linter passes it; the failure message is meant for display next to the editor.
    /// Audited with the policy before and after, refused attempts included. A high-risk change
    /// (<see cref="HighRiskConfirmation.IsHighRiskTrustChange"/>) needs a fresh <paramref name="approval"/> (SECURITY-CASES 104g).
    /// </summary>
    public async Task<StsOutcome<RoleInfo>> UpdateTrustPolicyAsync(
        string actor, string accountId, string name, string trustPolicy, HighRiskApproval? approval = null, CancellationToken ct = default)
    {
        var account = AccountId.Parse(accountId);
        var before = (await directory.FindRoleAsync(account, name, ct).ConfigureAwait(false))?.TrustPolicy;
        var updated = TrustPolicyLinter.Check(trustPolicy) is { } lint
            ? lint
            : Unconfirmed(before, trustPolicy, approval) is { } unconfirmed
            ? unconfirmed
            : await directory.UpdateAssumeRolePolicyAsync(account, name, trustPolicy, ct).ConfigureAwait(false);
        await AuditTrustAsync(actor, UpdateTrustAuditAction, updated, updated.Value?.Arn ?? name, before, trustPolicy, ct).ConfigureAwait(false);
        return updated;
    }

    /// <summary>Deletes a role (its inline policies and attachments go with it).</summary>
    public async Task<StsOutcome<bool>> DeleteRoleAsync(string actor, string accountId, string name, CancellationToken ct = default)
    {
        var account = AccountId.Parse(accountId);
        var role = await directory.FindRoleAsync(account, name, ct).ConfigureAwait(false);
        var deleted = await DeleteRoleAndPoliciesAsync(account, role, name, ct).ConfigureAwait(false);
        await AuditAsync(actor, DeleteRoleAuditAction, role?.Arn ?? name, deleted.Error, role?.TrustPolicy, null, ct).ConfigureAwait(false);
        return deleted;
    }

    private async Task<StsOutcome<bool>> DeleteRoleAndPoliciesAsync(AccountId account, RoleInfo? role, string name, CancellationToken ct)
    {
        if (role is not null)
        {
            // IAM refuses DeleteRole while policies remain (DeleteConflict); the confirmation dialog already said they go too.
            foreach (var p in await directory.ListInlinePoliciesAsync(role.Id, ct).ConfigureAwait(false))
            {
                await directory.DeleteInlinePolicyAsync(role.Id, p.Name, ct).ConfigureAwait(false);
            }

            foreach (var p in await directory.ListAttachedPoliciesAsync(role.Id, ct).ConfigureAwait(false))
            {
                await directory.DetachPolicyAsync(role.Id, p.Arn, ct).ConfigureAwait(false);
            }
        }

        return await directory.DeleteRoleAsync(account, name, ct).ConfigureAwait(false);
    }

    /// <summary>Adds or replaces an inline permission policy of a role; audited with the document before and after.</summary>
    public async Task<StsOutcome<InlinePolicyInfo>> PutInlinePolicyAsync(string actor, string roleId, string policyName, string document, CancellationToken ct = default)
    {
        var before = await InlineDocumentAsync(roleId, policyName, ct).ConfigureAwait(false);
        var put = await directory.PutInlinePolicyAsync(roleId, policyName, document, ct).ConfigureAwait(false);
        await AuditAsync(actor, "admin:PutRolePolicy", roleId + "/" + policyName, put.Error, before, document, ct).ConfigureAwait(false);
        return put;
    }

    /// <summary>Removes an inline permission policy; audited with the document it removed.</summary>
    public async Task<StsOutcome<bool>> DeleteInlinePolicyAsync(string actor, string roleId, string policyName, CancellationToken ct = default)
    {
        var before = await InlineDocumentAsync(roleId, policyName, ct).ConfigureAwait(false);
        var deleted = await directory.DeleteInlinePolicyAsync(roleId, policyName, ct).ConfigureAwait(false);
        await AuditAsync(actor, "admin:DeleteRolePolicy", roleId + "/" + policyName, deleted.Error, before, null, ct).ConfigureAwait(false);
        return deleted;
    }

    /// <summary>Attaches a managed policy by ARN.</summary>
    public async Task<StsOutcome<bool>> AttachPolicyAsync(string actor, string roleId, string policyArn, CancellationToken ct = default)
    {
        var attached = await directory.AttachPolicyAsync(roleId, policyArn.Trim(), ct).ConfigureAwait(false);
        await AuditAsync(actor, "admin:AttachRolePolicy", roleId, attached.Error, null, policyArn.Trim(), ct).ConfigureAwait(false);
        return attached;
    }

    /// <summary>Detaches a managed policy.</summary>
    public async Task<StsOutcome<bool>> DetachPolicyAsync(string actor, string roleId, string policyArn, CancellationToken ct = default)
    {
        var detached = await directory.DetachPolicyAsync(roleId, policyArn, ct).ConfigureAwait(false);
        await AuditAsync(actor, "admin:DetachRolePolicy", roleId, detached.Error, policyArn, null, ct).ConfigureAwait(false);
        return detached;
    }

    /// <summary>Creates a customer-managed policy in the account.</summary>
    public async Task<StsOutcome<ManagedPolicyInfo>> CreateManagedPolicyAsync(string actor, string accountId, ManagedPolicyInput input, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var created = await directory.CreateManagedPolicyAsync(AccountId.Parse(accountId), input.Name, input.Document, null, Blank(input.Description), ct).ConfigureAwait(false);
        await AuditAsync(actor, "admin:CreatePolicy", created.Value?.Arn ?? input.Name, created.Error, null, input.Document, ct).ConfigureAwait(false);
        return created;
    }

    /// <summary>
    /// The IAM users (of every account) whose identity policies and the role's trust policy allow sts:AssumeRole, marking
    /// those who need MFA first. Users needing an ExternalId are not listed: only they know it.
    /// </summary>
    public async Task<IReadOnlyList<AssumeCandidate>> WhoCanAssumeAsync(RoleInfo role, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(role);
        var result = new List<AssumeCandidate>();
        foreach (var account in await directory.ListAccountsAsync(ct).ConfigureAwait(false))
        {
            foreach (var user in await directory.ListUsersAsync(AccountId.Parse(account.Id), ct).ConfigureAwait(false))
            {
                if ((await SimulateUserAsync(role, user, multiFactor: false, externalId: null, ct).ConfigureAwait(false)).Allowed)
                {
                    result.Add(new AssumeCandidate(user.Arn, NeedsMfa: false));
                }
                else if ((await SimulateUserAsync(role, user, multiFactor: true, externalId: null, ct).ConfigureAwait(false)).Allowed)
                {
                    result.Add(new AssumeCandidate(user.Arn, NeedsMfa: true));
                }
            }
        }

        return result;
    }

    /// <summary>Simulates sts:AssumeRole of <paramref name="role"/> by an IAM user given by ARN.</summary>
    public async Task<AssumeSimulation> SimulateUserAsync(RoleInfo role, string userArn, bool multiFactor, string? externalId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(role);
        if (!Arn.TryParse(userArn?.Trim(), out var arn) || !AccountId.TryParse(arn.Account, out var account))
        {
            return new AssumeSimulation(false, "Enter an IAM user ARN such as arn:aws:iam::111122223333:user/alice.", null);
        }

        var name = arn.Resource[(arn.Resource.LastIndexOf('/') + 1)..];
        var user = await directory.FindUserAsync(account, name, ct).ConfigureAwait(false);
        return user is null
            ? new AssumeSimulation(false, $"There is no IAM user {userArn}.", null)
            : await SimulateUserAsync(role, user, multiFactor, externalId, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Simulates a federated sign-in to <paramref name="role"/> through a provider with the typed condition keys (e.g.
    /// <c>portal:groups</c>, <c>saml:sub</c>), as <see cref="StsEngine.AssumeFederatedAsync"/> evaluates it.
    /// </summary>
    public async Task<AssumeSimulation> SimulateFederatedAsync(
        RoleInfo role, string providerArn, IReadOnlyDictionary<string, IReadOnlyList<string>> keys, bool multiFactor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(role);
        ArgumentNullException.ThrowIfNull(keys);
        var action = providerArn.Contains(":saml-provider/", StringComparison.Ordinal) ? "sts:AssumeRoleWithSAML" : "sts:AssumeRoleWithWebIdentity";

        // The portal sets SourceIdentity on every issuance, so sts:SetSourceIdentity must be allowed as well (STS-SPEC §7.7).
        var subject = new StsEngine.FederatedSubject(providerArn, "simulation", "simulation", [], [], "simulation", multiFactor, keys, null, null);
        var simulated = await engine.SimulateFederatedAsync(action, subject, role.Arn, new RequestInfo(), ct).ConfigureAwait(false);
        if (simulated is not { } result)
        {
            return new AssumeSimulation(false, "The role no longer exists.", null);
        }

        var (decision, extra) = result;
        if (decision.Effect == PolicyEffect.Allow && extra is { Effect: not PolicyEffect.Allow })
        {
            return new AssumeSimulation(false, "Denied: the trust policy allows " + action + " but not sts:SetSourceIdentity, which the portal needs.", Describe(extra.DecidingStatement));
        }

        return decision.Effect switch
        {
            PolicyEffect.Allow => new AssumeSimulation(true, "Allowed by the trust policy.", Describe(decision.DecidingStatement)),
            PolicyEffect.ExplicitDeny => new AssumeSimulation(false, "Denied explicitly by the trust policy.", Describe(decision.DecidingStatement)),
            _ => new AssumeSimulation(false, "Denied: no trust statement allows this provider with these claims.", null),
        };
    }

    /// <summary>The trust policy's identity-provider statements in words (one line per statement).</summary>
    public static IReadOnlyList<string> DescribeFederatedTrust(string trustPolicy)
    {
        ArgumentNullException.ThrowIfNull(trustPolicy);
        var lines = new List<string>();
        try
        {
            using var doc = JsonDocument.Parse(trustPolicy);
            if (!doc.RootElement.TryGetProperty("Statement", out var statements))
            {
                return lines;
            }

            var list = statements.ValueKind == JsonValueKind.Array ? statements.EnumerateArray().ToList() : [statements];
            foreach (var s in list)
            {
                if (s.TryGetProperty("Principal", out var p) && p.ValueKind == JsonValueKind.Object && p.TryGetProperty("Federated", out var f))
                {
                    lines.Add(DescribeStatement(s, string.Join(" or ", Strings(f))));
                }
            }
        }
        catch (JsonException)
        {
            // An unparseable policy was rejected at save time; there is nothing to describe.
        }

        return lines;
    }

    private async Task<AssumeSimulation> SimulateUserAsync(RoleInfo role, UserInfo user, bool multiFactor, string? externalId, CancellationToken ct)
    {
        // Exactly the evaluation StsEngine.AssumeRoleAsync performs for this user (one engine, no second copy of the rules).
        var decision = await engine.SimulateAssumeRoleAsync(Caller.ForUser(user, null), role.Arn, multiFactor, externalId, new RequestInfo(), ct).ConfigureAwait(false);
        if (decision is null)
        {
            return new AssumeSimulation(false, "The role no longer exists.", null);
        }

        var explanation = decision.Allowed ? "Allowed." : "Denied: " + decision.Reason + ".";
        return new AssumeSimulation(decision.Allowed, explanation, Describe(decision.DecidingStatement));
    }

    private static string DescribeStatement(JsonElement s, string provider)
    {
        var effect = s.TryGetProperty("Effect", out var e) ? e.GetString() : "Allow";
        var who = string.Equals(effect, "Deny", StringComparison.Ordinal) ? "Denies" : "Allows";
        var text = $"{who} people signed in through {provider}";
        if (!s.TryGetProperty("Condition", out var condition) || condition.ValueKind != JsonValueKind.Object)
        {
            return text + ", with no further condition.";
        }

        var parts = new List<string>();
        foreach (var op in condition.EnumerateObject())
        {
            foreach (var key in op.Value.EnumerateObject())
            {
                parts.Add(DescribeCondition(op.Name, key.Name, Strings(key.Value)));
            }
        }

        return text + " when " + string.Join(" and ", parts) + ".";
    }

    private static string DescribeCondition(string op, string key, IReadOnlyList<string> values)
    {
        var quoted = string.Join(" or ", values.Select(v => "\"" + v + "\""));
        return (op, key) switch
        {
            ("Bool", "aws:MultiFactorAuthPresent") => values.Contains("true") ? "they signed in with MFA" : "they signed in without MFA",
            ("ForAnyValue:StringEquals", RolesTrustBuilder.GroupsKey) => "they are in group " + quoted,
            ("StringEquals", _) => $"{key} is {quoted}",
            ("StringLike", _) => $"{key} matches {quoted}",
            _ => string.Create(CultureInfo.InvariantCulture, $"{op} {key} {quoted}"),
        };
    }

    private static List<string> Strings(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Array => e.EnumerateArray().Select(v => v.ToString()).ToList(),
        _ => [e.ToString()],
    };

    private static string? Describe(DecidingStatement? s) =>
        s is null ? null : string.Create(CultureInfo.InvariantCulture, $"{s.PolicySource}, statement #{s.StatementIndex + 1}{(s.Sid is null ? string.Empty : " (Sid " + s.Sid + ")")}");

    private Task AuditTrustAsync(string actor, string action, StsOutcome<RoleInfo> outcome, string resource, string? before, string after, CancellationToken ct) =>
        AuditAsync(actor, action, resource, outcome.Error, before, after, ct);

    private Task AuditAsync(string actor, string action, string resource, StsError? error, string? before, string? after, CancellationToken ct) =>
        audit.WriteAsync(AuditActor.ChangeRecord(time, actor, action, resource, error, before, after), ct);

    private async Task<string?> InlineDocumentAsync(string ownerId, string policyName, CancellationToken ct) =>
        (await directory.ListInlinePoliciesAsync(ownerId, ct).ConfigureAwait(false)).FirstOrDefault(p => string.Equals(p.Name, policyName, StringComparison.Ordinal))?.Document;

    private static string? Settings(RoleInfo? role) =>
        role is null ? null : string.Create(CultureInfo.InvariantCulture, $"MaxSessionDuration={role.MaxSessionDuration}; Description={role.Description}; Tags={string.Join(",", role.Tags.Select(t => t.Key + "=" + t.Value))}");

    /// <summary>The refusal of a high-risk trust change without a fresh approval; null when it may go ahead.</summary>
    private StsError? Unconfirmed(string? before, string after, HighRiskApproval? approval) =>
        HighRiskConfirmation.IsHighRiskTrustChange(before, after) ? HighRiskConfirmation.Refusal(approval, time) : null;

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private async Task<StsOutcome<RoleInfo>> FindAsync(AccountId account, string name, CancellationToken ct) =>
        await directory.FindRoleAsync(account, name, ct).ConfigureAwait(false) is { } role
            ? role
            : new StsError(StsErrorCode.NoSuchEntity, $"The role with name {name} cannot be found.");
}
