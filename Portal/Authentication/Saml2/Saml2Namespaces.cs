namespace Portal.Authentication.Saml2;

/// <summary>SAML 2.0 namespace and binding URIs the SP writes (Core's constants are internal to Portal.Core).</summary>
internal static class Saml2Namespaces
{
    public const string Protocol = "urn:oasis:names:tc:SAML:2.0:protocol";
    public const string Assertion = "urn:oasis:names:tc:SAML:2.0:assertion";
    public const string Metadata = "urn:oasis:names:tc:SAML:2.0:metadata";
    public const string Dsig = "http://www.w3.org/2000/09/xmldsig#";
    public const string HttpRedirectBinding = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";
    public const string HttpPostBinding = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";
    public const string NameIdFormatPrefix = "urn:oasis:names:tc:SAML:2.0:nameid-format:";
    public const string EmailNameIdFormat = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress";
}
