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
        var (document, request) = Envelope("AuthnRequest", id, issueInstant, destination, spEntityId);
        request.SetAttribute("AssertionConsumerServiceURL", acsLocation);
        request.SetAttribute("ProtocolBinding", Saml2Namespaces.HttpPostBinding);
        var policy = document.CreateElement("samlp", "NameIDPolicy", Saml2Namespaces.Protocol);
        policy.SetAttribute("AllowCreate", "true");
        request.AppendChild(policy);
        return document;
    }

    /// <summary>A protocol message with the attributes and Issuer every SP message carries (SAML Core §3.2.1).</summary>
    public static (XmlDocument Document, XmlElement Root) Envelope(string localName, string id, DateTimeOffset issueInstant, string destination, string spEntityId)
    {
        var document = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        var root = document.CreateElement("samlp", localName, Saml2Namespaces.Protocol);
        root.SetAttribute("ID", id);
        root.SetAttribute("Version", "2.0");
        root.SetAttribute("IssueInstant", issueInstant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        root.SetAttribute("Destination", destination);
        var issuer = document.CreateElement("saml", "Issuer", Saml2Namespaces.Assertion);
        issuer.InnerText = spEntityId;
        root.AppendChild(issuer);
        document.AppendChild(root);
        return (document, root);
    }
}
