using System.Security.Claims;
using Portal.Authentication;
using Portal.Authentication.Saml2;
using Portal.Core.Federation.Saml;
using Portal.Tests.Core.Federation.Saml;

namespace Portal.Tests.Api.Saml2;

public sealed class Saml2ClaimsFactoryTests
{
    private const string ProviderArn = "arn:aws:iam::111122223333:saml-provider/Corp";

    [Fact]
    public void CreateIdentity_ValidAssertion_HasPortalAndConditionKeyClaims()
    {
        // Arrange
        var subject = new Saml2ClaimsFactory();

        // Act
        var identity = subject.CreateIdentity(CreateAssertion(), CreateOptions());

        // Assert
        Assert.Equal(PortalAuthenticationDefaults.CookieScheme, identity.AuthenticationType);
        Assert.Equal(ProviderArn + "|alice@corp.test", Value(identity, PortalClaimTypes.Subject));
        Assert.Equal("Alice Admin", identity.Name);
        Assert.Equal("alice@corp.test", Value(identity, PortalClaimTypes.Email));
        Assert.Equal(ProviderArn, Value(identity, PortalClaimTypes.Provider));
        Assert.Equal("saml", Value(identity, PortalClaimTypes.Method));
        Assert.Equal(["portal-admins", "staff", "adfs-group"], Values(identity, PortalClaimTypes.Group));
        Assert.Equal(TestIdp.AcsUrl, Value(identity, "ck:saml:aud"));
        Assert.Equal(TestIdp.EntityId, Value(identity, "ck:saml:iss"));
        Assert.Equal("alice@corp.test", Value(identity, "ck:saml:sub"));
        Assert.Equal("persistent", Value(identity, "ck:saml:sub_type"));
        Assert.NotNull(Value(identity, "ck:saml:namequalifier"));
        Assert.Equal(["portal-admins", "staff", "adfs-group"], Values(identity, "ck:portal:groups"));
        Assert.Equal([TestIdp.RoleArn + "," + ProviderArn], Values(identity, Saml2Defaults.RoleClaimType));
        Assert.Empty(Values(identity, PortalClaimTypes.AuthenticationMethod));
    }

    [Theory]
    [InlineData(true, "http://schemas.microsoft.com/claims/multipleauthn", true)]
    [InlineData(false, "http://schemas.microsoft.com/claims/multipleauthn", false)]
    [InlineData(true, "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport", false)]
    public void CreateIdentity_AuthnContext_AddsMfaOnlyForTrustedIdpAndMfaClass(bool trusted, string classRef, bool expectMfa)
    {
        // Arrange
        var subject = new Saml2ClaimsFactory();
        var options = CreateOptions();
        options.IdentityProvider = options.IdentityProvider with { TrustMfaAuthnContext = trusted };

        // Act
        var identity = subject.CreateIdentity(CreateAssertion() with { AuthnContextClassRef = classRef }, options);

        // Assert
        Assert.Equal(expectMfa, Values(identity, PortalClaimTypes.AuthenticationMethod).Contains("mfa"));
    }

    private static Saml2Options CreateOptions() => new()
    {
        IdentityProvider = TestIdp.Provider(),
        ProviderArn = ProviderArn,
        GroupsAttributeName = "groups",
    };

    private static SamlAssertionData CreateAssertion() => new()
    {
        ResponseId = "_r1",
        AssertionId = "_a1",
        Issuer = TestIdp.EntityId,
        NameId = "alice@corp.test",
        NameIdFormat = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent",
        Recipient = TestIdp.AcsUrl,
        SubjectConfirmationNotOnOrAfter = TestIdp.Now.AddMinutes(5),
        AuthnContextClassRef = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport",
        Attributes = new Dictionary<string, IReadOnlyList<string>>
        {
            ["displayName"] = ["Alice Admin"],
            ["email"] = ["alice@corp.test"],
            ["groups"] = ["portal-admins", "staff"],
            [Saml2ClaimsFactory.AdfsGroupAttribute] = ["adfs-group", "staff"],
            [TestIdp.RoleAttribute] = [ProviderArn + "," + TestIdp.RoleArn],
        },
    };

    private static string? Value(ClaimsIdentity identity, string type) => identity.FindFirst(type)?.Value;

    private static List<string> Values(ClaimsIdentity identity, string type) => [.. identity.FindAll(type).Select(c => c.Value)];
}
