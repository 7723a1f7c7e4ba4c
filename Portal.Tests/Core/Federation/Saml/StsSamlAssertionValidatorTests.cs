using System.Xml;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Portal.Core.Federation.Saml;
using Portal.Core.Sts;

namespace Portal.Tests.Core.Federation.Saml;

public class StsSamlAssertionValidatorTests
{
    private const string StsRecipient = "https://signin.aws.amazon.com/saml";
    private const string PartnerArn = "arn:aws:iam::111111111111:saml-provider/Partner";
    private readonly FakeTimeProvider _time = new(TestIdp.Now);

    [Fact]
    public async Task ValidateForStsAsync_ValidAwsAssertion_ReturnsValidatedAssertion()
    {
        // Arrange
        var subject = CreateSubject();

        // Act
        var outcome = await subject.ValidateForStsAsync(TestIdp.Encode(CreateStsResponse()), TestIdp.ProviderArn, CancellationToken.None);

        // Assert
        Assert.True(outcome.Succeeded, outcome.Error?.ToString());
        Assert.Equal(TestIdp.ProviderArn, outcome.Value.ProviderArn);
        Assert.Equal(StsRecipient, outcome.Value.Recipient);
        Assert.Equal("alice@corp.test", outcome.Value.Subject);
        Assert.Equal("alice", outcome.Value.RoleSessionName);
        Assert.Equal([(TestIdp.RoleArn, TestIdp.ProviderArn)], outcome.Value.Roles);
    }

    [Fact]
    public async Task ValidateForStsAsync_SameAssertionTwice_AllowedByDefault()
    {
        // Arrange: SECURITY-CASES N.16, tools that pick one of several roles reuse the assertion.
        var subject = CreateSubject();
        var encoded = TestIdp.Encode(CreateStsResponse());
        await subject.ValidateForStsAsync(encoded, TestIdp.ProviderArn, CancellationToken.None);

        // Act
        var outcome = await subject.ValidateForStsAsync(encoded, TestIdp.ProviderArn, CancellationToken.None);

        // Assert
        Assert.True(outcome.Succeeded, outcome.Error?.ToString());
    }

    [Fact]
    public async Task ValidateForStsAsync_UnknownProvider_IsInvalidIdentityToken()
    {
        // Arrange
        var subject = CreateSubject();

        // Act
        var outcome = await subject.ValidateForStsAsync(TestIdp.Encode(CreateStsResponse()), "arn:aws:iam::111111111111:saml-provider/Nope", CancellationToken.None);

        // Assert
        Assert.Equal(StsErrorCode.InvalidIdentityToken, outcome.Error!.Code);
    }

    [Fact]
    public async Task ValidateForStsAsync_Case60_SignedByCorpPresentedAsPartner_IsResponseSignatureInvalid()
    {
        // Arrange
        var subject = CreateSubject();

        // Act
        var outcome = await subject.ValidateForStsAsync(TestIdp.Encode(CreateStsResponse()), PartnerArn, CancellationToken.None);

        // Assert
        Assert.Equal(StsErrorCode.InvalidIdentityToken, outcome.Error!.Code);
        Assert.Equal(StsSamlAssertionValidator.SignatureInvalidMessage, outcome.Error.Message);
    }

    [Fact]
    public async Task ValidateForStsAsync_ExpiredAssertion_IsExpiredTokenException()
    {
        // Arrange
        var subject = CreateSubject();
        var encoded = TestIdp.Encode(CreateStsResponse());
        _time.Advance(TimeSpan.FromHours(1));

        // Act
        var outcome = await subject.ValidateForStsAsync(encoded, TestIdp.ProviderArn, CancellationToken.None);

        // Assert
        Assert.Equal(StsErrorCode.ExpiredTokenException, outcome.Error!.Code);
    }

    [Fact]
    public async Task ValidateForStsAsync_Case52_PortalAcsAssertion_IsInvalidIdentityToken()
    {
        // Arrange: Audience and Recipient name the portal ACS, not the STS endpoint.
        var subject = CreateSubject();

        // Act
        var outcome = await subject.ValidateForStsAsync(TestIdp.Encode(TestIdp.CreateSignedResponse()), TestIdp.ProviderArn, CancellationToken.None);

        // Assert
        Assert.Equal(StsErrorCode.InvalidIdentityToken, outcome.Error!.Code);
    }

    [Fact]
    public async Task ValidateForStsAsync_Case64_MatchingAudienceButOtherRecipient_IsInvalidIdentityToken()
    {
        // Arrange
        var subject = CreateSubject();
        var document = CreateStsResponse(d => ((XmlElement)d.GetElementsByTagName("SubjectConfirmationData", SamlNs.Assertion)[0]!)
            .SetAttribute("Recipient", "https://other.test/saml"));

        // Act
        var outcome = await subject.ValidateForStsAsync(TestIdp.Encode(document), TestIdp.ProviderArn, CancellationToken.None);

        // Assert
        Assert.Equal(StsErrorCode.InvalidIdentityToken, outcome.Error!.Code);
    }

    [Fact]
    public async Task ValidateForStsAsync_ConfiguredAdditionalRecipientAndLegacyAudience_Succeeds()
    {
        // Arrange
        var options = new StsSamlOptions();
        options.AdditionalRecipients.Add("https://sts.portal.test/saml");
        var subject = CreateSubject(options);
        var document = CreateStsResponse(d =>
        {
            ((XmlElement)d.GetElementsByTagName("SubjectConfirmationData", SamlNs.Assertion)[0]!).SetAttribute("Recipient", "https://sts.portal.test/saml");
            d.GetElementsByTagName("Audience", SamlNs.Assertion)[0]!.InnerText = StsSamlOptions.AwsWebServicesUrn;
        });

        // Act
        var outcome = await subject.ValidateForStsAsync(TestIdp.Encode(document), TestIdp.ProviderArn, CancellationToken.None);

        // Assert
        Assert.True(outcome.Succeeded, outcome.Error?.ToString());
        Assert.Equal("https://sts.portal.test/saml", outcome.Value.Recipient);
    }

    [Fact]
    public async Task ValidateForStsAsync_InvalidRoleSessionName_IsInvalidIdentityTokenWithAwsMessage()
    {
        // Arrange
        var subject = CreateSubject();
        var document = CreateStsResponse(d => d.GetElementsByTagName("AttributeValue", SamlNs.Assertion)[1]!.InnerText = "john doe");

        // Act
        var outcome = await subject.ValidateForStsAsync(TestIdp.Encode(document), TestIdp.ProviderArn, CancellationToken.None);

        // Assert
        Assert.Equal(StsErrorCode.InvalidIdentityToken, outcome.Error!.Code);
        Assert.Equal(AwsSamlAttributes.RoleSessionNameMessage, outcome.Error.Message);
    }

    [Theory]
    [InlineData(SamlFailureReason.Expired, StsErrorCode.ExpiredTokenException)]
    [InlineData(SamlFailureReason.SigInvalid, StsErrorCode.InvalidIdentityToken)]
    [InlineData(SamlFailureReason.NotYetValid, StsErrorCode.InvalidIdentityToken)]
    [InlineData(SamlFailureReason.XmlMalformed, StsErrorCode.InvalidIdentityToken)]
    [InlineData(SamlFailureReason.Replay, StsErrorCode.InvalidIdentityToken)]
    public void MapFailure_ReasonCode_MapsToStsError(SamlFailureReason reason, StsErrorCode expected)
    {
        // Act
        var error = StsSamlAssertionValidator.MapFailure(reason);

        // Assert
        Assert.Equal(expected, error.Code);
    }

    private StsSamlAssertionValidator CreateSubject(StsSamlOptions? options = null) => new(
        new FakeProviderSource(),
        new SamlResponseValidator(),
        new InMemorySamlReplayCache(_time),
        Options.Create(options ?? new StsSamlOptions()),
        _time);

    /// <summary>The golden response addressed to the AWS endpoint, IdP-initiated, signed by K_idp.</summary>
    private static XmlDocument CreateStsResponse(Action<XmlDocument>? change = null)
    {
        var xml = TestIdp.CreateResponse().OuterXml
            .Replace(TestIdp.AcsUrl, StsRecipient, StringComparison.Ordinal)
            .Replace($">{TestIdp.SpEntityId}<", $">{StsRecipient}<", StringComparison.Ordinal)
            .Replace($" InResponseTo=\"{TestIdp.RequestId}\"", string.Empty, StringComparison.Ordinal);
        var document = TestIdp.Load(xml);
        change?.Invoke(document);
        TestIdp.SignAssertion(document, TestIdp.Idp);
        return document;
    }

    private sealed class FakeProviderSource : ISamlProviderSource
    {
        public Task<SamlIdentityProvider?> FindByArnAsync(string providerArn, CancellationToken cancellationToken) => Task.FromResult(providerArn switch
        {
            TestIdp.ProviderArn => TestIdp.Provider(),
            PartnerArn => new SamlIdentityProvider { EntityId = TestIdp.EntityId, SigningCertificates = [TestIdp.Idp2] },
            _ => null,
        });
    }
}
