using System.Security.Cryptography;
using System.Text;
using Portal.Core.Credentials;
using Portal.Core.Federation;
using Portal.Core.Iam;
using Portal.Core.Sts;
using static Portal.Tests.Core.Sts.EngineHarness;

namespace Portal.Tests.Core.Sts;

/// <summary>AssumeRoleWithSAML with a fake validator (STS-SPEC §1.2, §7.7, §7.9; SECURITY-CASES 59, 61–64, N6, N9).</summary>
public sealed class AssumeRoleWithSamlTests : IAsyncLifetime
{
    private const string Recipient = "https://signin.aws.amazon.com/saml";
    private const string Issuer = "https://idp.example.com/saml";
    private const string NotAuthorized = "Not authorized to perform sts:AssumeRoleWithSAML";
    private const string SessionName = "jdoe@example.com";
    private static readonly string Provider = $"arn:aws:iam::{AccountA}:saml-provider/Corp";

    private EngineHarness _h = null!;
    private RoleInfo _role = null!;

    public async Task InitializeAsync()
    {
        _h = await EngineHarness.CreateAsync();
        _role = await _h.CreateRoleAsync("SamlRole", Trust(), PolicyJson.Allow("*", "s3:GetObject"), maxSessionDuration: 43200);
        _h.Saml.Result = Assertion();
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    // Note: "SAML:aud" in the §7.8 example spelling; condition keys are case-insensitive.
    private static string Trust(string? condition = null, params string[] extra) =>
        PolicyJson.TrustFederated(Provider, "sts:AssumeRoleWithSAML", condition ?? "{\"StringEquals\":{\"SAML:aud\":\"" + Recipient + "\"}}", extra);

    private ValidatedSamlAssertion Assertion() => new()
    {
        ProviderArn = Provider,
        Issuer = Issuer,
        Recipient = Recipient,
        Subject = "jdoe",
        SubjectFormat = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent",
        Roles = [(_role.Arn, Provider)],
        RoleSessionName = SessionName,
    };

    private AssumeRoleWithSamlRequest Request() => new() { RoleArn = _role.Arn, PrincipalArn = Provider, SamlAssertion = "PHNhbWxwOlJlc3BvbnNlLz4=" };

    private Task<StsOutcome<AssumeRoleWithSamlResult>> AssumeAsync(AssumeRoleWithSamlRequest? request = null) =>
        _h.Engine.AssumeRoleWithSamlAsync(request ?? Request(), new RequestInfo());

    [Fact]
    public async Task AssumeRoleWithSaml_ValidAssertion_ReturnsAwsResponseFields()
    {
        // Arrange
#pragma warning disable CA5350 // §1.2 defines NameQualifier with SHA-1; it is an identifier, not a security control.
        var expectedQualifier = Convert.ToBase64String(SHA1.HashData(Encoding.UTF8.GetBytes(Issuer + AccountA + "/Corp")));
#pragma warning restore CA5350

        // Act
        var result = Ok(await AssumeAsync());

        // Assert
        Assert.Equal("jdoe", result.Subject);
        Assert.Equal("persistent", result.SubjectType);
        Assert.Equal(Issuer, result.Issuer);
        Assert.Equal(Recipient, result.Audience);
        Assert.Equal(expectedQualifier, result.NameQualifier);
        Assert.Equal(_role.Id + ":" + SessionName, result.AssumedRoleUser.AssumedRoleId);
        Assert.Equal($"arn:aws:sts::{AccountA}:assumed-role/SamlRole/{SessionName}", result.AssumedRoleUser.Arn);
        Assert.Equal(Start.AddSeconds(3600), result.Credentials.Expiration);
        Assert.Null(result.PackedPolicySize);
        Assert.Null(result.SourceIdentity);
        Assert.Equal(Provider, _h.Saml.LastPrincipalArn);
    }

    [Fact]
    public async Task AssumeRoleWithSaml_Session_KeepsSamlKeysForLaterRequests()
    {
        // Arrange (§7.9: saml:sub, saml:sub_type and saml:namequalifier remain available to the session)
        var result = Ok(await AssumeAsync());

        // Act
        var claims = await _h.ClaimsOfAsync(result.Credentials);

        // Assert
        Assert.Equal(SessionKind.AssumedRole, claims.Kind);
        Assert.Equal(["jdoe"], claims.FederationKeys["saml:sub"]);
        Assert.Equal(["persistent"], claims.FederationKeys["saml:sub_type"]);
        Assert.Equal([result.NameQualifier], claims.FederationKeys["saml:namequalifier"]);
        Assert.Equal(_role.Arn, claims.SourcePrincipalArn);
        Assert.False(claims.IsRoleChain);
    }

    [Theory]
    [InlineData("urn:oasis:names:tc:SAML:2.0:nameid-format:transient", "transient")]
    [InlineData("urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress", "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress")]
    public async Task AssumeRoleWithSaml_SubjectType_StripsOnlyTheSaml2Prefix(string format, string expected)
    {
        // Arrange
        _h.Saml.Result = Assertion() with { SubjectFormat = format };

        // Act
        var result = Ok(await AssumeAsync());

        // Assert
        Assert.Equal(expected, result.SubjectType);
    }

    [Fact]
    public async Task AssumeRoleWithSaml_RecipientNotInAudCondition_IsDenied()
    {
        // Arrange (N9: saml:aud is the Recipient)
        _h.Saml.Result = Assertion() with { Recipient = "https://evil.example.com/saml" };

        // Act
        var outcome = await AssumeAsync();

        // Assert
        Assert.Equal(NotAuthorized, Fails(outcome, StsErrorCode.AccessDenied).Message);
    }

    [Theory]
    [InlineData("jdoe", true)]
    [InlineData("mallory", false)]
    public async Task AssumeRoleWithSaml_SubCondition_MatchesTheNameId(string subject, bool allowed)
    {
        // Arrange
        Ok(await _h.Directory.UpdateAssumeRolePolicyAsync(Account(AccountA), _role.Name, Trust("""{"StringEquals":{"saml:sub":"jdoe"}}""")));
        _h.Saml.Result = Assertion() with { Subject = subject };

        // Act
        var outcome = await AssumeAsync();

        // Assert
        if (allowed)
        {
            Ok(outcome);
        }
        else
        {
            Assert.Equal(NotAuthorized, Fails(outcome, StsErrorCode.AccessDenied).Message);
        }
    }

    [Fact]
    public async Task AssumeRoleWithSaml_TrustForAnotherProvider_IsDenied()
    {
        // Arrange
        Ok(await _h.Directory.UpdateAssumeRolePolicyAsync(Account(AccountA), _role.Name, PolicyJson.TrustFederated($"arn:aws:iam::{AccountA}:saml-provider/Other", "sts:AssumeRoleWithSAML")));

        // Act
        var outcome = await AssumeAsync();

        // Assert
        Assert.Equal(NotAuthorized, Fails(outcome, StsErrorCode.AccessDenied).Message);
    }

    [Fact]
    public async Task AssumeRoleWithSaml_RoleNotInAssertion_IsDenied()
    {
        // Arrange (SECURITY-CASES 59)
        var other = await _h.CreateRoleAsync("Other", Trust());
        _h.Saml.Result = Assertion() with { Roles = [(other.Arn, Provider)] };

        // Act
        var outcome = await AssumeAsync();

        // Assert
        Assert.Equal(NotAuthorized, Fails(outcome, StsErrorCode.AccessDenied).Message);
        Assert.Equal("RoleNotInAssertion", _h.Audit.Last.Reason);
    }

    [Fact]
    public async Task AssumeRoleWithSaml_RolePairedWithAnotherProvider_IsDenied()
    {
        // Arrange
        _h.Saml.Result = Assertion() with { Roles = [(_role.Arn, $"arn:aws:iam::{AccountA}:saml-provider/Other")] };

        // Act
        var outcome = await AssumeAsync();

        // Assert
        Assert.Equal(NotAuthorized, Fails(outcome, StsErrorCode.AccessDenied).Message);
    }

    [Fact]
    public async Task AssumeRoleWithSaml_RoleAmongSeveral_Succeeds()
    {
        // Arrange
        var other = await _h.CreateRoleAsync("Other", Trust());
        _h.Saml.Result = Assertion() with { Roles = [(other.Arn, Provider), (_role.Arn, Provider)] };

        // Act
        var outcome = await AssumeAsync();

        // Assert
        Ok(outcome);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("a")]
    [InlineData("has space")]
    [InlineData("this-session-name-is-far-too-long-for-aws-because-it-has-65-chars")]
    public async Task AssumeRoleWithSaml_BadRoleSessionNameAttribute_IsInvalidIdentityToken(string? name)
    {
        // Arrange (SECURITY-CASES 61)
        _h.Saml.Result = Assertion() with { RoleSessionName = name };

        // Act
        var outcome = await AssumeAsync();

        // Assert
        Assert.Equal("RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}", Fails(outcome, StsErrorCode.InvalidIdentityToken).Message);
    }

    [Fact]
    public async Task AssumeRoleWithSaml_ValidatorRejectsSignature_PassesInvalidIdentityTokenThrough()
    {
        // Arrange
        _h.Saml.Result = StsOutcome<ValidatedSamlAssertion>.Failure(StsErrorCode.InvalidIdentityToken, "Response signature invalid");

        // Act
        var outcome = await AssumeAsync();

        // Assert
        Assert.Equal("Response signature invalid", Fails(outcome, StsErrorCode.InvalidIdentityToken).Message);
    }

    [Fact]
    public async Task AssumeRoleWithSaml_ValidatorReportsExpiry_PassesExpiredTokenExceptionThrough()
    {
        // Arrange
        _h.Saml.Result = StsOutcome<ValidatedSamlAssertion>.Failure(StsErrorCode.ExpiredTokenException, "Token must be redeemed within 5 minutes of issuance");

        // Act
        var outcome = await AssumeAsync();

        // Assert
        Assert.Equal("Token must be redeemed within 5 minutes of issuance", Fails(outcome, StsErrorCode.ExpiredTokenException).Message);
    }

    [Theory]
    [InlineData(null, 1800, 1800)]
    [InlineData(900, 7200, 900)]
    [InlineData(7200, 1800, 1800)]
    public async Task AssumeRoleWithSaml_SessionDurationAttribute_OnlyShortens(int? requested, int attribute, int expected)
    {
        // Arrange (N6)
        _h.Saml.Result = Assertion() with { SessionDuration = attribute };

        // Act
        var result = Ok(await AssumeAsync(Request() with { DurationSeconds = requested }));

        // Assert
        Assert.Equal(Start.AddSeconds(expected), result.Credentials.Expiration);
    }

    [Theory]
    [InlineData(1200, 1200)]
    [InlineData(7200, 3600)]
    public async Task AssumeRoleWithSaml_SessionNotOnOrAfter_BoundsTheSession(int notAfterSeconds, int expected)
    {
        // Arrange (SECURITY-CASES 62)
        _h.Saml.Result = Assertion() with { SessionNotOnOrAfter = Start.AddSeconds(notAfterSeconds) };

        // Act
        var result = Ok(await AssumeAsync());

        // Assert
        Assert.Equal(Start.AddSeconds(expected), result.Credentials.Expiration);
        Assert.Equal(Start.AddSeconds(expected), (await _h.ClaimsOfAsync(result.Credentials)).ExpiresAt);
    }

    [Fact]
    public async Task AssumeRoleWithSaml_DurationAboveRoleMaximum_FailsValidation()
    {
        // Arrange
        var role = await _h.CreateRoleAsync("ShortRole", Trust());
        _h.Saml.Result = Assertion() with { Roles = [(role.Arn, Provider)] };

        // Act
        var outcome = await AssumeAsync(Request() with { RoleArn = role.Arn, DurationSeconds = 3601 });

        // Assert
        Assert.Equal("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.", Fails(outcome, StsErrorCode.ValidationError).Message);
    }

    [Fact]
    public async Task AssumeRoleWithSaml_NonExistentRole_IsDenied()
    {
        // Arrange
        var missing = $"arn:aws:iam::{AccountA}:role/Missing";
        _h.Saml.Result = Assertion() with { Roles = [(missing, Provider)] };

        // Act
        var outcome = await AssumeAsync(Request() with { RoleArn = missing });

        // Assert
        Assert.Equal(NotAuthorized, Fails(outcome, StsErrorCode.AccessDenied).Message);
    }

    [Fact]
    public async Task AssumeRoleWithSaml_PrincipalTagsWithoutTagSession_AreDenied()
    {
        // Arrange (SECURITY-CASES 63)
        _h.Saml.Result = Assertion() with { PrincipalTags = [new Tag("Department", "eng")] };

        // Act
        var outcome = await AssumeAsync();

        // Assert
        Assert.Equal("Not authorized to perform sts:TagSession", Fails(outcome, StsErrorCode.AccessDenied).Message);
    }

    [Fact]
    public async Task AssumeRoleWithSaml_PrincipalTagsWithTagSession_AreSealedIntoTheSession()
    {
        // Arrange
        Ok(await _h.Directory.UpdateAssumeRolePolicyAsync(Account(AccountA), _role.Name, Trust(extra: "sts:TagSession")));
        _h.Saml.Result = Assertion() with { PrincipalTags = [new Tag("Department", "eng")], TransitiveTagKeys = ["Department"] };

        // Act
        var result = Ok(await AssumeAsync());

        // Assert
        var claims = await _h.ClaimsOfAsync(result.Credentials);
        Assert.Equal([new SessionTag("Department", "eng")], claims.Tags);
        Assert.Equal(["Department"], claims.TransitiveTagKeys);
        Assert.NotNull(result.PackedPolicySize);
    }

    [Fact]
    public async Task AssumeRoleWithSaml_SourceIdentityWithoutSetSourceIdentity_IsDenied()
    {
        // Arrange
        _h.Saml.Result = Assertion() with { SourceIdentity = "jdoe" };

        // Act
        var outcome = await AssumeAsync();

        // Assert
        Assert.Equal("Not authorized to perform sts:SetSourceIdentity", Fails(outcome, StsErrorCode.AccessDenied).Message);
    }

    [Fact]
    public async Task AssumeRoleWithSaml_SourceIdentityAllowed_IsEchoedAndSealed()
    {
        // Arrange
        Ok(await _h.Directory.UpdateAssumeRolePolicyAsync(Account(AccountA), _role.Name, Trust(extra: "sts:SetSourceIdentity")));
        _h.Saml.Result = Assertion() with { SourceIdentity = "jdoe" };

        // Act
        var result = Ok(await AssumeAsync());

        // Assert
        Assert.Equal("jdoe", result.SourceIdentity);
        Assert.Equal("jdoe", (await _h.ClaimsOfAsync(result.Credentials)).SourceIdentity);
    }

    [Fact]
    public async Task AssumeRoleWithSaml_SessionPolicy_NarrowsTheRole()
    {
        // Arrange (SECURITY-CASES 95)
        var result = Ok(await AssumeAsync(Request() with { Policy = PolicyJson.Allow("*", "iam:*") }));
        var claims = await _h.ClaimsOfAsync(result.Credentials);

        // Act
        var createUser = await _h.Engine.EvaluateAsync(claims, "iam:CreateUser", "*");
        var getObject = await _h.Engine.EvaluateAsync(claims, "s3:GetObject", "arn:aws:s3:::bucket/key");

        // Assert
        Assert.False(createUser.Allowed);
        Assert.False(getObject.Allowed);
    }

    [Fact]
    public async Task AssumeRoleWithSaml_ShortAssertion_FailsValidationWithoutEchoingIt()
    {
        // Arrange
        var request = Request() with { SamlAssertion = "abc" };

        // Act
        var outcome = await AssumeAsync(request);

        // Assert
        Assert.Equal(
            "1 validation error detected: Value '*** Sensitive Data Redacted ***' at 'sAMLAssertion' failed to satisfy constraint: Member must have length greater than or equal to 4",
            Fails(outcome, StsErrorCode.ValidationError).Message);
    }

    [Fact]
    public async Task AssumeRoleWithSaml_ExplicitDenyInTrust_WinsOverAllow()
    {
        // Arrange
        var trust = $$"""
            {"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Principal":{"Federated":"{{Provider}}"},"Action":"sts:AssumeRoleWithSAML"},
              {"Effect":"Deny","Principal":{"Federated":"{{Provider}}"},"Action":"sts:AssumeRoleWithSAML","Condition":{"StringEquals":{"saml:sub":"jdoe"} } }]}
            """;
        Ok(await _h.Directory.UpdateAssumeRolePolicyAsync(Account(AccountA), _role.Name, trust));

        // Act
        var outcome = await AssumeAsync();

        // Assert
        Assert.Equal(NotAuthorized, Fails(outcome, StsErrorCode.AccessDenied).Message);
        Assert.Equal("ExplicitDeny", _h.Audit.Last.Reason);
    }
}
