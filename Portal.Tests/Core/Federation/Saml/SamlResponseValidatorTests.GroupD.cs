using System.Xml;
using Portal.Core.Federation.Saml;

namespace Portal.Tests.Core.Federation.Saml;

/// <summary>SECURITY-CASES group D: SAML protocol checks (cases 38–52).</summary>
public partial class SamlResponseValidatorTests
{
    [Theory]
    [InlineData("""<samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Responder"/>""")]
    [InlineData("""<samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Responder"><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:RequestDenied"/></samlp:StatusCode>""")]
    public async Task ValidateAsync_Case38_StatusNotSuccess_IsStatus(string statusCode)
    {
        // Arrange
        var document = TestIdp.CreateSignedResponse();
        var status = TestIdp.First(document, "Status", SamlNs.Protocol);
        status.RemoveAll();
        status.AppendChild(Element(document, statusCode));

        // Act / Assert
        await AssertRejectedAsync(document, SamlFailureReason.Status);
    }

    [Fact]
    public async Task ValidateAsync_Case39a_ResponseVersion11_IsVersion()
    {
        // Arrange
        var document = TestIdp.CreateSignedResponse();
        document.DocumentElement!.SetAttribute("Version", "1.1");

        // Act / Assert
        await AssertRejectedAsync(document, SamlFailureReason.Version);
    }

    [Fact]
    public async Task ValidateAsync_Case39a_AssertionVersion11SignedByIdp_IsVersion()
    {
        // Arrange
        var document = Signed(d => TestIdp.Assertion(d).SetAttribute("Version", "1.1"));

        // Act / Assert
        await AssertRejectedAsync(document, SamlFailureReason.Version);
    }

    [Theory]
    [InlineData("missing-id")]
    [InlineData("logout-response")]
    [InlineData("foreign-namespace")]
    public async Task ValidateAsync_Case39bcd_WrongRootOrMissingId_IsXmlMalformed(string variant)
    {
        // Arrange
        var xml = TestIdp.CreateSignedResponse().OuterXml;
        xml = variant switch
        {
            "missing-id" => xml.Replace("ID=\"_r1\" ", string.Empty, StringComparison.Ordinal),
            "logout-response" => xml.Replace("<samlp:Response ", "<samlp:LogoutResponse ", StringComparison.Ordinal)
                .Replace("</samlp:Response>", "</samlp:LogoutResponse>", StringComparison.Ordinal),
            _ => xml.Replace("<samlp:Response ", "<x:Response xmlns:x=\"urn:not-saml\" ", StringComparison.Ordinal)
                .Replace("</samlp:Response>", "</x:Response>", StringComparison.Ordinal),
        };

        // Act / Assert
        await AssertRejectedAsync(TestIdp.Load(xml), SamlFailureReason.XmlMalformed);
    }

    public static TheoryData<string> Case40Variants => new() { "assertion-issuer-missing", "assertion-issuer-idp2", "format", "no-trailing-slash" };

    [Theory]
    [MemberData(nameof(Case40Variants))]
    public async Task ValidateAsync_Case40_IssuerMissingOrMismatched_IsIssuer(string variant)
    {
        // Arrange: the IdP signed each of these assertions, so only the issuer rule can refuse them.
        var document = Signed(d =>
        {
            var issuer = TestIdp.First(TestIdp.Assertion(d), "Issuer");
            switch (variant)
            {
                case "assertion-issuer-missing":
                    Remove(issuer);
                    break;
                case "assertion-issuer-idp2":
                    issuer.InnerText = TestIdp.Idp2EntityId;
                    break;
                case "format":
                    issuer.SetAttribute("Format", "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified");
                    break;
                default:
                    issuer.InnerText = "https://idp.test";
                    break;
            }
        });

        // Act / Assert
        await AssertRejectedAsync(document, SamlFailureReason.Issuer);
    }

    [Fact]
    public async Task ValidateAsync_Case40b_ResponseIssuerDiffersFromAssertionIssuer_IsIssuer()
    {
        // Arrange
        var document = TestIdp.CreateSignedResponse();
        TestIdp.First(document, "Issuer").InnerText = TestIdp.Idp2EntityId;

        // Act / Assert
        await AssertRejectedAsync(document, SamlFailureReason.Issuer);
    }

    public static TheoryData<string> Case41Variants => new() { "other-sp", "no-restriction", "second-restriction-without-us", "trailing-slash", "case" };

    [Theory]
    [MemberData(nameof(Case41Variants))]
    public async Task ValidateAsync_Case41_AudienceWrongOrMissing_IsAudience(string variant)
    {
        // Arrange
        var document = Signed(d =>
        {
            var audience = TestIdp.First(d, "Audience");
            switch (variant)
            {
                case "other-sp":
                    audience.InnerText = "https://other-sp.test/saml";
                    break;
                case "no-restriction":
                    Remove(audience.ParentNode!);
                    break;
                case "second-restriction-without-us":
                    TestIdp.First(d, "Conditions").AppendChild(Element(d, "<saml:AudienceRestriction><saml:Audience>https://other-sp.test/saml</saml:Audience></saml:AudienceRestriction>"));
                    break;
                case "trailing-slash":
                    audience.InnerText = TestIdp.SpEntityId + "/";
                    break;
                default:
                    audience.InnerText = TestIdp.SpEntityId.ToUpperInvariant();
                    break;
            }
        });

        // Act / Assert
        await AssertRejectedAsync(document, SamlFailureReason.Audience);
    }

    [Theory]
    [InlineData("https://evil.test/acs")]
    [InlineData("")]
    [InlineData("https://PORTAL.test/saml/acs")] // exact compare by design (stricter than the catalog's host-case leniency)
    [InlineData(null)] // absent on a signed Response
    public async Task ValidateAsync_Case42_DestinationOfSignedResponse_IsDestination(string? destination)
    {
        // Arrange
        var document = TestIdp.CreateSignedResponse();
        if (destination is null)
        {
            document.DocumentElement!.RemoveAttribute("Destination");
        }
        else
        {
            document.DocumentElement!.SetAttribute("Destination", destination);
        }

        TestIdp.SignResponse(document, TestIdp.Idp);

        // Act / Assert
        await AssertRejectedAsync(document, SamlFailureReason.Destination);
    }

    [Fact]
    public async Task ValidateAsync_Case42_WrongDestinationOnUnsignedResponse_IsDestination()
    {
        // Arrange
        var document = TestIdp.CreateSignedResponse();
        document.DocumentElement!.SetAttribute("Destination", "https://evil.test/acs");

        // Act / Assert
        await AssertRejectedAsync(document, SamlFailureReason.Destination);
    }

    [Theory]
    [InlineData("https://evil.test/?next=https://portal.test/saml/acs")]
    [InlineData("https://portal.test/saml/acs/../../evil")]
    [InlineData(null)]
    public async Task ValidateAsync_Case43_RecipientNotExact_IsRecipient(string? recipient)
    {
        // Arrange
        var document = Signed(d =>
        {
            if (recipient is null)
            {
                RemoveAttribute(d, "SubjectConfirmationData", "Recipient");
            }
            else
            {
                SetAttribute(d, "SubjectConfirmationData", "Recipient", recipient);
            }
        });

        // Act / Assert
        await AssertRejectedAsync(document, SamlFailureReason.Recipient);
    }

    public static TheoryData<string> Case44Variants => new() { "holder-of-key", "none", "no-data", "bad-bearer-plus-hok" };

    [Theory]
    [MemberData(nameof(Case44Variants))]
    public async Task ValidateAsync_Case44_NotExactlyOneBearerConfirmation_IsSubjectConfirmation(string variant)
    {
        // Arrange
        var document = Signed(d =>
        {
            var confirmation = TestIdp.First(d, "SubjectConfirmation");
            switch (variant)
            {
                case "holder-of-key":
                    confirmation.SetAttribute("Method", "urn:oasis:names:tc:SAML:2.0:cm:holder-of-key");
                    break;
                case "none":
                    Remove(confirmation);
                    break;
                case "no-data":
                    Remove(TestIdp.First(d, "SubjectConfirmationData"));
                    break;
                default:
                    var hok = (XmlElement)confirmation.CloneNode(true);
                    hok.SetAttribute("Method", "urn:oasis:names:tc:SAML:2.0:cm:holder-of-key");
                    TestIdp.First(confirmation, "SubjectConfirmationData").SetAttribute("Recipient", "https://evil.test/acs");
                    confirmation.ParentNode!.AppendChild(hok);
                    break;
            }
        });

        // Act / Assert
        await AssertRejectedAsync(document, SamlFailureReason.SubjectConfirmation);
    }

    [Fact]
    public async Task ValidateAsync_Case45a_ConditionsExpiredBeyondSkew_IsExpired()
    {
        // Arrange: Conditions NotOnOrAfter = T - S - 1s (SubjectConfirmationData left valid).
        var document = Signed(d =>
        {
            SetAttribute(d, "Conditions", "NotBefore", TestIdp.Time(TestIdp.Now.AddMinutes(-10)));
            SetAttribute(d, "Conditions", "NotOnOrAfter", TestIdp.Time(TestIdp.Now - Skew - TimeSpan.FromSeconds(1)));
        });

        // Act / Assert
        await AssertRejectedAsync(document, SamlFailureReason.Expired);
    }

    [Fact]
    public async Task ValidateAsync_Case45b_NotOnOrAfterExactlyNowMinusSkew_IsExpired()
    {
        // Arrange: NotOnOrAfter is exclusive.
        var document = TestIdp.CreateSignedResponse();
        _time.SetUtcNow(TestIdp.Now.AddMinutes(5).Add(Skew));

        // Act / Assert
        await AssertRejectedAsync(document, SamlFailureReason.Expired);
    }

    [Fact]
    public async Task ValidateAsync_Case45c_NotBeforeBeyondSkew_IsNotYetValid()
    {
        // Arrange
        var document = Signed(d => SetAttribute(d, "Conditions", "NotBefore", TestIdp.Time(TestIdp.Now + Skew + TimeSpan.FromSeconds(1))));

        // Act / Assert
        await AssertRejectedAsync(document, SamlFailureReason.NotYetValid);
    }

    [Fact]
    public async Task ValidateAsync_Case45d_SubjectConfirmationExpiredWhileConditionsValid_IsExpired()
    {
        // Arrange
        var document = Signed(d => SetAttribute(d, "SubjectConfirmationData", "NotOnOrAfter", TestIdp.Time(TestIdp.Now - Skew - TimeSpan.FromSeconds(1))));

        // Act / Assert
        await AssertRejectedAsync(document, SamlFailureReason.Expired);
    }

    [Fact]
    public async Task ValidateAsync_Case45e_NotBeforeAfterNotOnOrAfter_IsTimeFormat()
    {
        // Arrange
        var document = Signed(d => SetAttribute(d, "Conditions", "NotBefore", TestIdp.Time(TestIdp.Now.AddMinutes(6))));

        // Act / Assert
        await AssertRejectedAsync(document, SamlFailureReason.TimeFormat);
    }

    [Fact]
    public async Task ValidateAsync_Case46_NoNotOnOrAfterAnywhere_IsExpired()
    {
        // Arrange
        var document = Signed(d =>
        {
            RemoveAttribute(d, "SubjectConfirmationData", "NotOnOrAfter");
            RemoveAttribute(d, "Conditions", "NotOnOrAfter");
        });

        // Act / Assert
        await AssertRejectedAsync(document, SamlFailureReason.Expired);
    }

    [Theory]
    [InlineData("2100-01-01T00:00:00")]
    [InlineData("2100-01-01T00:00:00+14:00")]
    [InlineData("2100-13-45T00:00:00Z")]
    [InlineData("99999-01-01T00:00:00Z")]
    [InlineData("2024-01-01T00:00:00.123456789012Z")]
    [InlineData("")]
    [InlineData(" 2100-01-01T00:00:00Z")]
    public async Task ValidateAsync_Case47_MalformedNotOnOrAfter_IsTimeFormat(string value)
    {
        // Arrange
        var document = Signed(d => SetAttribute(d, "SubjectConfirmationData", "NotOnOrAfter", value));

        // Act / Assert
        await AssertRejectedAsync(document, SamlFailureReason.TimeFormat);
    }

    [Theory]
    [InlineData(-365 * 24 * 60, SamlFailureReason.Expired)]
    [InlineData(60, SamlFailureReason.NotYetValid)]
    public async Task ValidateAsync_Case47_IssueInstantOutsideFreshnessWindow_IsRejected(int minutes, SamlFailureReason expected)
    {
        // Arrange
        var document = Signed(d => TestIdp.Assertion(d).SetAttribute("IssueInstant", TestIdp.Time(TestIdp.Now.AddMinutes(minutes))));

        // Act / Assert
        await AssertRejectedAsync(document, expected);
    }

    [Fact]
    public async Task ValidateAsync_Case48_UnknownCondition_IsConditionUnknown()
    {
        // Arrange
        var document = Signed(d => TestIdp.First(d, "Conditions").AppendChild(
            Element(d, """<saml:Condition xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:x="urn:x" xsi:type="x:Custom"/>""")));

        // Act / Assert
        await AssertRejectedAsync(document, SamlFailureReason.ConditionUnknown);
    }

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
    public async Task ValidateAsync_Case49a_OtherInResponseTo_IsInResponseTo()
    {
        // Arrange
        var document = Signed(d =>
        {
            d.DocumentElement!.SetAttribute("InResponseTo", "_other");
            SetAttribute(d, "SubjectConfirmationData", "InResponseTo", "_other");
        });

        // Act / Assert
        await AssertRejectedAsync(document, SamlFailureReason.InResponseTo);
    }

    [Fact]
    public async Task ValidateAsync_Case49b_MissingInResponseToWhileRequestPending_IsInResponseTo()
    {
        // Arrange
        var document = Signed(d =>
        {
            d.DocumentElement!.RemoveAttribute("InResponseTo");
            RemoveAttribute(d, "SubjectConfirmationData", "InResponseTo");
        });

        // Act / Assert
        await AssertRejectedAsync(document, SamlFailureReason.InResponseTo);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("_other")]
    public async Task ValidateAsync_Case49e_InResponseToOnlyOnUnsignedResponse_IsInResponseTo(string? signedValue)
    {
        // Arrange: the Response (unsigned) says _req1, the signed assertion says something else or nothing.
        var document = Signed(d =>
        {
            if (signedValue is null)
            {
                RemoveAttribute(d, "SubjectConfirmationData", "InResponseTo");
            }
            else
            {
                SetAttribute(d, "SubjectConfirmationData", "InResponseTo", signedValue);
            }
        });

        // Act / Assert
        await AssertRejectedAsync(document, SamlFailureReason.InResponseTo);
    }

    [Fact]
    public async Task ValidateAsync_Case50_UnsolicitedWhenIdpInitiatedDisabled_IsUnsolicited()
    {
        // Arrange
        var document = Signed(RemoveInResponseTo);

        // Act / Assert
        await AssertRejectedAsync(document, SamlFailureReason.Unsolicited, CreateParameters(inResponseTo: null));
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
    public async Task ValidateAsync_Case50_IdpInitiatedEnabledButInResponseToPresent_IsInResponseTo()
    {
        // Arrange
        var document = TestIdp.CreateSignedResponse();

        // Act / Assert
        await AssertRejectedAsync(document, SamlFailureReason.InResponseTo, CreateParameters(TestIdp.Provider(allowIdpInitiated: true), inResponseTo: null));
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

    [Fact]
    public async Task ValidateAsync_Case52_StsAssertionPostedToAcs_IsAudience()
    {
        // Arrange: Audience https://signin.aws.amazon.com/saml, Recipient our ACS (so only the audience rule decides).
        var document = Signed(d => TestIdp.First(d, "Audience").InnerText = "https://signin.aws.amazon.com/saml");

        // Act / Assert
        await AssertRejectedAsync(document, SamlFailureReason.Audience);
    }

    private static void RemoveInResponseTo(XmlDocument document)
    {
        document.DocumentElement!.RemoveAttribute("InResponseTo");
        RemoveAttribute(document, "SubjectConfirmationData", "InResponseTo");
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
