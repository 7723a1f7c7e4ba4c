using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Portal.Core.Federation.Saml;

namespace Portal.Authentication.Saml2.Events;

/// <summary>
/// Raised when the response passed every check and the portal principal is built; the app may add claims, or reject
/// the sign-in with <see cref="RemoteAuthenticationContext{TOptions}.Fail(string)"/>.
/// </summary>
public sealed class AssertionValidatedContext : RemoteAuthenticationContext<Saml2Options>
{
    /// <summary>Creates the context.</summary>
    public AssertionValidatedContext(HttpContext context, AuthenticationScheme scheme, Saml2Options options, ClaimsPrincipal principal, AuthenticationProperties properties, SamlAssertionData assertion)
        : base(context, scheme, options, properties)
    {
        Principal = principal;
        Assertion = assertion;
    }

    /// <summary>The validated assertion (only a validated assertion ever reaches this point).</summary>
    public SamlAssertionData Assertion { get; }
}
