using Portal.Core.Federation.Saml;
using static Portal.Tests.Core.Federation.Saml.SamlDom;

namespace Portal.Tests.Core.Federation.Saml;

/// <summary>SECURITY-CASES group E: encrypted assertions (cases 53–57; case 58 is the redirect binding, not this validator).</summary>
public partial class SamlResponseValidatorTests
{
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
    public async Task ValidateAsync_Case54_CorruptedCiphertextOrKey_AllShareOneDetail(string corrupt)
    {
        // Arrange: the reason code (ENC_DECRYPT) is asserted by the attack table; here no failure may read differently.
        var document = SamlAttackCases.Corrupted(SamlCaseContext.Golden, corrupt);

        // Act
        var result = await ValidateAsync(document);

        // Assert
        AssertRejected(result, SamlFailureReason.EncDecrypt);
        Assert.Equal("The encrypted assertion cannot be decrypted.", result.Detail);
    }
}
