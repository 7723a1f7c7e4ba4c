namespace Portal.Core.Policies;

/// <summary>The values of <see cref="AuthorizationDecision.Reason"/>.</summary>
public static class AuthorizationReasons
{
    /// <summary>A Deny statement in some policy matched.</summary>
    public const string ExplicitDeny = "ExplicitDeny";

    /// <summary>The trust policy does not allow the caller (trust policies must always allow, §7.6).</summary>
    public const string TrustPolicyDenied = "TrustPolicyDenied";

    /// <summary>Cross-account request whose resource policy does not allow the caller.</summary>
    public const string CrossAccountResourceDenied = "CrossAccountResourceDenied";

    /// <summary>Cross-account request whose caller-side identity policies do not allow it.</summary>
    public const string CrossAccountIdentityDenied = "CrossAccountIdentityDenied";

    /// <summary>No identity policy allows (and no resource policy allows by itself).</summary>
    public const string NoIdentityAllow = "NoIdentityAllow";

    /// <summary>The permissions boundary does not allow.</summary>
    public const string BoundaryDenied = "BoundaryDenied";

    /// <summary>Session policies were passed and none allows (they can only narrow, SECURITY-CASES case 95).</summary>
    public const string SessionPolicyDenied = "SessionPolicyDenied";

    /// <summary>A GetFederationToken session without a session policy has no identity permissions.</summary>
    public const string FederatedSessionWithoutPolicy = "FederatedSessionWithoutPolicy";

    /// <summary>Allowed through identity policies (intersected with boundary and session policies).</summary>
    public const string IdentityPolicyAllow = "IdentityPolicyAllow";

    /// <summary>Allowed through a resource (or trust) policy.</summary>
    public const string ResourcePolicyAllow = "ResourcePolicyAllow";

    /// <summary>Allowed because the caller is the root user of the account.</summary>
    public const string RootAllow = "RootAllow";
}
