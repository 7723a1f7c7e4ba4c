namespace Portal.Core.Federation.Oidc;

/// <summary>Finds the OIDC provider an account registered for an issuer; the host implements it over the database.</summary>
public interface IOidcProviderSource
{
    /// <summary>
    /// The provider of <paramref name="accountId"/> whose issuer URL equals <paramref name="issuer"/> exactly, or null.
    /// Implementations must not contact the issuer (SECURITY-CASES case 75).
    /// </summary>
    Task<OidcProviderConfig?> FindByIssuerAsync(string accountId, string issuer, CancellationToken cancellationToken);
}
