using System.Globalization;
using Portal.Core.Iam;
using Portal.Core.Identity;
using Portal.Core.Policies;

namespace Portal.Core.Sts;

/// <summary>A role a signed-in person may assume through the portal, and what issuance will need.</summary>
/// <param name="Role">The role.</param>
/// <param name="RequiresMfa">The trust policy denies the person without MFA and allows them with it.</param>
/// <param name="NeedsSetSourceIdentity">
/// The trust policy admits the person but does not allow <c>sts:SetSourceIdentity</c>, which every portal issuance to a
/// federated person carries (STS-SPEC §7.7): issuance would be denied until an administrator adds it.
/// </param>
public sealed record RoleAccess(RoleInfo Role, bool RequiresMfa, bool NeedsSetSourceIdentity);

public sealed partial class StsEngine
{
    /// <summary>
    /// The roles whose trust policies admit a federated person, evaluated with exactly the request context
    /// <see cref="AssumeFederatedAsync"/> builds for <paramref name="action"/> (<c>sts:AssumeRoleWithSAML</c> or
    /// <c>sts:AssumeRoleWithWebIdentity</c>). Nothing is issued or audited: issuance goes through AssumeFederatedAsync.
    /// </summary>
    public async Task<IReadOnlyList<RoleAccess>> FederatedRoleAccessAsync(string action, FederatedSubject subject, RequestInfo info, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(action);
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(info);
        var now = _time.GetUtcNow();
        var result = new List<RoleAccess>();
        foreach (var listed in await _directory.ListRolesAsync(null, ct).ConfigureAwait(false))
        {
            var role = await _policies.GetRoleAsync(listed.Arn, ct).ConfigureAwait(false);
            if (role is null)
            {
                continue;
            }

            var trust = new NamedPolicy("trust policy of " + listed.Arn, role.TrustPolicy);
            bool Allows(bool mfa, string evaluated)
            {
                var ctx = FederatedTrustContext(action, subject with { MultiFactor = mfa }, listed.Arn, role.Role, info, now);
                ctx.Action = evaluated;
                return PolicyEvaluator.Evaluate([trust], ctx).Effect == PolicyEffect.Allow;
            }

            var withoutMfa = Allows(false, action);
            if (!withoutMfa && !Allows(true, action))
            {
                continue;
            }

            // Evaluate the extra action in the MFA state the person will actually present (a person without MFA who is
            // admitted only with it will sign in again, with MFA).
            var mfaForExtra = subject.MultiFactor || !withoutMfa;
            var needsSourceIdentity = subject.SourceIdentity is not null && !Allows(mfaForExtra, "sts:SetSourceIdentity");
            result.Add(new RoleAccess(role.Role, !withoutMfa, needsSourceIdentity));
        }

        return result;
    }

    /// <summary>
    /// The roles a local IAM user may assume with <c>sts:AssumeRole</c>, evaluated as <see cref="AssumeRoleAsync"/> would:
    /// the trust policy and the user's identity policies (STS-SPEC §1.1 step 4, §7.6). A role allowed only with
    /// <c>aws:MultiFactorAuthPresent</c> is reported with <see cref="RoleAccess.RequiresMfa"/>: issuance then needs the
    /// user's TOTP code in the AssumeRole request (§1.1 step 3), since a portal cookie is no MFA proof the engine can check.
    /// </summary>
    public async Task<IReadOnlyList<RoleAccess>> UserRoleAccessAsync(Caller caller, string sessionName, RequestInfo info, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentException.ThrowIfNullOrEmpty(sessionName);
        ArgumentNullException.ThrowIfNull(info);
        if (caller.Kind != CallerKind.User)
        {
            throw new ArgumentException("Only IAM users are evaluated for the portal's role list.", nameof(caller));
        }

        var now = _time.GetUtcNow();
        var result = new List<RoleAccess>();
        foreach (var listed in await _directory.ListRolesAsync(null, ct).ConfigureAwait(false))
        {
            var role = await _policies.GetRoleAsync(listed.Arn, ct).ConfigureAwait(false);
            if (role is null)
            {
                continue;
            }

            async Task<bool> AllowsAsync(bool mfa) =>
                (await UserTrustDecisionAsync(caller, role, sessionName, mfa, externalId: null, info, now, ct).ConfigureAwait(false)).Allowed;

            var withoutMfa = await AllowsAsync(false).ConfigureAwait(false);
            if (withoutMfa || await AllowsAsync(true).ConfigureAwait(false))
            {
                result.Add(new RoleAccess(role.Role, !withoutMfa, NeedsSetSourceIdentity: false));
            }
        }

        return result;
    }

    /// <summary>
    /// Simulates <c>sts:AssumeRole</c> of a role by an IAM user (administrators' "simulate assume"), with the request
    /// context AssumeRoleAsync builds; nothing is issued or audited. Null when the role does not exist.
    /// </summary>
    public async Task<AuthorizationDecision?> SimulateAssumeRoleAsync(Caller caller, string roleArn, bool multiFactor, string? externalId, RequestInfo info, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(info);
        var role = await _policies.GetRoleAsync(roleArn, ct).ConfigureAwait(false);
        return role is null
            ? null
            : await UserTrustDecisionAsync(caller, role, "simulation", multiFactor, externalId, info, _time.GetUtcNow(), ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Simulates a federated person's assumption of a role (<paramref name="subject"/>'s provider and condition keys), with
    /// the request context AssumeFederatedAsync builds, including <c>sts:SetSourceIdentity</c> when the subject carries a
    /// source identity. Returns the decision of the action and, when that allows, of the extra action. Null when the
    /// role does not exist.
    /// </summary>
    public async Task<(PolicyDecision Decision, PolicyDecision? SourceIdentity)?> SimulateFederatedAsync(string action, FederatedSubject subject, string roleArn, RequestInfo info, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(info);
        var role = await _policies.GetRoleAsync(roleArn, ct).ConfigureAwait(false);
        if (role is null)
        {
            return null;
        }

        var trust = new NamedPolicy("trust policy of " + roleArn, role.TrustPolicy);
        var ctx = FederatedTrustContext(action, subject, roleArn, role.Role, info, _time.GetUtcNow());
        var decision = PolicyEvaluator.Evaluate([trust], ctx);
        if (decision.Effect != PolicyEffect.Allow || subject.SourceIdentity is null)
        {
            return (decision, null);
        }

        ctx.Action = "sts:SetSourceIdentity";
        return (decision, PolicyEvaluator.Evaluate([trust], ctx));
    }

    /// <summary>The trust decision for an IAM user calling sts:AssumeRole, as AssumeRoleAsync evaluates it.</summary>
    private async Task<AuthorizationDecision> UserTrustDecisionAsync(Caller caller, RoleSnapshot role, string sessionName, bool multiFactor, string? externalId, RequestInfo info, DateTimeOffset now, CancellationToken ct)
    {
        var ctx = BuildContext(caller, info, AssumeRoleAction, role.Role.Arn, now);
        if (multiFactor)
        {
            ctx.Set("aws:MultiFactorAuthPresent", "true");
            ctx.Set("aws:MultiFactorAuthAge", 0.ToString(CultureInfo.InvariantCulture));
        }

        ctx.Set("sts:RoleSessionName", sessionName);
        if (!string.IsNullOrEmpty(externalId))
        {
            ctx.Set("sts:ExternalId", externalId);
        }

        foreach (var t in role.Role.Tags)
        {
            ctx.Set("aws:ResourceTag/" + t.Key, t.Value);
        }

        var trust = new NamedPolicy("trust policy of " + role.Role.Arn, role.TrustPolicy);
        return await AuthorizeAsync(caller, ctx, trust, isTrust: true, role.Role.AccountId, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// A role session name (and source identity) from a person's identity: characters outside <c>[\w+=,.@-]</c> become
    /// <c>-</c>, the result is cut to 64 and padded to 2 characters (STS-SPEC §1.0.6 pattern).
    /// </summary>
    public static string PortalSessionName(string identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var chars = identity.Select(c => c < 128 && StsPatterns.IsNameChar(c) ? c : '-').Take(64).ToArray();
        var name = new string(chars);
        return name.Length >= 2 ? name : name.PadRight(2, '-');
    }
}
