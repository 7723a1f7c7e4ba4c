using System.Xml;
using Portal.Core.Federation.Saml;
using static Portal.Tests.Core.Federation.Saml.SamlDom;

namespace Portal.Tests.Core.Federation.Saml;

/// <summary>SECURITY-CASES group D: SAML protocol checks (cases 38–52).</summary>
public partial class SamlResponseValidatorTests
{
    [Fact]
    public async Task ValidateAsync_Case48_OneTimeUseWhenReuseAllowed_SecondUseIsReplay()
    {
        // Arrange: OneTimeUse forces one-time use even in STS reuse mode (SAML Core §2.5.1.5).
        var document = Signed(d => TestIdp.First(d, "Conditions").AppendChild(Element(d, "<saml:OneTimeUse/>")));
        var parameters = Reusable(CreateParameters());
        var first = await ValidateAsync(document, parameters);

        // Act
        var second = await ValidateAsync(document, parameters);

        // Assert
        Assert.True(first.Succeeded, first.ToString());
        Assert.True(first.Assertion.OneTimeUse);
        AssertRejected(second, SamlFailureReason.Replay);
    }

    [Fact]
    public async Task ValidateAsync_Case48_ProxyRestriction_IsAccepted()
    {
        // Arrange
        var document = Signed(d => TestIdp.First(d, "Conditions").AppendChild(Element(d, "<saml:ProxyRestriction Count=\"0\"/>")));

        // Act
        var result = await ValidateAsync(document);

        // Assert
        Assert.True(result.Succeeded, result.ToString());
    }

    [Fact]
    public async Task ValidateAsync_Case50_UnsolicitedWhenIdpInitiatedEnabled_Succeeds()
    {
        // Arrange
        var document = Signed(RemoveInResponseTo);

        // Act
        var result = await ValidateAsync(document, CreateParameters(TestIdp.Provider(allowIdpInitiated: true), inResponseTo: null));

        // Assert
        Assert.True(result.Succeeded, result.ToString());
        Assert.Null(result.Assertion.InResponseTo);
    }

    [Fact]
    public async Task ValidateAsync_Case51a_SameResponseTwice_IsReplay()
    {
        // Arrange
        var document = TestIdp.CreateSignedResponse();
        var first = await ValidateAsync(document);

        // Act
        var second = await ValidateAsync(document);

        // Assert
        Assert.True(first.Succeeded, first.ToString());
        AssertRejected(second, SamlFailureReason.Replay);
    }

    [Fact]
    public async Task ValidateAsync_Case51b_SameAssertionInNewResponse_IsReplay()
    {
        // Arrange
        var document = TestIdp.CreateSignedResponse();
        await ValidateAsync(document);
        document.DocumentElement!.SetAttribute("ID", "_r2");

        // Act / Assert
        await AssertRejectedAsync(document, SamlFailureReason.Replay);
    }

    [Fact]
    public async Task ValidateAsync_Case51_RejectedMessageDoesNotConsumeAssertionId()
    {
        // Arrange
        var document = TestIdp.CreateSignedResponse();
        var wrongEndpoint = CreateParameters();
        await ValidateAsync(document, new SamlValidationParameters
        {
            IdentityProvider = wrongEndpoint.IdentityProvider,
            ExpectedAudiences = ["https://other-sp.test"],
            ExpectedDestinations = wrongEndpoint.ExpectedDestinations,
            ExpectedInResponseTo = wrongEndpoint.ExpectedInResponseTo,
            ReplayCache = _replayCache,
            TimeProvider = _time,
        });

        // Act
        var result = await ValidateAsync(document);

        // Assert
        Assert.True(result.Succeeded, result.ToString());
    }

    private SamlValidationParameters Reusable(SamlValidationParameters p) => new()
    {
        IdentityProvider = p.IdentityProvider,
        ExpectedAudiences = p.ExpectedAudiences,
        ExpectedDestinations = p.ExpectedDestinations,
        ExpectedInResponseTo = p.ExpectedInResponseTo,
        ReplayCache = _replayCache,
        TimeProvider = _time,
        DecryptionCertificates = p.DecryptionCertificates,
        EnforceOneTimeUse = false,
    };
}
