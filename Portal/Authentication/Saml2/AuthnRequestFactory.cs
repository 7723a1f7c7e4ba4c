using System.Globalization;
using System.Security.Cryptography;
using System.Xml;

namespace Portal.Authentication.Saml2;

/// <summary>Builds <c>samlp:AuthnRequest</c> documents (SAML Core §3.4.1, Profiles §4.1.4.1).</summary>
internal static class AuthnRequestFactory
{
    /// <summary>A fresh request ID: an NCName with 128 random bits (SAML Core §1.3.4).</summary>
    public static string NewId() => "_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public static XmlDocument Create(string id, DateTimeOffset issueInstant, string destination, string acsLocation, string spEntityId)
    {
        var document = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        var request = document.CreateElement("samlp", "AuthnRequest", Saml2Namespaces.Protocol);
        request.SetAttribute("ID", id);
        request.SetAttribute("Version", "2.0");
        request.SetAttribute("IssueInstant", issueInstant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        request.SetAttribute("Destination", destination);
        request.SetAttribute("AssertionConsumerServiceURL", acsLocation);
        request.SetAttribute("ProtocolBinding", Saml2Namespaces.HttpPostBinding);
        var issuer = document.CreateElement("saml", "Issuer", Saml2Namespaces.Assertion);
        issuer.InnerText = spEntityId;
        request.AppendChild(issuer);
        var policy = document.CreateElement("samlp", "NameIDPolicy", Saml2Namespaces.Protocol);
        policy.SetAttribute("AllowCreate", "true");
        request.AppendChild(policy);
        document.AppendChild(request);
        return document;
    }
}
