using Portal.Core.Federation.Saml;
using Portal.Core.Sts;

namespace Portal.Tests.Core.Federation.Saml;

public class AwsSamlAttributesTests
{
    private const string RolePair = "arn:aws:iam::111111111111:role/ReadOnly,arn:aws:iam::111111111111:saml-provider/Corp";

    [Fact]
    public void Map_ValidAttributes_ReturnsRolesSessionNameDurationTagsAndSourceIdentity()
    {
        // Arrange
        var assertion = CreateAssertion(a =>
        {
            a[AwsSamlAttributes.SessionDuration] = ["1800"];
            a[AwsSamlAttributes.SourceIdentity] = ["alice@corp.test"];
            a[AwsSamlAttributes.PrincipalTagPrefix + "Department"] = ["Eng"];
            a[AwsSamlAttributes.TransitiveTagKeys] = ["department"];
        });

        // Act
        var outcome = AwsSamlAttributes.Map(assertion);

        // Assert
        Assert.True(outcome.Succeeded, outcome.Error?.ToString());
        Assert.Equal([("arn:aws:iam::111111111111:role/ReadOnly", "arn:aws:iam::111111111111:saml-provider/Corp")], outcome.Value.Roles);
        Assert.Equal("alice", outcome.Value.RoleSessionName);
        Assert.Equal(1800, outcome.Value.SessionDuration);
        Assert.Equal("alice@corp.test", outcome.Value.SourceIdentity);
        Assert.Equal("Department", Assert.Single(outcome.Value.PrincipalTags).Key);
        Assert.Equal(["department"], outcome.Value.TransitiveTagKeys);
    }

    [Fact]
    public void Map_Case59_ProviderFirstPair_IsNormalisedAndCaseKept()
    {
        // Arrange: AWS accepts either order; names stay exactly as asserted so the engine compares case-sensitively.
        var assertion = CreateAssertion(a => a[AwsSamlAttributes.Role] = ["arn:aws:iam::111111111111:saml-provider/Corp, arn:aws:iam::111111111111:role/readonly"]);

        // Act
        var outcome = AwsSamlAttributes.Map(assertion);

        // Assert
        Assert.True(outcome.Succeeded);
        Assert.Equal([("arn:aws:iam::111111111111:role/readonly", "arn:aws:iam::111111111111:saml-provider/Corp")], outcome.Value.Roles);
    }

    [Theory]
    [InlineData("x</saml:AttributeValue><saml:AttributeValue>arn:aws:iam::111111111111:role/Admin,arn:aws:iam::111111111111:saml-provider/Corp")] // case 35d
    [InlineData("arn:aws:iam::111111111111:role/ReadOnly")]
    [InlineData("arn:aws:iam::111111111111:role/A,arn:aws:iam::111111111111:role/B")]
    [InlineData("arn:aws:iam::111111111111:role/A,arn:aws:iam::111111111111:saml-provider/Corp,extra")]
    public void Map_MalformedRoleValue_IsInvalidIdentityToken(string value)
    {
        // Arrange
        var assertion = CreateAssertion(a => a[AwsSamlAttributes.Role] = [value]);

        // Act
        var outcome = AwsSamlAttributes.Map(assertion);

        // Assert
        AssertInvalid(outcome);
    }

    [Fact]
    public void Map_MissingRoleAttribute_IsInvalidIdentityToken()
    {
        // Arrange
        var assertion = CreateAssertion(a => a.Remove(AwsSamlAttributes.Role));

        // Act / Assert
        AssertInvalid(AwsSamlAttributes.Map(assertion));
    }

    [Theory]
    [InlineData("a")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("john doe")]
    [InlineData("a/../Admin")]
    [InlineData("x\r\ny")]
    [InlineData("ｊｏｈｎ")]
    [InlineData("")]
    public void Map_Case61_InvalidRoleSessionName_IsInvalidIdentityTokenWithAwsMessage(string name)
    {
        // Arrange
        var assertion = CreateAssertion(a => a[AwsSamlAttributes.RoleSessionName] = [name]);

        // Act
        var outcome = AwsSamlAttributes.Map(assertion);

        // Assert
        AssertInvalid(outcome);
        Assert.Equal(AwsSamlAttributes.RoleSessionNameMessage, outcome.Error!.Message);
    }

    [Theory]
    [InlineData("a")]
    [InlineData("john doe")]
    [InlineData("ｊｏｈｎ")]
    public void Map_Case61_InvalidSourceIdentity_IsInvalidIdentityToken(string value)
    {
        // Arrange
        var assertion = CreateAssertion(a => a[AwsSamlAttributes.SourceIdentity] = [value]);

        // Act / Assert
        AssertInvalid(AwsSamlAttributes.Map(assertion));
    }

    [Theory]
    [InlineData("99999")]
    [InlineData("abc")]
    [InlineData("899")]
    [InlineData("43201")]
    [InlineData("-900")]
    public void Map_Case62e_InvalidSessionDuration_IsInvalidIdentityToken(string value)
    {
        // Arrange
        var assertion = CreateAssertion(a => a[AwsSamlAttributes.SessionDuration] = [value]);

        // Act / Assert
        AssertInvalid(AwsSamlAttributes.Map(assertion));
    }

    [Theory]
    [InlineData("900")]
    [InlineData("43200")]
    public void Map_Case62_SessionDurationBounds_AreAccepted(string value)
    {
        // Arrange
        var assertion = CreateAssertion(a => a[AwsSamlAttributes.SessionDuration] = [value]);

        // Act
        var outcome = AwsSamlAttributes.Map(assertion);

        // Assert
        Assert.True(outcome.Succeeded);
        Assert.Equal(int.Parse(value, System.Globalization.CultureInfo.InvariantCulture), outcome.Value.SessionDuration);
    }

    public static TheoryData<string> Case63Variants => new() { "aws-prefix", "sixty-tags", "long-value", "transitive-missing", "duplicate-case", "two-values" };

    [Theory]
    [MemberData(nameof(Case63Variants))]
    public void Map_Case63_InvalidSessionTags_IsInvalidIdentityToken(string variant)
    {
        // Arrange
        var assertion = CreateAssertion(a =>
        {
            switch (variant)
            {
                case "aws-prefix":
                    a[AwsSamlAttributes.PrincipalTagPrefix + "aws:Foo"] = ["x"];
                    break;
                case "sixty-tags":
                    for (var i = 0; i < 60; i++)
                    {
                        a[AwsSamlAttributes.PrincipalTagPrefix + "k" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)] = ["v"];
                    }

                    break;
                case "long-value":
                    a[AwsSamlAttributes.PrincipalTagPrefix + "Dept"] = [new string('v', 300)];
                    break;
                case "transitive-missing":
                    a[AwsSamlAttributes.PrincipalTagPrefix + "Dept"] = ["Eng"];
                    a[AwsSamlAttributes.TransitiveTagKeys] = ["Project"];
                    break;
                case "duplicate-case":
                    a[AwsSamlAttributes.PrincipalTagPrefix + "Dept"] = ["Eng"];
                    a[AwsSamlAttributes.PrincipalTagPrefix + "dept"] = ["Ops"];
                    break;
                default:
                    a[AwsSamlAttributes.PrincipalTagPrefix + "Dept"] = ["Eng", "Ops"];
                    break;
            }
        });

        // Act / Assert
        AssertInvalid(AwsSamlAttributes.Map(assertion));
    }

    [Fact]
    public void ToValidatedAssertion_Case64_MapsRecipientSubjectAndConditionKeys()
    {
        // Arrange
        var assertion = CreateAssertion(a =>
        {
            a["urn:oid:2.5.4.3"] = ["Alice Example"];
            a["urn:oid:0.9.2342.19200300.100.1.3"] = ["alice@corp.test"];
            a["urn:oid:0.9.2342.19200300.100.1.1"] = ["alice"];
            a["urn:oid:1.3.6.1.4.1.5923.1.1.1.1"] = ["staff", "member"];
            a["groups"] = ["admins", "devs"];
        });

        // Act
        var outcome = AwsSamlAttributes.ToValidatedAssertion(assertion, TestIdp.ProviderArn, TestIdp.Provider(), "groups");

        // Assert
        Assert.True(outcome.Succeeded, outcome.Error?.ToString());
        var validated = outcome.Value;
        Assert.Equal("https://signin.aws.amazon.com/saml", validated.Recipient);
        Assert.Equal(TestIdp.ProviderArn, validated.ProviderArn);
        Assert.Equal(TestIdp.EntityId, validated.Issuer);
        Assert.Equal("alice@corp.test", validated.Subject);
        Assert.Equal("urn:oasis:names:tc:SAML:2.0:nameid-format:persistent", validated.SubjectFormat);
        Assert.Equal(TestIdp.Now.AddHours(1), validated.SessionNotOnOrAfter);
        Assert.Equal(["Alice Example"], validated.ConditionKeys["saml:cn"]);
        Assert.Equal(["alice@corp.test"], validated.ConditionKeys["saml:mail"]);
        Assert.Equal(["alice"], validated.ConditionKeys["saml:uid"]);
        Assert.Equal(["staff", "member"], validated.ConditionKeys["saml:edupersonaffiliation"]);
        Assert.Equal(["admins", "devs"], validated.ConditionKeys[AwsSamlAttributes.GroupsConditionKey]);
        Assert.False(validated.MultiFactor);
    }

    [Theory]
    [InlineData(true, "http://schemas.microsoft.com/claims/multipleauthn", true)]
    [InlineData(false, "http://schemas.microsoft.com/claims/multipleauthn", false)]
    [InlineData(true, "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport", false)]
    public void ToValidatedAssertion_MfaClassRef_CountsOnlyWhenIdpTrustedForIt(bool trusted, string classRef, bool expected)
    {
        // Arrange
        var assertion = CreateAssertion(_ => { }) with { AuthnContextClassRef = classRef };
        var provider = TestIdp.Provider() with { TrustMfaAuthnContext = trusted };

        // Act
        var outcome = AwsSamlAttributes.ToValidatedAssertion(assertion, TestIdp.ProviderArn, provider, null);

        // Assert
        Assert.True(outcome.Succeeded);
        Assert.Equal(expected, outcome.Value.MultiFactor);
    }

    private static SamlAssertionData CreateAssertion(Action<Dictionary<string, IReadOnlyList<string>>> change)
    {
        var attributes = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
        {
            [AwsSamlAttributes.Role] = [RolePair],
            [AwsSamlAttributes.RoleSessionName] = ["alice"],
        };
        change(attributes);
        return new SamlAssertionData
        {
            ResponseId = "_r1",
            AssertionId = "_a1",
            Issuer = TestIdp.EntityId,
            NameId = "alice@corp.test",
            NameIdFormat = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent",
            Recipient = "https://signin.aws.amazon.com/saml",
            SubjectConfirmationNotOnOrAfter = TestIdp.Now.AddMinutes(5),
            SessionNotOnOrAfter = TestIdp.Now.AddHours(1),
            Audiences = ["https://signin.aws.amazon.com/saml"],
            Attributes = attributes,
        };
    }

    private static void AssertInvalid<T>(StsOutcome<T> outcome)
    {
        Assert.False(outcome.Succeeded);
        Assert.Equal(StsErrorCode.InvalidIdentityToken, outcome.Error!.Code);
    }
}
