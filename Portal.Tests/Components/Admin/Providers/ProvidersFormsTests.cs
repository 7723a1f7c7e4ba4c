using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Bunit;
using Portal.Components.Admin.Providers;
using Portal.Services.Admin;
using Portal.Tests.Api.Saml2;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Components.Admin.Providers;

public class ProvidersFormsTests : PortalComponentTest
{
    public static TheoryData<Action<SamlProviderInput>, string, string> InvalidSamlInputs => new()
    {
        { i => i.Name = string.Empty, "saml-name", "Enter a provider name." },
        { i => i.Name = "bad name!", "saml-name", "Use 1–128 letters" },
        { i => i.MetadataXml = string.Empty, "saml-metadata", "Paste the identity provider's metadata XML." },
        { i => i.MetadataXml = "<not-closed>", "saml-metadata", "not well-formed XML" },
        { i => i.MetadataXml = """<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x"/>""", "saml-metadata", "exactly one IDPSSODescriptor" },
        { i => i.MetadataUrl = "ftp://idp.example.com/metadata", "saml-metadata-url", "absolute https URL" },
    };

    public static TheoryData<Action<OidcProviderInput>, string, string> InvalidOidcInputs => new()
    {
        { i => i.IssuerUrl = string.Empty, "oidc-issuer", "Enter the issuer URL." },
        { i => i.IssuerUrl = "http://idp.example.com", "oidc-issuer", "must use https" },
        { i => i.IssuerUrl = "https://idp.example.com/?tenant=1", "oidc-issuer", "without query" },
        { i => i.Thumbprints = "abc", "oidc-thumbprints", "is not a SHA-1 thumbprint" },
        { i => i.SignInClientId = null, "oidc-secret", "needs the sign-in client id" },
    };

    [Theory]
    [MemberData(nameof(InvalidSamlInputs))]
    public void SamlSubmit_InvalidField_ShowsTheErrorNextToThatFieldAndDoesNotSave(Action<SamlProviderInput> breakIt, string field, string message)
    {
        // Arrange
        var input = CreateValidSamlInput(Now.AddYears(1));
        breakIt(input);
        var saved = false;
        var cut = Render<SamlProviderForm>(p => p.Add(c => c.Input, input).Add(c => c.OnSave, _ => saved = true));

        // Act
        cut.Find("form").Submit();

        // Assert
        AssertFieldError(cut, field, message);
        Assert.False(saved);
    }

    [Fact]
    public void SamlSubmit_ValidInput_RaisesOnSave()
    {
        // Arrange
        SamlProviderInput? saved = null;
        var cut = Render<SamlProviderForm>(p => p.Add(c => c.Input, CreateValidSamlInput(Now.AddYears(1))).Add(c => c.OnSave, i => saved = i));

        // Act
        cut.Find("form").Submit();

        // Assert
        Assert.NotNull(saved);
        Assert.Empty(cut.FindAll(".mud-input-error"));
    }

    [Theory]
    [InlineData(10, "saml-cert-expiring")]
    [InlineData(-1, "saml-cert-expired")]
    public void SamlPreview_CertificateNearOrPastExpiry_ShowsTheWarning(int daysLeft, string warning)
    {
        // Act
        var cut = Render<SamlProviderForm>(p => p.Add(c => c.Input, CreateValidSamlInput(Now.AddDays(daysLeft))));

        // Assert
        Assert.Contains("https://idp.test/metadata", cut.Find("[data-testid=saml-entity-id]").TextContent, StringComparison.Ordinal);
        Assert.Single(cut.FindAll($"[data-testid={warning}]"));
    }

    [Fact]
    public void SamlPreview_CertificateValidForLong_ShowsNoWarning()
    {
        // Act
        var cut = Render<SamlProviderForm>(p => p.Add(c => c.Input, CreateValidSamlInput(Now.AddDays(31))));

        // Assert
        Assert.Single(cut.FindAll("[data-testid=saml-preview]"));
        Assert.Empty(cut.FindAll("[data-testid=saml-cert-expiring], [data-testid=saml-cert-expired]"));
    }

    [Fact]
    public void SamlImport_FetchSucceeds_FillsTheMetadataAndShowsThePreview()
    {
        // Arrange
        var input = CreateValidSamlInput(Now.AddYears(1));
        var fetched = input.MetadataXml;
        input.MetadataXml = string.Empty;
        input.MetadataUrl = "https://idp.test/metadata";
        string? asked = null;
        var cut = Render<SamlProviderForm>(p => p.Add(c => c.Input, input).Add(c => c.FetchMetadata, url =>
        {
            asked = url;
            return Task.FromResult(new Portal.Core.Federation.Saml.SamlMetadataFetchResult(fetched, Portal.Core.Federation.Saml.SamlMetadata.Parse(fetched), null));
        }));

        // Act
        cut.Find("[data-testid=saml-import]").Click();

        // Assert
        Assert.Equal("https://idp.test/metadata", asked);
        Assert.Equal(fetched, input.MetadataXml);
        Assert.Single(cut.FindAll("[data-testid=saml-preview]"));
        Assert.Empty(cut.FindAll(".mud-input-error"));
    }

    [Theory]
    [InlineData("https://10.0.0.5/metadata", "The metadata host resolves to the internal address 10.0.0.5, which the portal does not contact.")]
    [InlineData(" ", "Enter the metadata URL to import from.")]
    public void SamlImport_FetchFails_ShowsTheErrorNextToTheUrlAndKeepsTheMetadata(string url, string message)
    {
        // Arrange
        var input = CreateValidSamlInput(Now.AddYears(1));
        var before = input.MetadataXml;
        input.MetadataUrl = url;
        var cut = Render<SamlProviderForm>(p => p.Add(c => c.Input, input)
            .Add(c => c.FetchMetadata, _ => Task.FromResult(new Portal.Core.Federation.Saml.SamlMetadataFetchResult(null, null, message))));

        // Act
        cut.Find("[data-testid=saml-import]").Click();

        // Assert
        AssertFieldError(cut, "saml-metadata-url", message);
        Assert.Equal(before, input.MetadataXml);
    }

    [Fact]
    public void SamlEdit_Editing_FixesTheNameAndSavesChanges()
    {
        // Arrange
        SamlProviderInput? saved = null;
        var cut = Render<SamlProviderForm>(p => p.Add(c => c.Input, CreateValidSamlInput(Now.AddYears(1))).Add(c => c.Editing, true).Add(c => c.OnSave, i => saved = i));

        // Act
        cut.Find("form").Submit();

        // Assert
        Assert.True(cut.Find("input[data-testid=saml-name], [data-testid=saml-name] input").HasAttribute("disabled"));
        Assert.Contains("Save changes", cut.Find("[data-testid=saml-save]").TextContent, StringComparison.Ordinal);
        Assert.NotNull(saved);
    }

    [Theory]
    [MemberData(nameof(InvalidOidcInputs))]
    public void OidcSubmit_InvalidField_ShowsTheErrorNextToThatFieldAndDoesNotSave(Action<OidcProviderInput> breakIt, string field, string message)
    {
        // Arrange
        var input = CreateValidOidcInput();
        breakIt(input);
        var saved = false;
        var cut = Render<OidcProviderForm>(p => p.Add(c => c.Input, input).Add(c => c.OnSave, _ => saved = true));

        // Act
        cut.Find("form").Submit();

        // Assert
        AssertFieldError(cut, field, message);
        Assert.False(saved);
    }

    [Fact]
    public void OidcSubmit_ValidInput_RaisesOnSave()
    {
        // Arrange
        OidcProviderInput? saved = null;
        var cut = Render<OidcProviderForm>(p => p.Add(c => c.Input, CreateValidOidcInput()).Add(c => c.OnSave, i => saved = i));

        // Act
        cut.Find("form").Submit();

        // Assert
        Assert.NotNull(saved);
        Assert.Empty(cut.FindAll(".mud-input-error"));
    }

    [Fact]
    public void OidcTestDiscovery_Failure_ShowsTheErrorUnderTheIssuer()
    {
        // Arrange
        string? asked = null;
        var cut = Render<OidcProviderForm>(p => p.Add(c => c.Input, CreateValidOidcInput())
            .Add(c => c.TestDiscovery, issuer =>
            {
                asked = issuer;
                return Task.FromResult(new DiscoveryResult(false, null, null, "Could not reach the issuer: refused"));
            }));

        // Act
        cut.Find("[data-testid=oidc-test]").Click();

        // Assert
        Assert.Equal("https://idp.example.com", asked);
        var alert = cut.Find("[data-testid=oidc-discovery]");
        Assert.Contains("Could not reach the issuer", alert.TextContent, StringComparison.Ordinal);
        Assert.Contains("mud-alert-text-error", alert.ClassName, StringComparison.Ordinal);
    }

    private static void AssertFieldError(IRenderedComponent<Microsoft.AspNetCore.Components.IComponent> cut, string field, string message)
    {
        var fieldError = cut.Find($".mud-input-control:has([data-testid={field}]) .mud-input-helper-text.mud-input-error");
        Assert.Contains(message, fieldError.TextContent, StringComparison.Ordinal);
    }

    private static SamlProviderInput CreateValidSamlInput(DateTimeOffset notAfter)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=idp.test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(notAfter.AddYears(-2), notAfter);
        return new SamlProviderInput { Name = "Corp", MetadataXml = Saml2AppFactory.Metadata("https://idp.test/metadata", certificate), DisplayName = "Corporate SSO" };
    }

    private static OidcProviderInput CreateValidOidcInput() => new()
    {
        IssuerUrl = "https://idp.example.com",
        ClientIds = "sts-audience",
        SignInClientId = "portal",
        ClientSecret = "secret",
    };
}
