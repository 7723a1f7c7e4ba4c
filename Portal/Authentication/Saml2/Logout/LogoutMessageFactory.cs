using System.Xml;
using Portal.Core.Federation.Saml;

namespace Portal.Authentication.Saml2.Logout;

/// <summary>Builds the SP's <c>samlp:LogoutRequest</c> and <c>samlp:LogoutResponse</c> (SAML Core §3.7.1, §3.7.2).</summary>
internal static class LogoutMessageFactory
{
    public const string StatusSuccess = "urn:oasis:names:tc:SAML:2.0:status:Success";

    /// <summary>A LogoutRequest naming the session's NameID exactly as the IdP issued it, and its SessionIndex.</summary>
    public static XmlDocument CreateRequest(string id, DateTimeOffset issueInstant, string destination, string spEntityId, SamlNameId nameId, string? sessionIndex, TimeSpan lifetime)
    {
        var (document, request) = AuthnRequestFactory.Envelope("LogoutRequest", id, issueInstant, destination, spEntityId);
        request.SetAttribute("NotOnOrAfter", (issueInstant + lifetime).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
        var name = document.CreateElement("saml", "NameID", Saml2Namespaces.Assertion);
        SetIfPresent(name, "NameQualifier", nameId.NameQualifier);
        SetIfPresent(name, "SPNameQualifier", nameId.SpNameQualifier);
        SetIfPresent(name, "Format", nameId.Format);
        name.InnerText = nameId.Value;
        request.AppendChild(name);
        if (sessionIndex is not null)
        {
            var index = document.CreateElement("samlp", "SessionIndex", Saml2Namespaces.Protocol);
            index.InnerText = sessionIndex;
            request.AppendChild(index);
        }

        return document;
    }

    /// <summary>A LogoutResponse to the IdP's request <paramref name="inResponseTo"/>.</summary>
    public static XmlDocument CreateResponse(string id, DateTimeOffset issueInstant, string destination, string spEntityId, string inResponseTo)
    {
        var (document, response) = AuthnRequestFactory.Envelope("LogoutResponse", id, issueInstant, destination, spEntityId);
        response.SetAttribute("InResponseTo", inResponseTo);
        var status = document.CreateElement("samlp", "Status", Saml2Namespaces.Protocol);
        var code = document.CreateElement("samlp", "StatusCode", Saml2Namespaces.Protocol);
        code.SetAttribute("Value", StatusSuccess);
        status.AppendChild(code);
        response.AppendChild(status);
        return document;
    }

    private static void SetIfPresent(XmlElement element, string name, string? value)
    {
        if (value is not null)
        {
            element.SetAttribute(name, value);
        }
    }
}
