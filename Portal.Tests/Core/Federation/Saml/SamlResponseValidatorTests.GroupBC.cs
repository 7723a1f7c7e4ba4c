using System.Xml;
using Portal.Core.Federation.Saml;

namespace Portal.Tests.Core.Federation.Saml;

/// <summary>SECURITY-CASES group B (wrapping, cases 21–31) and group C (reading signed content, cases 32–37).</summary>
public partial class SamlResponseValidatorTests
{
    [Theory]
    [InlineData(1, SamlFailureReason.SigStructure)] // case 21
    [InlineData(2, SamlFailureReason.SigRefNotParent)] // case 22
    [InlineData(3, SamlFailureReason.AssertionCount)] // case 23
    [InlineData(4, SamlFailureReason.SigRefNotParent)] // case 24 (catalog allows ASSERTION_COUNT / SIG_REF_NOT_PARENT)
    [InlineData(5, SamlFailureReason.SigRefNotParent)] // case 25
    [InlineData(6, SamlFailureReason.SigStructure)] // case 26
    [InlineData(7, SamlFailureReason.SigDupId)] // case 27
    [InlineData(8, SamlFailureReason.SigDupId)] // case 28
    public async Task ValidateAsync_Cases21To28_XswVariant_IsRejected(int variant, SamlFailureReason expected)
    {
        // Arrange: XSW1/2 attack a Response signature, XSW3–8 an Assertion signature.
        var document = TestIdp.CreateResponse();
        var parameters = CreateParameters();
        if (variant <= 2)
        {
            TestIdp.SignResponse(document, TestIdp.Idp);
            parameters = CreateParameters(TestIdp.Provider(wantAssertionsSigned: false));
        }
        else
        {
            TestIdp.SignAssertion(document, TestIdp.Idp);
        }

        XswMutator.Apply(document, variant);

        // Act / Assert
        await AssertRejectedAsync(document, expected, parameters);
    }

    [Fact]
    public async Task ValidateAsync_Case27_EvilCopyInSamlpExtensions_IsSigDupId()
    {
        // Arrange
        var document = TestIdp.CreateSignedResponse();
        var evil = (XmlElement)TestIdp.Assertion(document).CloneNode(true);
        Remove(evil.ChildNodes.OfType<XmlElement>().Single(e => e.LocalName == "Signature"));
        XswMutator.MakeEvil(evil);
        var extensions = Element(document, "<samlp:Extensions/>");
        extensions.AppendChild(evil);
        document.DocumentElement!.InsertBefore(extensions, TestIdp.First(document, "Status", SamlNs.Protocol));

        // Act / Assert
        await AssertRejectedAsync(document, SamlFailureReason.SigDupId);
    }

    [Fact]
    public async Task ValidateAsync_Case29a_ResponseSignedPlusUnsignedSecondAssertion_IsAssertionCount()
    {
        // Arrange: a signed Response carrying two assertions (python3-saml multiple_assertions fixture).
        var document = TestIdp.CreateResponse();
        var evil = (XmlElement)TestIdp.Assertion(document).CloneNode(true);
        evil.SetAttribute("ID", "_evil_a");
        XswMutator.MakeEvil(evil);
        document.DocumentElement!.AppendChild(evil);
        TestIdp.SignResponse(document, TestIdp.Idp);

        // Act / Assert
        await AssertRejectedAsync(document, SamlFailureReason.AssertionCount, CreateParameters(TestIdp.Provider(wantAssertionsSigned: false)));
    }

    [Fact]
    public async Task ValidateAsync_Case29b_SignedResponseWrappedInOuterResponse_IsSigRefNotParent()
    {
        // Arrange
        var inner = TestIdp.CreateResponse();
        TestIdp.SignResponse(inner, TestIdp.Idp);
        var outer = TestIdp.CreateResponse(nameId: XswMutator.EvilNameId);
        outer.DocumentElement!.SetAttribute("ID", "_outer");
        TestIdp.Assertion(outer).SetAttribute("ID", "_evil_a");
        outer.DocumentElement.AppendChild(outer.ImportNode(inner.DocumentElement!, true));

        // Act / Assert
        await AssertRejectedAsync(outer, SamlFailureReason.SigRefNotParent, CreateParameters(TestIdp.Provider(wantAssertionsSigned: false)));
    }

    [Fact]
    public async Task ValidateAsync_Case30_SignedAssertionWrappedInLogoutRequest_IsXmlMalformed()
    {
        // Arrange: the ACS/STS validator accepts only samlp:Response roots; the SLO endpoint is the handler's.
        var signed = TestIdp.CreateSignedResponse();
        var logout = TestIdp.Load($"""<samlp:LogoutRequest xmlns:samlp="{SamlNs.Protocol}" xmlns:saml="{SamlNs.Assertion}" ID="_x" Version="2.0"><saml:Issuer>{TestIdp.EntityId}</saml:Issuer><saml:NameID>victim@corp.test</saml:NameID><samlp:SessionIndex>_s</samlp:SessionIndex></samlp:LogoutRequest>""");
        logout.DocumentElement!.AppendChild(logout.ImportNode(TestIdp.Assertion(signed), true));

        // Act / Assert
        await AssertRejectedAsync(logout, SamlFailureReason.XmlMalformed);
    }

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

    [Theory]
    [InlineData("comment")]
    [InlineData("cdata")]
    public async Task ValidateAsync_Cases32And33_NameIdSplitByCommentOrCdata_IsNameId(string split)
    {
        // Arrange: the attacker owns victim@corp.test.evil.test; C14N ignores the split, so the signature still verifies.
        var document = TestIdp.CreateResponse(nameId: "victim@corp.test.evil.test");
        TestIdp.SignAssertion(document, TestIdp.Idp);
        var nameId = TestIdp.First(document, "NameID");
        nameId.RemoveAll();
        nameId.SetAttribute("Format", "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress");
        nameId.AppendChild(document.CreateTextNode("victim@corp.test"));
        nameId.AppendChild(split == "comment" ? document.CreateComment(string.Empty) : document.CreateTextNode(string.Empty));
        if (split == "cdata")
        {
            nameId.RemoveChild(nameId.LastChild!);
            nameId.AppendChild(document.CreateCDataSection(".evil.test"));
        }
        else
        {
            nameId.AppendChild(document.CreateTextNode(".evil.test"));
        }

        // Act / Assert
        await AssertRejectedAsync(document, SamlFailureReason.NameId);
    }

    [Fact]
    public async Task ValidateAsync_Case32_AttributeValueSplitByComment_IsAttrValue()
    {
        // Arrange
        var document = TestIdp.CreateSignedResponse();
        var value = TestIdp.First(document, "AttributeValue");
        value.InsertAfter(document.CreateComment("x"), value.FirstChild);

        // Act / Assert
        await AssertRejectedAsync(document, SamlFailureReason.AttrValue);
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
    public async Task ValidateAsync_Case34b_ForeignNamespaceAssertionInResponse_IsXmlMalformed()
    {
        // Arrange
        var document = TestIdp.CreateSignedResponse();
        var evil = document.CreateElement("saml", "Assertion", "urn:evil");
        evil.SetAttribute("ID", "_evil_ns");
        document.DocumentElement!.AppendChild(evil);

        // Act / Assert
        await AssertRejectedAsync(document, SamlFailureReason.XmlMalformed);
    }

    [Theory]
    [InlineData("""<saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/Role"><saml:AttributeValue>arn:aws:iam::111111111111:role/Admin,arn:aws:iam::111111111111:saml-provider/Corp</saml:AttributeValue></saml:Attribute>""")]
    [InlineData("""<saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/RoleSessionName"><saml:AttributeValue>admin</saml:AttributeValue></saml:Attribute>""")]
    [InlineData("""<saml:Attribute Name="urn:a" FriendlyName="mail"><saml:AttributeValue>a</saml:AttributeValue></saml:Attribute><saml:Attribute Name="urn:b" FriendlyName="mail"><saml:AttributeValue>b</saml:AttributeValue></saml:Attribute>""")]
    public async Task ValidateAsync_Case35abc_DuplicatedAttribute_IsAttrDuplicate(string extra)
    {
        // Arrange: the IdP itself signed the injected attributes.
        var document = TestIdp.CreateResponse(extra);
        TestIdp.SignAssertion(document, TestIdp.Idp);

        // Act / Assert
        await AssertRejectedAsync(document, SamlFailureReason.AttrDuplicate);
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
    public async Task ValidateAsync_Case36_EncryptedIdWithUnsignedNameIdInExtensions_IsNameId()
    {
        // Arrange
        var document = Signed(d =>
        {
            var nameId = TestIdp.First(d, "NameID");
            nameId.ParentNode!.ReplaceChild(Element(d, "<saml:EncryptedID><xenc:EncryptedData xmlns:xenc=\"http://www.w3.org/2001/04/xmlenc#\"/></saml:EncryptedID>"), nameId);
        });
        var extensions = Element(document, "<samlp:Extensions><saml:NameID>admin@corp.test</saml:NameID></samlp:Extensions>");
        document.DocumentElement!.InsertBefore(extensions, TestIdp.First(document, "Status", SamlNs.Protocol));

        // Act / Assert
        await AssertRejectedAsync(document, SamlFailureReason.NameId);
    }

    [Fact]
    public async Task ValidateAsync_Case36_EncryptedAttribute_IsEncUnexpected()
    {
        // Arrange
        var document = TestIdp.CreateResponse("<saml:EncryptedAttribute/>");
        TestIdp.SignAssertion(document, TestIdp.Idp);

        // Act / Assert
        await AssertRejectedAsync(document, SamlFailureReason.EncUnexpected);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public async Task ValidateAsync_Case37ab_EmptyOrWhitespaceNameId_IsNameId(string nameId)
    {
        // Arrange
        var document = TestIdp.CreateResponse(nameId: nameId);
        TestIdp.SignAssertion(document, TestIdp.Idp);

        // Act / Assert
        await AssertRejectedAsync(document, SamlFailureReason.NameId);
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
