using Portal.Core.Identity;

namespace Portal.Core.Policies;

/// <summary>Evaluates parsed policies against a <see cref="RequestContext"/> (STS-SPEC §7.2–§7.6).</summary>
public static class PolicyEvaluator
{
    /// <summary>
    /// Evaluates a set of policies as one: any matching Deny ⇒ <see cref="PolicyEffect.ExplicitDeny"/> (first
    /// matching Deny reported); else any matching Allow ⇒ <see cref="PolicyEffect.Allow"/> (first matching Allow);
    /// else <see cref="PolicyEffect.ImplicitDeny"/>. A statement matches when its principal (if it has one), action,
    /// resource (trust statements have none: any) and every condition match.
    /// </summary>
    public static PolicyDecision Evaluate(IEnumerable<NamedPolicy> policies, RequestContext context)
    {
        ArgumentNullException.ThrowIfNull(policies);
        ArgumentNullException.ThrowIfNull(context);
        var list = policies as IReadOnlyList<NamedPolicy> ?? policies.ToArray();
        return FindFirst(list, StatementEffect.Deny, context) ?? FindFirst(list, StatementEffect.Allow, context) ?? PolicyDecision.ImplicitDeny;
    }

    /// <summary>
    /// Applies the complete decision of STS-SPEC §7.6 to one request, in this order:
    /// <list type="number">
    /// <item>A matching Deny in any identity, resource/trust, boundary or session policy ⇒ explicit deny.</item>
    /// <item>A trust policy must itself allow the caller (never "identity OR resource" for trust) ⇒ else <c>TrustPolicyDenied</c>;
    /// cross-account requests need the resource policy's allow too ⇒ else <c>CrossAccountResourceDenied</c>.</item>
    /// <item>Same-account resource-policy allow that names the caller itself (the user, the role session ARN or the
    /// federated-user session ARN, or a Federated/Service principal) ⇒ allow; identity, boundary and session policies
    /// do not apply. A policy naming a session's role ARN or unique id does not count as naming the session.</item>
    /// <item>Identity policies must allow when there is no resource allow, when the request is cross-account (§7.6
    /// "Cross-account"), when the principal matched at account level (§7.2), or when a trust policy matched only
    /// through a wildcard (§7.7) ⇒ else <c>NoIdentityAllow</c>/<c>CrossAccountIdentityDenied</c>. The root user
    /// passes this step in its own account.</item>
    /// <item>A permissions boundary, when present, must allow ⇒ else <c>BoundaryDenied</c>.</item>
    /// <item>Sessions: when session policies were passed, one must allow (they intersect and can never add,
    /// SECURITY-CASES case 95) ⇒ else <c>SessionPolicyDenied</c>; a GetFederationToken session without one has no
    /// identity permissions ⇒ <c>FederatedSessionWithoutPolicy</c>.</item>
    /// </list>
    /// </summary>
    public static AuthorizationDecision Authorize(AuthorizationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var context = request.Context;

        var deny = FindFirst(request.IdentityPolicies, StatementEffect.Deny, context)
            ?? FindFirst(request.ResourcePolicy, StatementEffect.Deny, context)
            ?? FindFirst(request.PermissionsBoundary, StatementEffect.Deny, context)
            ?? FindFirst(request.SessionPolicies, StatementEffect.Deny, context);
        if (deny is not null)
        {
            return new AuthorizationDecision(false, PolicyEffect.ExplicitDeny, deny.DecidingStatement, AuthorizationReasons.ExplicitDeny);
        }

        var trust = request.ResourcePolicyIsTrustPolicy;
        var resourceAllow = request.ResourcePolicy is null ? null : FindBestResourceAllow(request);
        if (resourceAllow is null && trust)
        {
            return Denied(AuthorizationReasons.TrustPolicyDenied);
        }

        if (resourceAllow is null && request.IsCrossAccount)
        {
            return Denied(AuthorizationReasons.CrossAccountResourceDenied);
        }

        if (resourceAllow is not null && !request.IsCrossAccount && NamesCallerItself(resourceAllow, request))
        {
            return Allowed(resourceAllow.DecidingStatement, AuthorizationReasons.ResourcePolicyAllow);
        }

        var identityRequired = resourceAllow is null || request.IsCrossAccount
            || resourceAllow.PrincipalMatch == PrincipalMatch.Account
            || (trust && resourceAllow.PrincipalMatch == PrincipalMatch.Wildcard);
        DecidingStatement? identityStatement = null;
        if (identityRequired && !request.IsRoot)
        {
            var identityAllow = FindFirst(request.IdentityPolicies, StatementEffect.Allow, context);
            if (identityAllow is null)
            {
                return Denied(request.IsCrossAccount ? AuthorizationReasons.CrossAccountIdentityDenied : AuthorizationReasons.NoIdentityAllow);
            }

            identityStatement = identityAllow.DecidingStatement;
        }

        if (!request.IsRoot && request.PermissionsBoundary is not null
            && FindFirst(request.PermissionsBoundary, StatementEffect.Allow, context) is null)
        {
            return Denied(AuthorizationReasons.BoundaryDenied);
        }

        if (request.IsSession)
        {
            if (request.SessionPolicies.Count > 0 && FindFirst(request.SessionPolicies, StatementEffect.Allow, context) is null)
            {
                return Denied(AuthorizationReasons.SessionPolicyDenied);
            }

            if (request.SessionPolicies.Count == 0 && request.IsFederatedUserSession)
            {
                return Denied(AuthorizationReasons.FederatedSessionWithoutPolicy);
            }
        }

        if (!identityRequired)
        {
            return Allowed(resourceAllow!.DecidingStatement, AuthorizationReasons.ResourcePolicyAllow);
        }

        return Allowed(identityStatement, request.IsRoot ? AuthorizationReasons.RootAllow : AuthorizationReasons.IdentityPolicyAllow);
    }

    private static AuthorizationDecision Denied(string reason) => new(false, PolicyEffect.ImplicitDeny, null, reason);

    private static AuthorizationDecision Allowed(DecidingStatement? statement, string reason) => new(true, PolicyEffect.Allow, statement, reason);

    private static PolicyDecision? FindFirst(IReadOnlyList<NamedPolicy> policies, StatementEffect effect, RequestContext context)
    {
        for (var i = 0; i < policies.Count; i++)
        {
            var decision = FindFirst(policies[i], effect, context);
            if (decision is not null)
            {
                return decision;
            }
        }

        return null;
    }

    private static PolicyDecision? FindFirst(NamedPolicy? policy, StatementEffect effect, RequestContext context)
    {
        if (policy is null)
        {
            return null;
        }

        var statements = effect == StatementEffect.Allow ? policy.Document.AllowStatements : policy.Document.DenyStatements;
        foreach (var statement in statements)
        {
            if (statement.Matches(context, out var principalMatch, out var matchedPrincipal))
            {
                return Decide(policy, statement, principalMatch, matchedPrincipal);
            }
        }

        return null;
    }

    /// <summary>
    /// Among the resource policy's matching Allow statements, the one that asks least of the caller's own
    /// policies: naming the caller itself, then a direct name, then wildcard/account. A later statement naming
    /// the caller directly must not be hidden behind an earlier account-level one.
    /// </summary>
    private static PolicyDecision? FindBestResourceAllow(AuthorizationRequest request)
    {
        var policy = request.ResourcePolicy!;
        PolicyDecision? best = null;
        var bestRank = -1;
        foreach (var statement in policy.Document.AllowStatements)
        {
            if (!statement.Matches(request.Context, out var principalMatch, out var matchedPrincipal))
            {
                continue;
            }

            var decision = Decide(policy, statement, principalMatch, matchedPrincipal);
            if (NamesCallerItself(decision, request))
            {
                return decision;
            }

            var rank = principalMatch switch
            {
                PrincipalMatch.Direct => 3,
                PrincipalMatch.Wildcard => request.ResourcePolicyIsTrustPolicy ? 1 : 2,
                PrincipalMatch.Account => 1,
                _ => 0,
            };
            if (rank > bestRank)
            {
                best = decision;
                bestRank = rank;
            }
        }

        return best;
    }

    /// <summary>
    /// §7.6: only a policy naming the user, the role session or the federated-user session itself bypasses the
    /// caller's boundary and session policies. For a session, the role ARN, the role's unique id or the federating
    /// user's ARN name its parent, so only an STS session ARN counts.
    /// </summary>
    private static bool NamesCallerItself(PolicyDecision decision, AuthorizationRequest request)
    {
        if (decision.PrincipalMatch != PrincipalMatch.Direct)
        {
            return false;
        }

        if (!request.IsSession)
        {
            return true;
        }

        return Arn.TryParse(decision.MatchedPrincipal, out var arn) && arn.Service == "sts"
            && (arn.Resource.StartsWith("assumed-role/", StringComparison.Ordinal)
                || arn.Resource.StartsWith("federated-user/", StringComparison.Ordinal));
    }

    private static PolicyDecision Decide(NamedPolicy policy, PolicyStatement statement, PrincipalMatch principalMatch, string? matchedPrincipal) =>
        new(statement.Effect == StatementEffect.Allow ? PolicyEffect.Allow : PolicyEffect.ExplicitDeny,
            new DecidingStatement(policy.Source, statement.Index, statement.Sid), principalMatch, matchedPrincipal);
}
