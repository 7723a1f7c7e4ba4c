using System.Text;
using System.Xml;
using Portal.Core.Federation.Saml;

namespace Portal.Tests.Core.Federation.Saml;

/// <summary>SECURITY-CASES group E: encrypted assertions (cases 53–57; case 58 is the redirect binding, not this validator).</summary>
public partial class SamlResponseValidatorTests
{
    [Fact]
    public async Task ValidateAsync_Case53_EncryptedUnsignedEvilAssertion_IsEncUnsigned()
    {
        // Arrange: anyone holding the SP's public certificate can do this.
        var document = TestIdp.CreateResponse(nameId: XswMutator.EvilNameId);
        TestIdp.EncryptAssertion(document, TestIdp.Sp);

        // Act / Assert
        await AssertRejectedAsync(document, SamlFailureReason.EncUnsigned);
    }

    [Fact]
    public async Task ValidateAsync_Case53_TamperedSignatureInEncryptedAssertion_IsSigInvalid()
    {
        // Arrange
        var document = TestIdp.CreateSignedResponse();
        XswMutator.MakeEvil(TestIdp.Assertion(document));
        TestIdp.EncryptAssertion(document, TestIdp.Sp);

        // Act / Assert
        await AssertRejectedAsync(document, SamlFailureReason.SigInvalid);
    }

    [Theory]
    [InlineData("http://www.w3.org/2009/xmlenc11#aes256-gcm", "http://www.w3.org/2001/04/xmlenc#rsa-1_5")]
    [InlineData("http://www.w3.org/2001/04/xmlenc#aes128-cbc", "http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p")]
    public async Task ValidateAsync_Case54_WeakKeyTransportOrCbcContent_IsEncAlg(string content, string keyTransport)
    {
        // Arrange
        var document = TestIdp.CreateSignedResponse();
        TestIdp.EncryptAssertion(document, TestIdp.Sp, content, keyTransport);

        // Act / Assert
        await AssertRejectedAsync(document, SamlFailureReason.EncAlg);
    }

    [Fact]
    public async Task ValidateAsync_Case54_CbcContentWhenExplicitlyAllowed_Succeeds()
    {
        // Arrange: legacy IdPs (AD FS) encrypt with AES-CBC; an operator may opt in.
        var document = TestIdp.CreateSignedResponse();
        TestIdp.EncryptAssertion(document, TestIdp.Sp, "http://www.w3.org/2001/04/xmlenc#aes256-cbc");
        var p = CreateParameters();
        var parameters = new SamlValidationParameters
        {
            IdentityProvider = p.IdentityProvider,
            ExpectedAudiences = p.ExpectedAudiences,
            ExpectedDestinations = p.ExpectedDestinations,
            ExpectedInResponseTo = p.ExpectedInResponseTo,
            ReplayCache = _replayCache,
            TimeProvider = _time,
            DecryptionCertificates = p.DecryptionCertificates,
            AllowCbcContentEncryption = true,
        };

        // Act
        var result = await ValidateAsync(document, parameters);

        // Assert
        Assert.True(result.Succeeded, result.ToString());
    }

    [Theory]
    [InlineData("ciphertext")]
    [InlineData("key")]
    [InlineData("other-recipient")]
    public async Task ValidateAsync_Case54_CorruptedCiphertextOrKey_AllFailAlikeAsEncDecrypt(string corrupt)
    {
        // Arrange
        var document = TestIdp.CreateSignedResponse();
        TestIdp.EncryptAssertion(document, corrupt == "other-recipient" ? TestIdp.Evil : TestIdp.Sp);
        var values = document.GetElementsByTagName("CipherValue", "http://www.w3.org/2001/04/xmlenc#").Cast<XmlElement>().ToList();
        if (corrupt != "other-recipient")
        {
            var target = corrupt == "key" ? values[0] : values[1];
            var bytes = Convert.FromBase64String(target.InnerText);
            bytes[^20] ^= 0x55;
            target.InnerText = Convert.ToBase64String(bytes);
        }

        // Act
        var result = await ValidateAsync(document);

        // Assert
        AssertRejected(result, SamlFailureReason.EncDecrypt);
        Assert.Equal("The encrypted assertion cannot be decrypted.", result.Detail);
    }

    [Fact]
    public async Task ValidateAsync_Case55_CipherReference_IsEncAlg()
    {
        // Arrange
        var document = TestIdp.CreateSignedResponse();
        TestIdp.EncryptAssertion(document, TestIdp.Sp);
        var cipherData = document.GetElementsByTagName("CipherData", "http://www.w3.org/2001/04/xmlenc#").Cast<XmlElement>().Last();
        cipherData.RemoveAll();
        cipherData.AppendChild(document.ImportNode(
            TestIdp.Load("""<xenc:CipherReference xmlns:xenc="http://www.w3.org/2001/04/xmlenc#" URI="http://attacker.test/c"/>""").DocumentElement!, true));

        // Act / Assert
        await AssertRejectedAsync(document, SamlFailureReason.EncAlg);
    }

    [Fact]
    public async Task ValidateAsync_Case55_RetrievalMethodInKeyInfo_IsEncAlg()
    {
        // Arrange
        var document = TestIdp.CreateSignedResponse();
        TestIdp.EncryptAssertion(document, TestIdp.Sp);
        var keyInfo = TestIdp.First(document, "KeyInfo", SamlNs.Dsig);
        keyInfo.AppendChild(Element(document, """<ds:RetrievalMethod URI="#self" Type="http://www.w3.org/2001/04/xmlenc#EncryptedKey"/>"""));

        // Act / Assert
        await AssertRejectedAsync(document, SamlFailureReason.EncAlg);
    }

    [Fact]
    public async Task ValidateAsync_Case55_EncryptedKeyNestedThousandDeep_IsXmlMalformed()
    {
        // Arrange
        var document = TestIdp.CreateSignedResponse();
        TestIdp.EncryptAssertion(document, TestIdp.Sp);
        var nested = new StringBuilder();
        for (var i = 0; i < 1000; i++)
        {
            nested.Append("<xenc:EncryptedKey xmlns:xenc=\"http://www.w3.org/2001/04/xmlenc#\"><ds:KeyInfo xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\">");
        }

        for (var i = 0; i < 1000; i++)
        {
            nested.Append("</ds:KeyInfo></xenc:EncryptedKey>");
        }

        var xml = document.OuterXml.Replace("</ds:KeyInfo><xenc:CipherData>", nested + "</ds:KeyInfo><xenc:CipherData>", StringComparison.Ordinal);

        // Act
        var result = await new SamlResponseValidator().ValidateAsync(Convert.ToBase64String(Encoding.UTF8.GetBytes(xml)), CreateParameters(), CancellationToken.None);

        // Assert
        AssertRejected(result, SamlFailureReason.XmlMalformed);
    }

    [Fact]
    public async Task ValidateAsync_Case56a_EncryptedPlusPlainAssertion_IsAssertionCount()
    {
        // Arrange
        var document = TestIdp.CreateSignedResponse();
        var other = Signed(d => TestIdp.Assertion(d).SetAttribute("ID", "_a2"));
        TestIdp.EncryptAssertion(document, TestIdp.Sp);
        document.DocumentElement!.AppendChild(document.ImportNode(TestIdp.Assertion(other), true));

        // Act / Assert
        await AssertRejectedAsync(document, SamlFailureReason.AssertionCount);
    }

    [Fact]
    public async Task ValidateAsync_Case56b_PlaintextHoldsTwoAssertions_IsAssertionCount()
    {
        // Arrange
        var document = TestIdp.CreateSignedResponse();
        var assertion = TestIdp.Assertion(document).OuterXml;
        TestIdp.EncryptAssertion(document, TestIdp.Sp, plaintextOverride: assertion + assertion.Replace("ID=\"_a1\"", "ID=\"_a2\"", StringComparison.Ordinal));

        // Act / Assert
        await AssertRejectedAsync(document, SamlFailureReason.AssertionCount);
    }

    [Fact]
    public async Task ValidateAsync_Case56c_TwoEncryptedAssertions_IsAssertionCount()
    {
        // Arrange
        var document = TestIdp.CreateSignedResponse();
        TestIdp.EncryptAssertion(document, TestIdp.Sp);
        var encrypted = TestIdp.First(document, "EncryptedAssertion");
        document.DocumentElement!.AppendChild(encrypted.CloneNode(true));

        // Act / Assert
        await AssertRejectedAsync(document, SamlFailureReason.AssertionCount);
    }

    [Fact]
    public async Task ValidateAsync_Case57_ExpiredEncryptedAssertion_IsExpired()
    {
        // Arrange
        var document = TestIdp.CreateSignedResponse();
        TestIdp.EncryptAssertion(document, TestIdp.Sp);
        _time.SetUtcNow(TestIdp.Now.AddHours(1));

        // Act / Assert
        await AssertRejectedAsync(document, SamlFailureReason.Expired);
    }

    [Fact]
    public async Task ValidateAsync_Case57_WrongAudienceEncryptedAssertion_IsAudience()
    {
        // Arrange
        var document = Signed(d => TestIdp.First(d, "Audience").InnerText = "https://other-sp.test/saml");
        TestIdp.EncryptAssertion(document, TestIdp.Sp);

        // Act / Assert
        await AssertRejectedAsync(document, SamlFailureReason.Audience);
    }
}
