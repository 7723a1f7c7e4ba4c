using System.Xml;
using Microsoft.Extensions.Time.Testing;
using Portal.Core.Federation.Saml;
using static Portal.Tests.Core.Federation.Saml.SamlDom;

namespace Portal.Tests.Core.Federation.Saml;

/// <summary>
/// SamlResponseValidator against the golden fixture of SECURITY-CASES §0.1. Every attack test starts from a valid
/// message and breaks it in one place; the case number is in the test name. Split by catalog group into partial files.
/// </summary>
public partial class SamlResponseValidatorTests
{
    private static readonly TimeSpan Skew = SamlValidationParameters.DefaultClockSkew;
    private readonly FakeTimeProvider _time = new(TestIdp.Now);
    private readonly InMemorySamlReplayCache _replayCache;

    public SamlResponseValidatorTests()
    {
        _replayCache = new InMemorySamlReplayCache(_time);
    }

    [Fact]
    public async Task ValidateAsync_SignedAssertion_ReturnsAssertionData()
    {
        // Arrange
        var document = TestIdp.CreateSignedResponse();

        // Act
        var result = await ValidateAsync(document);

        // Assert
        Assert.True(result.Succeeded, result.ToString());
        var data = result.Assertion;
        Assert.Equal("_r1", data.ResponseId);
        Assert.Equal("_a1", data.AssertionId);
        Assert.Equal(TestIdp.EntityId, data.Issuer);
        Assert.Equal("alice@corp.test", data.NameId);
        Assert.Equal("urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress", data.NameIdFormat);
        Assert.Equal("_s1", data.SessionIndex);
        Assert.Equal(TestIdp.Now, data.AuthnInstant);
        Assert.Equal("urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport", data.AuthnContextClassRef);
        Assert.Equal(TestIdp.Now.AddHours(8), data.SessionNotOnOrAfter);
        Assert.Equal(TestIdp.AcsUrl, data.Recipient);
        Assert.Equal(TestIdp.Now.AddMinutes(5), data.SubjectConfirmationNotOnOrAfter);
        Assert.Equal(TestIdp.Now.AddMinutes(-1), data.NotBefore);
        Assert.Equal(TestIdp.Now.AddMinutes(5), data.NotOnOrAfter);
        Assert.Equal([TestIdp.SpEntityId], data.Audiences);
        Assert.Equal(TestIdp.RequestId, data.InResponseTo);
        Assert.Equal([$"{TestIdp.RoleArn},{TestIdp.ProviderArn}"], data.Attributes[TestIdp.RoleAttribute]);
        Assert.Equal(["alice"], data.Attributes[TestIdp.RoleSessionNameAttribute]);
        Assert.Null(result.Reason);
    }

    [Fact]
    public async Task ValidateAsync_ResponseOnlySignedForResponseSigningIdp_Succeeds()
    {
        // Arrange
        var document = TestIdp.CreateResponse();
        TestIdp.SignResponse(document, TestIdp.Idp);
        var parameters = CreateParameters(TestIdp.Provider(wantAssertionsSigned: false));

        // Act
        var result = await ValidateAsync(document, parameters);

        // Assert
        Assert.True(result.Succeeded, result.ToString());
        Assert.Equal("alice@corp.test", result.Assertion.NameId);
    }

    [Fact]
    public async Task ValidateAsync_ResponseOnlySignedWhenAssertionsMustBeSigned_IsSigMissing()
    {
        // Arrange
        var document = TestIdp.CreateResponse();
        TestIdp.SignResponse(document, TestIdp.Idp);

        // Act
        var result = await ValidateAsync(document);

        // Assert
        AssertRejected(result, SamlFailureReason.SigMissing);
    }

    [Fact]
    public async Task ValidateAsync_ResponseAndAssertionSigned_Succeeds()
    {
        // Arrange
        var document = TestIdp.CreateSignedResponse();
        TestIdp.SignResponse(document, TestIdp.Idp);

        // Act
        var result = await ValidateAsync(document);

        // Assert
        Assert.True(result.Succeeded, result.ToString());
    }

    [Fact]
    public async Task ValidateAsync_EncryptedSignedAssertion_Succeeds()
    {
        // Arrange
        var document = TestIdp.CreateSignedResponse();
        TestIdp.EncryptAssertion(document, TestIdp.Sp);

        // Act
        var result = await ValidateAsync(document);

        // Assert
        Assert.True(result.Succeeded, result.ToString());
        Assert.Equal("alice@corp.test", result.Assertion.NameId);
    }

    [Fact]
    public async Task ValidateAsync_EncryptedAssertionInSignedResponse_Succeeds()
    {
        // Arrange
        var document = TestIdp.CreateSignedResponse();
        TestIdp.EncryptAssertion(document, TestIdp.Sp);
        TestIdp.SignResponse(document, TestIdp.Idp);

        // Act
        var result = await ValidateAsync(document);

        // Assert
        Assert.True(result.Succeeded, result.ToString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ValidateAsync_CertificateRollover_AcceptsEitherConfiguredKey(bool signWithNextKey)
    {
        // Arrange
        var document = TestIdp.CreateResponse();
        TestIdp.SignAssertion(document, signWithNextKey ? TestIdp.IdpNext : TestIdp.Idp);
        var parameters = CreateParameters(TestIdp.Provider(false, true, TestIdp.IdpNext, TestIdp.Idp));

        // Act
        var result = await ValidateAsync(document, parameters);

        // Assert
        Assert.True(result.Succeeded, result.ToString());
    }

    [Fact]
    public async Task ValidateAsync_NotBeforeExactlyNowPlusSkew_Succeeds()
    {
        // Arrange: SAML Core §2.5.1.2; NotBefore is inclusive, the skew is applied once.
        var document = Signed(d => SetAttribute(d, "Conditions", "NotBefore", TestIdp.Time(TestIdp.Now.Add(Skew))));

        // Act
        var result = await ValidateAsync(document);

        // Assert
        Assert.True(result.Succeeded, result.ToString());
    }

    [Fact]
    public async Task ValidateAsync_NotOnOrAfterOneSecondAfterNowMinusSkew_Succeeds()
    {
        // Arrange: the latest instant that still validates is NotOnOrAfter + skew - 1s.
        var document = TestIdp.CreateSignedResponse();
        _time.SetUtcNow(TestIdp.Now.AddMinutes(5).Add(Skew).AddSeconds(-1));

        // Act
        var result = await ValidateAsync(document);

        // Assert
        Assert.True(result.Succeeded, result.ToString());
    }

    [Fact]
    public async Task ValidateAsync_StsModeReuseAllowed_AcceptsSecondUse()
    {
        // Arrange: SECURITY-CASES N.16, STS API may allow reuse within validity when configured.
        var encoded = TestIdp.Encode(TestIdp.CreateSignedResponse());
        var parameters = CreateParameters();
        var reusable = new SamlValidationParameters
        {
            IdentityProvider = parameters.IdentityProvider,
            ExpectedAudiences = parameters.ExpectedAudiences,
            ExpectedDestinations = parameters.ExpectedDestinations,
            ExpectedInResponseTo = parameters.ExpectedInResponseTo,
            ReplayCache = _replayCache,
            TimeProvider = _time,
            EnforceOneTimeUse = false,
        };
        var validator = new SamlResponseValidator();
        await validator.ValidateAsync(encoded, reusable, CancellationToken.None);

        // Act
        var result = await validator.ValidateAsync(encoded, reusable, CancellationToken.None);

        // Assert
        Assert.True(result.Succeeded, result.ToString());
    }

    private SamlValidationParameters CreateParameters(SamlIdentityProvider? provider = null, string? inResponseTo = TestIdp.RequestId) => new()
    {
        IdentityProvider = provider ?? TestIdp.Provider(),
        ExpectedAudiences = [TestIdp.SpEntityId],
        ExpectedDestinations = [TestIdp.AcsUrl],
        ExpectedInResponseTo = inResponseTo,
        ReplayCache = _replayCache,
        TimeProvider = _time,
        DecryptionCertificates = [TestIdp.Sp],
    };

    private Task<SamlValidationResult> ValidateAsync(XmlDocument document, SamlValidationParameters? parameters = null) =>
        new SamlResponseValidator().ValidateAsync(TestIdp.Encode(document), parameters ?? CreateParameters(), CancellationToken.None);

    private async Task AssertRejectedAsync(XmlDocument document, SamlFailureReason expected, SamlValidationParameters? parameters = null) =>
        AssertRejected(await ValidateAsync(document, parameters), expected);

    private static void AssertRejected(SamlValidationResult result, SamlFailureReason expected)
    {
        Assert.False(result.Succeeded, "Expected rejection " + expected.ToCode());
        Assert.True(expected == result.Reason, $"Expected {expected.ToCode()} but got {result}");
        Assert.Null(result.Assertion);
    }

    private static XmlDocument Signed(Action<XmlDocument> beforeSigning) => SamlCaseContext.Golden.Signed(beforeSigning);
}
