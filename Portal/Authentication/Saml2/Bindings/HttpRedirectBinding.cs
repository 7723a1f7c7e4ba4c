using System.Security.Cryptography.X509Certificates;
using Portal.Core.Federation.Saml;

namespace Portal.Authentication.Saml2.Bindings;

/// <summary>
/// The HTTP-Redirect binding (SAML Bindings §3.4) as URLs: encoding and query signatures are Core's
/// <see cref="SamlRedirectBinding"/>, shared by AuthnRequest and Single Logout messages.
/// </summary>
public static class HttpRedirectBinding
{
    /// <summary>The only signature algorithm the SP uses (SECURITY-CASES 16, 58).</summary>
    public const string RsaSha256 = SamlRedirectBinding.RsaSha256;

    /// <summary>Cap on an inflated message (SECURITY-CASES 19: a compressed bomb must stop early).</summary>
    public const int DefaultMaxInflatedBytes = SamlRedirectBinding.DefaultMaxInflatedBytes;

    /// <summary>
    /// The redirect URL carrying <paramref name="messageXml"/> as <c>SAMLRequest</c>. With a key, the query is signed over
    /// the exact encoded octets <c>SAMLRequest=…&amp;RelayState=…&amp;SigAlg=…</c> (SAML Bindings §3.4.4.1).
    /// </summary>
    public static string BuildRequestUrl(string destination, string messageXml, string? relayState, X509Certificate2? signingCertificate) =>
        BuildUrl(destination, SamlRedirectBinding.RequestParameter, messageXml, relayState, signingCertificate);

    /// <summary>The redirect URL carrying <paramref name="messageXml"/> as <c>SAMLResponse</c>, signed as <see cref="BuildRequestUrl"/>.</summary>
    public static string BuildResponseUrl(string destination, string messageXml, string? relayState, X509Certificate2? signingCertificate) =>
        BuildUrl(destination, SamlRedirectBinding.ResponseParameter, messageXml, relayState, signingCertificate);

    /// <summary>Raw DEFLATE (RFC 1951, no zlib header) then base64, as §3.4.4.1 requires.</summary>
    public static string Deflate(string xml) => SamlRedirectBinding.Deflate(xml);

    /// <summary>Inflates a base64 DEFLATE payload; null when it is not valid or grows beyond <paramref name="maxBytes"/>.</summary>
    public static string? Inflate(string base64, int maxBytes = DefaultMaxInflatedBytes) => SamlRedirectBinding.Inflate(base64, maxBytes);

    private static string BuildUrl(string destination, string parameter, string messageXml, string? relayState, X509Certificate2? signingCertificate)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var query = SamlRedirectBinding.EncodeQuery(parameter, messageXml, relayState, signingCertificate);
        return destination + (destination.Contains('?', StringComparison.Ordinal) ? "&" : "?") + query;
    }
}
