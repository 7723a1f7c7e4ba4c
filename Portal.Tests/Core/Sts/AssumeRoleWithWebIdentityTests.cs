using Portal.Core.Credentials;
using Portal.Core.Federation;
using Portal.Core.Iam;
using Portal.Core.Sts;
using static Portal.Tests.Core.Sts.EngineHarness;

namespace Portal.Tests.Core.Sts;

/// <summary>AssumeRoleWithWebIdentity with a fake validator (STS-SPEC §1.3, §7.7, §7.9; SECURITY-CASES 75–80).</summary>
public sealed class AssumeRoleWithWebIdentityTests : IAsyncLifetime
{
    private const string Host = "oidc.example.com";
    private const string Subject = "system:serviceaccount:default:app";
    private const string Audience = "sts.amazonaws.com";
    private const string NotAuthorized = "Not authorized to perform sts:AssumeRoleWithWebIdentity";
    private const string SessionName = "botocore-session-1768478400";
    private static readonly string Provider = $"arn:aws:iam::{AccountA}:oidc-provider/{Host}";

    private EngineHarness _h = null!;
    private RoleInfo _role = null!;

    public async Task InitializeAsync()
    {
        _h = await EngineHarness.CreateAsync();
        _role = await _h.CreateRoleAsync("WebRole", Trust(), PolicyJson.Allow("*", "s3:GetObject"), maxSessionDuration: 43200);
        _h.WebIdentity.Result = Token();
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private static string Trust(params string[] extra) =>
        PolicyJson.TrustFederated(Provider, "sts:AssumeRoleWithWebIdentity", $$"""{"StringEquals":{"{{Host}}:aud":"{{Audience}}","{{Host}}:sub":"{{Subject}}"} }""", extra);

    private static ValidatedWebIdentityToken Token() => new()
    {
        ProviderArn = Provider,
        ProviderName = Host,
        Subject = Subject,
        Audience = Audience,
    };

    private AssumeRoleWithWebIdentityRequest Request() => new() { RoleArn = _role.Arn, RoleSessionName = SessionName, WebIdentityToken = "eyJhbGciOiJSUzI1NiJ9.e30.sig" };

    private Task<StsOutcome<AssumeRoleWithWebIdentityResult>> AssumeAsync(AssumeRoleWithWebIdentityRequest? request = null) =>
        _h.Engine.AssumeRoleWithWebIdentityAsync(request ?? Request(), new RequestInfo());

    [Fact]
    public async Task AssumeRoleWithWebIdentity_ValidToken_ReturnsAwsResponseFields()
    {
        // Arrange
        var request = Request();

        // Act
        var result = Ok(await AssumeAsync(request));

        // Assert
        Assert.Equal(Subject, result.SubjectFromWebIdentityToken);
        Assert.Equal(Provider, result.Provider);
        Assert.Equal(Audience, result.Audience);
        Assert.Equal(_role.Id + ":" + SessionName, result.AssumedRoleUser.AssumedRoleId);
        Assert.Equal($"arn:aws:sts::{AccountA}:assumed-role/WebRole/{SessionName}", result.AssumedRoleUser.Arn);
        Assert.Equal(Start.AddSeconds(3600), result.Credentials.Expiration);
        Assert.Null(result.PackedPolicySize);
        Assert.Equal(AccountA, _h.WebIdentity.LastAccountId);
    }

    [Fact]
    public async Task AssumeRoleWithWebIdentity_Session_KeepsProviderKeys()
    {
        // Arrange (§7.9: aud, sub, amr remain usable after the session is created)
        var result = Ok(await AssumeAsync());

        // Act
        var claims = await _h.ClaimsOfAsync(result.Credentials);

        // Assert
        Assert.Equal([Subject], claims.FederationKeys[$"{Host}:sub"]);
        Assert.Equal([Audience], claims.FederationKeys[$"{Host}:aud"]);
        Assert.Equal(SessionName, claims.SessionName);
    }

    [Fact]
    public async Task AssumeRoleWithWebIdentity_SubjectMismatch_IsDenied()
    {
        // Arrange (SECURITY-CASES 77)
        _h.WebIdentity.Result = Token() with { Subject = "system:serviceaccount:default:other" };

        // Act
        var outcome = await AssumeAsync();

        // Assert
        Assert.Equal(NotAuthorized, Fails(outcome, StsErrorCode.AccessDenied).Message);
    }

    [Fact]
    public async Task AssumeRoleWithWebIdentity_AudienceMismatch_IsDenied()
    {
        // Arrange (SECURITY-CASES 76)
        _h.WebIdentity.Result = Token() with { Audience = "other-client" };

        // Act
        var outcome = await AssumeAsync();

        // Assert
        Assert.Equal(NotAuthorized, Fails(outcome, StsErrorCode.AccessDenied).Message);
    }

    [Fact]
    public async Task AssumeRoleWithWebIdentity_TokenFromAnotherProvider_IsDenied()
    {
        // Arrange (SECURITY-CASES 75): same claims, but a provider the trust policy does not name.
        _h.WebIdentity.Result = Token() with { ProviderArn = $"arn:aws:iam::{AccountA}:oidc-provider/evil.example.com" };

        // Act
        var outcome = await AssumeAsync();

        // Assert
        Assert.Equal(NotAuthorized, Fails(outcome, StsErrorCode.AccessDenied).Message);
    }

    [Theory]
    [InlineData(StsErrorCode.InvalidIdentityToken, "No OpenIDConnect provider found in your account for https://unknown.example.com")]
    [InlineData(StsErrorCode.ExpiredTokenException, "Token expired: current date/time 1768478410 must be before the expiration date/time 1768478400")]
    [InlineData(StsErrorCode.IdpCommunicationError, "Couldn't retrieve verification key from your identity provider")]
    public async Task AssumeRoleWithWebIdentity_ValidatorError_IsPassedThrough(StsErrorCode code, string message)
    {
        // Arrange
        _h.WebIdentity.Result = StsOutcome<ValidatedWebIdentityToken>.Failure(code, message);

        // Act
        var outcome = await AssumeAsync();

        // Assert
        Assert.Equal(message, Fails(outcome, code).Message);
    }

    [Fact]
    public async Task AssumeRoleWithWebIdentity_ProviderId_IsRejected()
    {
        // Arrange
        var request = Request() with { ProviderId = "graph.facebook.com" };

        // Act
        var outcome = await AssumeAsync(request);

        // Assert
        Fails(outcome, StsErrorCode.InvalidParameterValue);
    }

    [Fact]
    public async Task AssumeRoleWithWebIdentity_ShortToken_FailsValidationWithoutEchoingIt()
    {
        // Arrange
        var request = Request() with { WebIdentityToken = "abc" };

        // Act
        var outcome = await AssumeAsync(request);

        // Assert
        Assert.Equal(
            "1 validation error detected: Value '*** Sensitive Data Redacted ***' at 'webIdentityToken' failed to satisfy constraint: Member must have length greater than or equal to 4",
            Fails(outcome, StsErrorCode.ValidationError).Message);
    }

    [Fact]
    public async Task AssumeRoleWithWebIdentity_DurationAboveRoleMaximum_FailsValidation()
    {
        // Arrange
        var role = await _h.CreateRoleAsync("ShortRole", Trust());

        // Act
        var outcome = await AssumeAsync(Request() with { RoleArn = role.Arn, DurationSeconds = 3601 });

        // Assert
        Assert.Equal("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.", Fails(outcome, StsErrorCode.ValidationError).Message);
    }

    [Fact]
    public async Task AssumeRoleWithWebIdentity_RequestedDuration_SetsExpiration()
    {
        // Arrange
        var request = Request() with { DurationSeconds = 43200 };

        // Act
        var result = Ok(await AssumeAsync(request));

        // Assert
        Assert.Equal(Start.AddSeconds(43200), result.Credentials.Expiration);
    }

    [Fact]
    public async Task AssumeRoleWithWebIdentity_NonExistentRole_IsDenied()
    {
        // Arrange
        var request = Request() with { RoleArn = $"arn:aws:iam::{AccountA}:role/Missing" };

        // Act
        var outcome = await AssumeAsync(request);

        // Assert
        Assert.Equal(NotAuthorized, Fails(outcome, StsErrorCode.AccessDenied).Message);
    }

    [Fact]
    public async Task AssumeRoleWithWebIdentity_TagClaimWithoutTagSession_IsDenied()
    {
        // Arrange
        _h.WebIdentity.Result = Token() with { PrincipalTags = [new Tag("Team", "core")] };

        // Act
        var outcome = await AssumeAsync();

        // Assert
        Assert.Equal("Not authorized to perform sts:TagSession", Fails(outcome, StsErrorCode.AccessDenied).Message);
    }

    [Fact]
    public async Task AssumeRoleWithWebIdentity_TagAndSourceIdentityClaimsAllowed_AreSealed()
    {
        // Arrange
        Ok(await _h.Directory.UpdateAssumeRolePolicyAsync(Account(AccountA), _role.Name, Trust("sts:TagSession", "sts:SetSourceIdentity")));
        _h.WebIdentity.Result = Token() with { PrincipalTags = [new Tag("Team", "core")], SourceIdentity = "app" };

        // Act
        var result = Ok(await AssumeAsync());

        // Assert
        var claims = await _h.ClaimsOfAsync(result.Credentials);
        Assert.Equal([new SessionTag("Team", "core")], claims.Tags);
        Assert.Equal("app", result.SourceIdentity);
        Assert.Equal("app", claims.SourceIdentity);
    }

    [Fact]
    public async Task AssumeRoleWithWebIdentity_SourceIdentityWithoutPermission_IsDenied()
    {
        // Arrange
        _h.WebIdentity.Result = Token() with { SourceIdentity = "app" };

        // Act
        var outcome = await AssumeAsync();

        // Assert
        Assert.Equal("Not authorized to perform sts:SetSourceIdentity", Fails(outcome, StsErrorCode.AccessDenied).Message);
    }

    [Fact]
    public async Task AssumeRoleWithWebIdentity_SessionAssumingAnotherRole_IsChained()
    {
        // Arrange: a web-identity role session may chain into a role that trusts the web role.
        var session = await _h.CallerForAsync(Ok(await AssumeAsync()).Credentials);
        var next = await _h.CreateRoleAsync("Next", PolicyJson.TrustAws(_role.Arn), maxSessionDuration: 43200);

        // Act
        var tooLong = await _h.Engine.AssumeRoleAsync(session, new AssumeRoleRequest { RoleArn = next.Arn, RoleSessionName = "next", DurationSeconds = 7200 }, new RequestInfo());
        var ok = await _h.Engine.AssumeRoleAsync(session, new AssumeRoleRequest { RoleArn = next.Arn, RoleSessionName = "next" }, new RequestInfo());

        // Assert
        Fails(tooLong, StsErrorCode.ValidationError);
        var claims = await _h.ClaimsOfAsync(Ok(ok).Credentials);
        Assert.True(claims.IsRoleChain);
        Assert.Equal([Subject], claims.FederationKeys[$"{Host}:sub"]);
    }
}
