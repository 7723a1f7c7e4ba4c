using Portal.Core.Federation.Saml;

namespace Portal.Tests.Core.Federation.Saml;

public class SamlMetadataTests
{
    [Fact]
    public void Parse_IdpMetadata_ReturnsEntityIdSigningCertificatesAndSsoLocations()
    {
        // Arrange
        var xml = CreateMetadata();

        // Act
        var metadata = SamlMetadata.Parse(xml);

        // Assert
        Assert.Equal(TestIdp.EntityId, metadata.EntityId);
        Assert.Equal([TestIdp.Idp.Thumbprint, TestIdp.IdpNext.Thumbprint], metadata.SigningCertificates.Select(c => c.Thumbprint));
        Assert.Equal(["https://idp.test/sso/redirect"], metadata.SsoRedirectUrls);
        Assert.Equal(["https://idp.test/sso/post"], metadata.SsoPostUrls);
        Assert.Equal(TestIdp.EntityId, metadata.ToIdentityProvider().EntityId);
        Assert.False(metadata.ToIdentityProvider().AllowIdpInitiated);
    }

    [Theory]
    [InlineData("", null, null)]
    [InlineData("""<md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://idp.test/slo/post"/>""", null, null)]
    [InlineData("""<md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.test/slo"/>""", "https://idp.test/slo", "https://idp.test/slo")]
    [InlineData("""<md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.test/slo" ResponseLocation="https://idp.test/slo/done"/>""", "https://idp.test/slo", "https://idp.test/slo/done")]
    public void Parse_SingleLogoutService_KeepsOnlyTheRedirectBinding(string service, string? location, string? responseLocation)
    {
        // Arrange: SAML Metadata §2.2.2, ResponseLocation defaults to Location.
        var xml = CreateMetadata().Replace("<md:SingleSignOnService", service + "<md:SingleSignOnService", StringComparison.Ordinal);

        // Act
        var provider = SamlMetadata.Parse(xml).ToIdentityProvider();

        // Assert
        Assert.Equal(location, provider.SloRedirectUrl);
        Assert.Equal(responseLocation, provider.SloRedirectResponseUrl);
    }

    [Fact]
    public void TryParse_SingleLogoutServiceOverPlainHttp_FailsWithClearError()
    {
        // Arrange
        var xml = CreateMetadata().Replace("<md:SingleSignOnService", """<md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="http://idp.test/slo"/><md:SingleSignOnService""", StringComparison.Ordinal);

        // Act
        var parsed = SamlMetadata.TryParse(xml, out _, out var error);

        // Assert
        Assert.False(parsed);
        Assert.Contains("SingleLogoutService", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("doctype", "DOCTYPE")]
    [InlineData("not-xml", "well-formed")]
    [InlineData("wrong-root", "EntityDescriptor")]
    [InlineData("no-entity-id", "entityID")]
    [InlineData("no-signing-cert", "signing certificate")]
    [InlineData("bad-cert", "certificate")]
    [InlineData("http-location", "https")]
    public void TryParse_BrokenMetadata_FailsWithClearError(string variant, string expectedFragment)
    {
        // Arrange
        var xml = variant switch
        {
            "doctype" => "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>" + CreateMetadata(),
            "not-xml" => "<md:EntityDescriptor",
            "wrong-root" => CreateMetadata().Replace("md:EntityDescriptor", "md:EntitiesDescriptor", StringComparison.Ordinal),
            "no-entity-id" => CreateMetadata().Replace($"entityID=\"{TestIdp.EntityId}\"", string.Empty, StringComparison.Ordinal),
            "no-signing-cert" => CreateMetadata(signingUse: "encryption"),
            "bad-cert" => CreateMetadata(certificateOverride: "!!!"),
            _ => CreateMetadata().Replace("https://idp.test/sso/post", "http://idp.test/sso/post", StringComparison.Ordinal),
        };

        // Act
        var ok = SamlMetadata.TryParse(xml, out var metadata, out var error);

        // Assert
        Assert.False(ok);
        Assert.Null(metadata);
        Assert.Contains(expectedFragment, error, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => SamlMetadata.Parse(xml));
    }

    [Theory]
    [InlineData("http://127.0.0.1:8480/saml2/idp/SSOService.php", true)]
    [InlineData("http://localhost:8480/sso", true)]
    [InlineData("http://[::1]:8480/sso", true)]
    [InlineData("https://idp.test/sso/redirect", true)]
    [InlineData("http://idp.test/sso/redirect", false)]
    [InlineData("http://10.0.0.5/sso", false)]
    [InlineData("http://127.0.0.1.idp.test/sso", false)]
    [InlineData("ftp://127.0.0.1/sso", false)]
    public void TryParse_SsoLocationScheme_HttpAcceptedOnlyOnLoopback(string location, bool accepted)
    {
        // Arrange
        var xml = CreateMetadata().Replace("https://idp.test/sso/redirect", location, StringComparison.Ordinal);

        // Act
        var ok = SamlMetadata.TryParse(xml, out var metadata, out var error);

        // Assert
        Assert.Equal(accepted, ok);
        if (accepted)
        {
            Assert.Equal([location], metadata!.SsoRedirectUrls);
        }
        else
        {
            Assert.Contains("https", error, StringComparison.Ordinal);
        }
    }

    private static string CreateMetadata(string signingUse = "signing", string? certificateOverride = null)
    {
        var first = certificateOverride ?? Convert.ToBase64String(TestIdp.Idp.RawData);
        var second = Convert.ToBase64String(TestIdp.IdpNext.RawData);
        var encryption = Convert.ToBase64String(TestIdp.Sp.RawData);
        var secondUse = signingUse == "signing" ? string.Empty : " use=\"encryption\"";
        return $"""
            <md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="{TestIdp.EntityId}">
              <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
                <md:KeyDescriptor use="{signingUse}"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>{first}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
                <md:KeyDescriptor{secondUse}><ds:KeyInfo><ds:X509Data><ds:X509Certificate>{second}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
                <md:KeyDescriptor use="encryption"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>{encryption}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
                <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.test/sso/redirect"/>
                <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://idp.test/sso/post"/>
              </md:IDPSSODescriptor>
            </md:EntityDescriptor>
            """;
    }
}
