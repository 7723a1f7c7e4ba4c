using Portal.Core.Sts;

namespace Portal.Core.Federation;

/// <summary>The SAML validator in effect while no SAML sign-in is configured: every assertion is refused.</summary>
internal sealed class NoSamlProviders : ISamlAssertionValidator
{
    public Task<StsOutcome<ValidatedSamlAssertion>> ValidateForStsAsync(string base64Response, string principalArn, CancellationToken cancellationToken) =>
        Task.FromResult(StsOutcome<ValidatedSamlAssertion>.Failure(StsErrorCode.InvalidIdentityToken, $"No SAML provider {principalArn} is configured to validate assertions."));
}

/// <summary>The web-identity validator in effect while no OIDC sign-in is configured: every token is refused.</summary>
internal sealed class NoOidcProviders : IWebIdentityTokenValidator
{
    public Task<StsOutcome<ValidatedWebIdentityToken>> ValidateAsync(string token, string accountId, CancellationToken cancellationToken) =>
        Task.FromResult(StsOutcome<ValidatedWebIdentityToken>.Failure(StsErrorCode.InvalidIdentityToken, $"No OpenIDConnect provider found in account {accountId}."));
}
