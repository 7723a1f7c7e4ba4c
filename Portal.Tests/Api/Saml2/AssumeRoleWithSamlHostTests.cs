using System.Net;
using System.Xml;
using System.Xml.Linq;
using Microsoft.Extensions.DependencyInjection;
using Portal.Authentication.Saml2;
using Portal.Core.Iam;
using Portal.Core.Identity;
using Portal.Tests.Core.Federation.Saml;

namespace Portal.Tests.Api.Saml2;

/// <summary>AssumeRoleWithSAML through the STS API with the DB-backed provider source registered by AddPortalSaml2.</summary>
public sealed class AssumeRoleWithSamlHostTests : IClassFixture<Saml2AppFactory>
{
    private const string AwsSaml = "https://signin.aws.amazon.com/saml";
    private const string Provider = "StsCorp";
    private static readonly XNamespace Sts = "https://sts.amazonaws.com/doc/2011-06-15/";
    private readonly Saml2AppFactory _factory;

    public AssumeRoleWithSamlHostTests(Saml2AppFactory factory) => _factory = factory;

    [Fact]
    public async Task AssumeRoleWithSaml_ValidAssertionOfRegisteredProvider_ReturnsCredentials()
    {
        // Arrange
        var roleArn = await CreateRoleAsync();
        var assertion = CreateStsResponse(roleArn);

        // Act
        var (status, xml) = await AssumeRoleWithSamlAsync(roleArn, assertion);

        // Assert
        Assert.Equal(HttpStatusCode.OK, status);
        var result = xml.Root!.Element(Sts + "AssumeRoleWithSAMLResult")!;
        Assert.StartsWith("ASIA", result.Element(Sts + "Credentials")!.Element(Sts + "AccessKeyId")!.Value, StringComparison.Ordinal);
        Assert.Equal("alice@corp.test", result.Element(Sts + "Subject")!.Value);
        Assert.Equal(TestIdp.EntityId, result.Element(Sts + "Issuer")!.Value);
    }

    [Fact]
    public async Task AssumeRoleWithSaml_NameIdChangedAfterSigning_IsInvalidIdentityToken()
    {
        // Arrange
        var roleArn = await CreateRoleAsync();
        var assertion = CreateStsResponse(roleArn);
        TestIdp.First(assertion, "NameID").InnerText = XswMutator.EvilNameId;

        // Act
        var (status, xml) = await AssumeRoleWithSamlAsync(roleArn, assertion);

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("InvalidIdentityToken", xml.Root!.Descendants(Sts + "Code").Single().Value);
        Assert.Empty(xml.Root.Descendants(Sts + "Credentials"));
    }

    private async Task<string> CreateRoleAsync()
    {
        await _factory.RegisterProviderAsync(Provider, TestIdp.EntityId, new SamlProviderSettings(), TestIdp.Idp);
        var directory = _factory.Services.GetRequiredService<IamDirectory>();
        var providerArn = Saml2AppFactory.ProviderArn(Provider);
        var trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"PROVIDER"},"Action":"sts:AssumeRoleWithSAML","Condition":{"StringEquals":{"SAML:aud":"AUDIENCE"}}}]}"""
            .Replace("PROVIDER", providerArn, StringComparison.Ordinal).Replace("AUDIENCE", AwsSaml, StringComparison.Ordinal);
        var role = await directory.CreateRoleAsync(AccountId.Parse(Saml2AppFactory.AccountId), "saml" + Guid.NewGuid().ToString("N")[..8], trust);
        Assert.True(role.Succeeded, role.Error?.ToString());
        return role.Value!.Arn;
    }

    /// <summary>The golden response addressed to the AWS SAML endpoint (STS-SPEC §1.2), granting <paramref name="roleArn"/>.</summary>
    private static XmlDocument CreateStsResponse(string roleArn)
    {
        var document = TestIdp.CreateResponse();
        document.DocumentElement!.SetAttribute("Destination", AwsSaml);
        document.DocumentElement.RemoveAttribute("InResponseTo");
        var confirmation = TestIdp.First(document, "SubjectConfirmationData");
        confirmation.SetAttribute("Recipient", AwsSaml);
        confirmation.RemoveAttribute("InResponseTo");
        TestIdp.First(document, "Audience").InnerText = AwsSaml;
        TestIdp.Assertion(document).SetAttribute("ID", "_a" + Guid.NewGuid().ToString("N"));
        var role = document.GetElementsByTagName("Attribute", SamlNs.Assertion).Cast<XmlElement>().Single(a => a.GetAttribute("Name") == TestIdp.RoleAttribute);
        role.FirstChild!.InnerText = roleArn + "," + Saml2AppFactory.ProviderArn(Provider);
        TestIdp.SignAssertion(document, TestIdp.Idp);
        return document;
    }

    private async Task<(HttpStatusCode Status, XDocument Xml)> AssumeRoleWithSamlAsync(string roleArn, XmlDocument assertion)
    {
        var client = _factory.CreateBrowser();
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Action"] = "AssumeRoleWithSAML",
            ["Version"] = "2011-06-15",
            ["RoleArn"] = roleArn,
            ["PrincipalArn"] = Saml2AppFactory.ProviderArn(Provider),
            ["SAMLAssertion"] = TestIdp.Encode(assertion),
        });
        var response = await client.PostAsync(new Uri("/", UriKind.Relative), content);
        return (response.StatusCode, XDocument.Parse(await response.Content.ReadAsStringAsync()));
    }
}
