namespace Portal.Core.Policies;

/// <summary>The three-valued result of evaluating policies (STS-SPEC §7.6): explicit deny wins over allow, which wins over implicit deny.</summary>
public enum PolicyEffect
{
    /// <summary>A matching Allow statement and no matching Deny.</summary>
    Allow,

    /// <summary>A matching Deny statement.</summary>
    ExplicitDeny,

    /// <summary>Nothing matched.</summary>
    ImplicitDeny,
}
