namespace Portal.Core.Policies;

/// <summary>Everything <see cref="PolicyEvaluator.Authorize"/> needs to apply the full STS-SPEC §7.6 logic to one request.</summary>
public sealed class AuthorizationRequest
{
    /// <summary>Creates a request for <paramref name="context"/>.</summary>
    public AuthorizationRequest(RequestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        Context = context;
    }

    /// <summary>Action, resource, caller and condition keys.</summary>
    public RequestContext Context { get; }

    /// <summary>Identity policies of the caller (user + groups, or the session's role); empty for unauthenticated callers.</summary>
    public IReadOnlyList<NamedPolicy> IdentityPolicies { get; init; } = [];

    /// <summary>The target's resource policy (for AssumeRole*: the role's trust policy), if any.</summary>
    public NamedPolicy? ResourcePolicy { get; init; }

    /// <summary>True when <see cref="ResourcePolicy"/> is a role trust policy, which must always allow by itself (§7.6).</summary>
    public bool ResourcePolicyIsTrustPolicy { get; init; }

    /// <summary>The caller's permissions boundary, if any.</summary>
    public NamedPolicy? PermissionsBoundary { get; init; }

    /// <summary>Session policies of the caller's session (inline + managed); empty when none were passed.</summary>
    public IReadOnlyList<NamedPolicy> SessionPolicies { get; init; } = [];

    /// <summary>True when the caller uses temporary credentials (a role or federated-user session).</summary>
    public bool IsSession { get; init; }

    /// <summary>True for GetFederationToken sessions: without a session policy they have no identity permissions (§7.6).</summary>
    public bool IsFederatedUserSession { get; init; }

    /// <summary>True for the account root user: identity-side allowed everything in its account unless explicitly denied.</summary>
    public bool IsRoot { get; init; }

    /// <summary>True when the caller's account differs from the resource's account.</summary>
    public bool IsCrossAccount { get; init; }
}
