using Portal.Core.Credentials;
using Portal.Core.Policies;

namespace Portal.Core.Sts;

public sealed partial class StsEngine
{
    /// <summary>The policies that bound a caller's own permissions (identity side of STS-SPEC §7.6).</summary>
    private sealed record CallerPolicies(IReadOnlyList<NamedPolicy> Identity, IReadOnlyList<NamedPolicy> Session, bool IsRoot, bool IsSession, bool IsFederatedUser);

    private async Task<CallerPolicies> LoadCallerPoliciesAsync(Caller caller, CancellationToken ct)
    {
        switch (caller.Kind)
        {
            case CallerKind.Root:
                return new CallerPolicies([], [], IsRoot: true, IsSession: false, IsFederatedUser: false);
            case CallerKind.User:
                return new CallerPolicies(await _policies.GetUserPoliciesAsync(caller.UserId!, caller.UserName!, ct).ConfigureAwait(false), [], false, false, false);
        }

        var s = caller.Session!;
        var sessionPolicies = new List<NamedPolicy>();
        if (s.InlineSessionPolicy is not null && _policies.Parse(s.InlineSessionPolicy, PolicyKind.Session) is { } inline)
        {
            sessionPolicies.Add(new NamedPolicy("session policy", inline));
        }

        if (s.SessionPolicyArns.Count > 0)
        {
            // Note: a managed session policy deleted after issuance simply no longer allows anything.
            foreach (var p in await _policies.GetManagedPoliciesAsync(s.SessionPolicyArns, ct).ConfigureAwait(false))
            {
                if (p is not null)
                {
                    sessionPolicies.Add(p);
                }
            }
        }

        var hasSessionPolicy = s.InlineSessionPolicy is not null || s.SessionPolicyArns.Count > 0;
        switch (s.Kind)
        {
            case SessionKind.AssumedRole:
                var role = await _policies.GetRoleAsync(s.SourcePrincipalArn, ct).ConfigureAwait(false);

                // A deleted (or re-created) role grants its old sessions nothing (STS-SPEC §7.2: roles are matched by unique id).
                var rolePolicies = role is not null && role.Role.Id == s.SourcePrincipalId ? role.IdentityPolicies : [];
                return new CallerPolicies(rolePolicies, hasSessionPolicy ? sessionPolicies : [], false, true, false);
            case SessionKind.FederatedUser:
                var userPolicies = await SourceUserPoliciesAsync(s, ct).ConfigureAwait(false);
                return new CallerPolicies(userPolicies, sessionPolicies, IsRoot: false, IsSession: true, IsFederatedUser: true);
            default:
                if (s.SourcePrincipalArn.EndsWith(":root", StringComparison.Ordinal))
                {
                    return new CallerPolicies([], [], IsRoot: true, IsSession: true, IsFederatedUser: false);
                }

                return new CallerPolicies(await SourceUserPoliciesAsync(s, ct).ConfigureAwait(false), [], false, true, false);
        }
    }

    private async Task<IReadOnlyList<NamedPolicy>> SourceUserPoliciesAsync(SessionClaims s, CancellationToken ct)
    {
        if (s.SourcePrincipalArn.EndsWith(":root", StringComparison.Ordinal))
        {
            // A root-issued federation token is bounded only by its session policy: grant through an allow-all identity set.
            return [new NamedPolicy("root of " + s.AccountId, RootPolicy)];
        }

        var user = await _directory.FindUserByIdAsync(s.SourcePrincipalId, ct).ConfigureAwait(false);
        return user is null ? [] : await _policies.GetUserPoliciesAsync(user.Id, user.Name, ct).ConfigureAwait(false);
    }

    private static readonly PolicyDocument RootPolicy =
        PolicyDocument.Parse("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""", PolicyKind.Identity).Document!;

    /// <summary>Authorizes a caller for an action on a resource, with an optional resource (or trust) policy.</summary>
    private async Task<AuthorizationDecision> AuthorizeAsync(Caller caller, RequestContext ctx, NamedPolicy? resourcePolicy, bool isTrust, string resourceAccount, CancellationToken ct)
    {
        var policies = await LoadCallerPoliciesAsync(caller, ct).ConfigureAwait(false);
        return PolicyEvaluator.Authorize(new AuthorizationRequest(ctx)
        {
            IdentityPolicies = policies.Identity,
            SessionPolicies = policies.Session,
            ResourcePolicy = resourcePolicy,
            ResourcePolicyIsTrustPolicy = isTrust,
            IsSession = policies.IsSession,
            IsFederatedUserSession = policies.IsFederatedUser,
            IsRoot = policies.IsRoot,
            IsCrossAccount = !string.Equals(caller.AccountId, resourceAccount, StringComparison.Ordinal),
        });
    }

    /// <summary>The standard denial message, with an encoded authorization message the caller can decode if allowed.</summary>
    private string DeniedMessage(Caller caller, RequestContext ctx, AuthorizationDecision decision, bool encode = true)
    {
        var plain = $"User: {caller.Arn} is not authorized to perform: {ctx.Action} on resource: {ctx.Resource}";
        if (!encode)
        {
            // AssumeRole denials keep AWS's exact wording, which tools match on.
            return plain;
        }

        var encoded = _messages.Encode(
            false,
            decision.Effect == PolicyEffect.ExplicitDeny,
            decision.DecidingStatement?.ToString(),
            PrincipalIdOf(caller),
            caller.Arn,
            ctx.Action,
            ctx.Resource,
            ctx.Keys.Select(k => new KeyValuePair<string, IReadOnlyList<string>>(k, ctx.TryGet(k, out var v) ? v : [])));
        return $"{plain} Encoded authorization failure message: {encoded}";
    }

    internal static string PrincipalIdOf(Caller caller) => caller.Kind switch
    {
        CallerKind.Root => caller.AccountId,
        CallerKind.User => caller.UserId!,
        _ => caller.Session!.PrincipalId,
    };
}
