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

            var trust = new NamedPolicy("trust policy of " + listed.Arn, role.TrustPolicy);
            async Task<bool> AllowsAsync(bool mfa)
            {
                var ctx = BuildContext(caller, info, AssumeRoleAction, listed.Arn, now);
                if (mfa)
                {
                    ctx.Set("aws:MultiFactorAuthPresent", "true");
                    ctx.Set("aws:MultiFactorAuthAge", 0.ToString(CultureInfo.InvariantCulture));
                }

                ctx.Set("sts:RoleSessionName", sessionName);
                foreach (var t in role.Role.Tags)
                {
                    ctx.Set("aws:ResourceTag/" + t.Key, t.Value);
                }

                var decision = await AuthorizeAsync(caller, ctx, trust, isTrust: true, role.Role.AccountId, ct).ConfigureAwait(false);
                return decision.Allowed;
            }

            var withoutMfa = await AllowsAsync(false).ConfigureAwait(false);
            if (withoutMfa || await AllowsAsync(true).ConfigureAwait(false))
            {
                result.Add(new RoleAccess(role.Role, !withoutMfa, NeedsSetSourceIdentity: false));
            }
        }

        return result;
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
