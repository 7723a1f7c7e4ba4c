namespace Portal.Core.Policies;

/// <summary>The keys of a <c>Principal</c> object (STS-SPEC §7.1).</summary>
public static class PrincipalTypes
{
    /// <summary>IAM principals and accounts.</summary>
    public const string Aws = "AWS";

    /// <summary>SAML and web-identity providers.</summary>
    public const string Federated = "Federated";

    /// <summary>AWS service principals.</summary>
    public const string Service = "Service";

    /// <summary>S3 canonical user ids (accepted by the grammar; no Portal caller has one).</summary>
    public const string CanonicalUser = "CanonicalUser";
}
