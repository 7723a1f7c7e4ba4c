namespace Portal.Core.Policies;

/// <summary>How the <c>Principal</c> of a resource or trust policy statement matched the caller (STS-SPEC §7.2, §7.6).</summary>
public enum PrincipalMatch
{
    /// <summary>Not matched, or the statement has no Principal (identity and session policies).</summary>
    None,

    /// <summary>The caller is named by one of its identifiers (ARN or unique id, or provider/service name).</summary>
    Direct,

    /// <summary>The caller's account is named (<c>"123456789012"</c> or <c>arn:aws:iam::123456789012:root</c>); its identity policies must also allow.</summary>
    Account,

    /// <summary><c>"*"</c>, <c>{"AWS":"*"}</c>, or a NotPrincipal that does not list the caller.</summary>
    Wildcard,
}
