using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Xml;

namespace Portal.Authentication.Saml2.Metadata;

/// <summary>Writes the SP's SAML metadata (SAML Metadata §2.4.4): entityID, ACS, Single Logout, signing key, NameID formats.</summary>
public static class SpMetadataWriter
{
    /// <summary>The metadata document.</summary>
    /// <param name="entityId">The SP entityID.</param>
    /// <param name="acsLocation">The HTTP-POST Assertion Consumer Service URL.</param>
    /// <param name="signingCertificate">The SP certificate (AuthnRequest signing and assertion encryption), or null.</param>
    /// <param name="nameIdFormats">The NameID formats to advertise.</param>
    /// <param name="sloLocation">
    /// The HTTP-Redirect SingleLogoutService URL, published only with a signing key: Single Logout messages must be
    /// signed (SAML Profiles §4.4.3.1), so without one the SP offers none.
    /// </param>
    public static string Write(string entityId, string acsLocation, X509Certificate2? signingCertificate, IEnumerable<string> nameIdFormats, string? sloLocation = null)
    {
        ArgumentNullException.ThrowIfNull(entityId);
        ArgumentNullException.ThrowIfNull(acsLocation);
        ArgumentNullException.ThrowIfNull(nameIdFormats);
        var output = new StringBuilder();
        var settings = new XmlWriterSettings { OmitXmlDeclaration = false, Indent = true, Encoding = Encoding.UTF8 };
        using (var writer = XmlWriter.Create(output, settings))
        {
            writer.WriteStartElement("md", "EntityDescriptor", Saml2Namespaces.Metadata);
            writer.WriteAttributeString("entityID", entityId);
            writer.WriteStartElement("md", "SPSSODescriptor", Saml2Namespaces.Metadata);
            writer.WriteAttributeString("AuthnRequestsSigned", signingCertificate is null ? "false" : "true");
            writer.WriteAttributeString("WantAssertionsSigned", "true");
            writer.WriteAttributeString("protocolSupportEnumeration", Saml2Namespaces.Protocol);
            if (signingCertificate is not null)
            {
                // One SP key for both uses: IdPs encrypt assertions to the "encryption" descriptor (SAML Metadata §2.4.1.1).
                foreach (var use in new[] { "signing", "encryption" })
                {
                    writer.WriteStartElement("md", "KeyDescriptor", Saml2Namespaces.Metadata);
                    writer.WriteAttributeString("use", use);
                    writer.WriteStartElement("ds", "KeyInfo", Saml2Namespaces.Dsig);
                    writer.WriteStartElement("ds", "X509Data", Saml2Namespaces.Dsig);
                    writer.WriteElementString("ds", "X509Certificate", Saml2Namespaces.Dsig, Convert.ToBase64String(signingCertificate.RawData));
                    writer.WriteEndElement();
                    writer.WriteEndElement();
                    writer.WriteEndElement();
                }
            }

            // SAML Metadata §2.4.2 (SSODescriptorType): SingleLogoutService comes before NameIDFormat.
            if (sloLocation is not null && signingCertificate is not null)
            {
                writer.WriteStartElement("md", "SingleLogoutService", Saml2Namespaces.Metadata);
                writer.WriteAttributeString("Binding", Saml2Namespaces.HttpRedirectBinding);
                writer.WriteAttributeString("Location", sloLocation);
                writer.WriteEndElement();
            }

            foreach (var format in nameIdFormats)
            {
                writer.WriteElementString("md", "NameIDFormat", Saml2Namespaces.Metadata, format);
            }

            writer.WriteStartElement("md", "AssertionConsumerService", Saml2Namespaces.Metadata);
            writer.WriteAttributeString("Binding", Saml2Namespaces.HttpPostBinding);
            writer.WriteAttributeString("Location", acsLocation);
            writer.WriteAttributeString("index", "0");
            writer.WriteAttributeString("isDefault", "true");
            writer.WriteEndElement();
            writer.WriteEndElement();
            writer.WriteEndElement();
        }

        return output.ToString();
    }
}
