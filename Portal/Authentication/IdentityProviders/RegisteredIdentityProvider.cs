namespace Portal.Authentication.IdentityProviders;

/// <summary>An identity provider people can sign in with, as the sign-in chooser and the IdP handlers see it.</summary>
/// <param name="Arn">The provider's ARN (saml-provider/NAME or oidc-provider/HOST).</param>
/// <param name="AccountId">The owning account.</param>
/// <param name="Kind">"SAML" or "OIDC".</param>
/// <param name="Name">The SAML provider name, or the OIDC issuer URL.</param>
/// <param name="DisplayName">The button label: the <c>displayName</c> setting, else the name (SAML) or host (OIDC).</param>
/// <param name="Scheme">The authentication scheme the IdP handler registers for it (<see cref="IdentityProviderRegistry.SchemeFor"/>).</param>
public sealed record RegisteredIdentityProvider(string Arn, string AccountId, string Kind, string Name, string DisplayName, string Scheme);
