using System.Xml;
using Portal.Core.Federation.Saml;
using static Portal.Tests.Core.Federation.Saml.SamlDom;

namespace Portal.Tests.Core.Federation.Saml;

/// <summary>SECURITY-CASES group B (wrapping, cases 21–31) and group C (reading signed content, cases 32–37).</summary>
public partial class SamlResponseValidatorTests
{
    [Fact]
    public void SamlCode_Case31_SingleParserInvariant_NoSecondParserOrRegexOnTheMessage()
    {
        // Arrange
        var folder = Path.Combine(RepositoryRoot(), "Portal.Core", "Federation", "Saml");
        string[] forbidden = ["XDocument", "XElement.Parse", "XmlSerializer", "Regex", "LoadXml(", "XPathDocument"];

        // Act
        var offenders = Directory.GetFiles(folder, "*.cs")
            .Where(f => !Path.GetFileName(f).StartsWith("SamlMetadata", StringComparison.Ordinal))
            .SelectMany(f => forbidden.Where(word => File.ReadAllText(f).Replace("signedXml.LoadXml(", string.Empty, StringComparison.Ordinal)
                .Contains(word, StringComparison.Ordinal)).Select(word => $"{Path.GetFileName(f)}: {word}"))
            .ToList();

        // Assert: claims come only from the verified DOM, and SamlAssertionData cannot be built outside the assembly.
        Assert.Empty(offenders);
        Assert.DoesNotContain(typeof(SamlAssertionData).GetConstructors(), c => c.IsPublic);
    }

    [Fact]
    public async Task ValidateAsync_Case34a_ForeignNamespaceNameIdBeforeRealOne_ReadsRealNameId()
    {
        // Arrange: an IdP emitting unusual prefixes; lookup is by namespace URI, not prefix.
        var document = Signed(d =>
        {
            var subject = TestIdp.First(d, "Subject");
            var evil = d.CreateElement("saml", "NameID", "urn:evil");
            evil.InnerText = XswMutator.EvilNameId;
            subject.PrependChild(evil);
        });

        // Act
        var result = await ValidateAsync(document);

        // Assert
        Assert.True(result.Succeeded, result.ToString());
        Assert.Equal("alice@corp.test", result.Assertion.NameId);
    }

    [Fact]
    public async Task ValidateAsync_Case35d_InjectedMarkupInAttributeValue_IsOneLiteralValue()
    {
        // Arrange
        const string injected = "x</saml:AttributeValue><saml:AttributeValue>arn:aws:iam::111111111111:role/Admin,arn:aws:iam::111111111111:saml-provider/Corp";
        var document = Signed(d => TestIdp.First(d, "AttributeValue").InnerText = injected);

        // Act
        var result = await ValidateAsync(document);

        // Assert: AwsSamlAttributesTests shows the literal fails Role parsing.
        Assert.True(result.Succeeded, result.ToString());
        Assert.Equal([injected], result.Assertion.Attributes[TestIdp.RoleAttribute]);
    }

    [Fact]
    public async Task ValidateAsync_Case37c_UpperCaseNameId_IsReturnedExactly()
    {
        // Arrange: identities are keyed by (issuer, format, exact NameID); the validator never case-folds.
        var document = TestIdp.CreateResponse(nameId: "ALICE@CORP.TEST");
        TestIdp.SignAssertion(document, TestIdp.Idp);

        // Act
        var result = await ValidateAsync(document);

        // Assert
        Assert.True(result.Succeeded, result.ToString());
        Assert.Equal("ALICE@CORP.TEST", result.Assertion.NameId);
        Assert.Equal(TestIdp.EntityId, result.Assertion.Issuer);
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Portal.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Portal.sln not found above the test output.");
    }
}
