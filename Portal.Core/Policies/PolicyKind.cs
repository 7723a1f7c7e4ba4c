namespace Portal.Core.Policies;

/// <summary>Where a policy document is attached; decides which elements it must and must not contain (STS-SPEC §7.1).</summary>
public enum PolicyKind
{
    /// <summary>Identity-based policy of a user, group or role: Resource required, no Principal, no Id.</summary>
    Identity,

    /// <summary>Session policy passed to AssumeRole*/GetFederationToken: Resource required, no Principal.</summary>
    Session,

    /// <summary>Role trust policy: Principal required, NotPrincipal forbidden, Resource optional.</summary>
    Trust,

    /// <summary>Resource-based policy: Principal or NotPrincipal required.</summary>
    Resource,
}
