using System.Xml;
using Microsoft.AspNetCore.Authentication;

namespace Portal.Authentication.Saml2.Events;

/// <summary>
/// Raised after the AuthnRequest is built and before it is sent; the app may edit the XML (e.g. add RequestedAuthnContext).
/// The request ID and IdP recorded in the state are taken after the event, so an edit cannot desynchronise them.
/// </summary>
public sealed class AuthnRequestGeneratedContext : PropertiesContext<Saml2Options>
{
    /// <summary>Creates the context.</summary>
    public AuthnRequestGeneratedContext(HttpContext context, AuthenticationScheme scheme, Saml2Options options, AuthenticationProperties properties, XmlDocument authnRequest)
        : base(context, scheme, options, properties)
    {
        AuthnRequest = authnRequest;
    }

    /// <summary>The <c>samlp:AuthnRequest</c> document.</summary>
    public XmlDocument AuthnRequest { get; }
}
