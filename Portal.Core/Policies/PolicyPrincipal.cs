namespace Portal.Core.Policies;

/// <summary>
/// The caller as a <c>Principal</c> element can name it (STS-SPEC §7.2, §4.8).
/// </summary>
/// <param name="Type"><c>"AWS"</c>, <c>"Federated"</c> or <c>"Service"</c> (see <see cref="PrincipalTypes"/>).</param>
/// <param name="Identifiers">
/// Every string that names this caller directly: for a role session the assumed-role session ARN, the
/// role ARN and the role unique id (<c>AROA…</c>); for an IAM user the user ARN and <c>AIDA…</c> id; for
/// root the root ARN; for a federated-user session its federated-user ARN (and, when resource policies
/// naming the federating user should apply, that user's ARN); for SAML/OIDC the provider ARN or name.
/// </param>
/// <param name="AccountId">The caller's account, used for account-level principals; null for Federated/Service.</param>
public sealed record PolicyPrincipal(string Type, IReadOnlyList<string> Identifiers, string? AccountId)
{
    /// <summary>An <c>"AWS"</c> principal of <paramref name="accountId"/> named by <paramref name="identifiers"/>.</summary>
    public static PolicyPrincipal Aws(string accountId, params string[] identifiers) => new(PrincipalTypes.Aws, identifiers, accountId);

    /// <summary>A <c>"Federated"</c> principal (SAML provider ARN, OIDC provider ARN or built-in provider name).</summary>
    public static PolicyPrincipal Federated(string provider) => new(PrincipalTypes.Federated, [provider], null);

    /// <summary>A <c>"Service"</c> principal such as <c>ec2.amazonaws.com</c>.</summary>
    public static PolicyPrincipal Service(string service) => new(PrincipalTypes.Service, [service], null);
}
