using Portal.Core.Credentials;
using Portal.Core.Iam;
using Portal.Core.Mfa;
using Portal.Core.Policies;
using Portal.Core.Sts;
using static Portal.Tests.Core.Sts.EngineHarness;

namespace Portal.Tests.Core.Sts;

/// <summary>GetSessionToken (STS-SPEC §1.4, §1.0.2, §1.0.3; SECURITY-CASES 92c).</summary>
public sealed class GetSessionTokenTests : IAsyncLifetime
{
    private const string MfaOnlyPolicy =
        """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}""";

    private EngineHarness _h = null!;
    private TestUser _alice = null!;

    public async Task InitializeAsync()
    {
        _h = await EngineHarness.CreateAsync();
        _alice = await _h.CreateUserAsync("alice", MfaOnlyPolicy, tags: [new Tag("Department", "eng")]);
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private Task<StsOutcome<IssuedCredentials>> GetAsync(GetSessionTokenRequest request, Caller? caller = null) =>
        _h.Engine.GetSessionTokenAsync(caller ?? _alice.Caller, request, new RequestInfo());

    [Theory]
    [InlineData(899, "Member must have value greater than or equal to 900")]
    [InlineData(129601, "Member must have value less than or equal to 129600")]
    public async Task GetSessionToken_DurationOutsideModel_FailsValidation(int duration, string constraint)
    {
        // Arrange
        var request = new GetSessionTokenRequest { DurationSeconds = duration };

        // Act
        var outcome = await GetAsync(request);

        // Assert
        Assert.Equal($"1 validation error detected: Value '{duration}' at 'durationSeconds' failed to satisfy constraint: {constraint}", Fails(outcome, StsErrorCode.ValidationError).Message);
    }

    [Theory]
    [InlineData(900, 900)]
    [InlineData(129600, 129600)]
    [InlineData(null, 43200)]
    public async Task GetSessionToken_UserDuration_IsHonoured(int? requested, int expected)
    {
        // Arrange
        var request = new GetSessionTokenRequest { DurationSeconds = requested };

        // Act
        var creds = Ok(await GetAsync(request));

        // Assert
        Assert.Equal(Start.AddSeconds(expected), creds.Expiration);
        Assert.Equal(Start.AddSeconds(expected), (await _h.ClaimsOfAsync(creds)).ExpiresAt);
    }

    [Theory]
    [InlineData(null, 3600)]
    [InlineData(900, 900)]
    [InlineData(3600, 3600)]
    [InlineData(7200, 3600)]
    [InlineData(129600, 3600)]
    public async Task GetSessionToken_RootDuration_IsSilentlyCappedAtOneHour(int? requested, int expected)
    {
        // Arrange
        var root = await _h.CreateRootCallerAsync();

        // Act
        var creds = Ok(await GetAsync(new GetSessionTokenRequest { DurationSeconds = requested }, root));

        // Assert
        Assert.Equal(Start.AddSeconds(expected), creds.Expiration);
    }

    [Fact]
    public async Task GetSessionToken_WithGetSessionTokenCredentials_IsDenied()
    {
        // Arrange (SECURITY-CASES 92c: expiry can never be extended by re-minting)
        var session = await _h.CallerForAsync(Ok(await GetAsync(new GetSessionTokenRequest())));

        // Act
        var outcome = await GetAsync(new GetSessionTokenRequest(), session);

        // Assert
        Assert.Equal("Cannot call GetSessionToken with session credentials", Fails(outcome, StsErrorCode.AccessDenied).Message);
    }

    [Fact]
    public async Task GetSessionToken_WithRoleSessionCredentials_IsDenied()
    {
        // Arrange
        var role = await _h.CreateRoleAsync("demo", PolicyJson.TrustAws(_alice.Arn));
        var assumed = Ok(await _h.Engine.AssumeRoleAsync(_alice.Caller, new AssumeRoleRequest { RoleArn = role.Arn, RoleSessionName = "s1" }, new RequestInfo()));
        var session = await _h.CallerForAsync(assumed.Credentials);

        // Act
        var outcome = await GetAsync(new GetSessionTokenRequest(), session);

        // Assert
        Assert.Equal("Cannot call GetSessionToken with session credentials", Fails(outcome, StsErrorCode.AccessDenied).Message);
    }

    [Fact]
    public async Task GetSessionToken_ExplicitDenyOnAction_DoesNotBlockIt()
    {
        // Arrange (§1.4: policies cannot block GetSessionToken)
        var denied = await _h.CreateUserAsync("denied", """{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"sts:*","Resource":"*"}]}""");

        // Act
        var outcome = await GetAsync(new GetSessionTokenRequest(), denied.Caller);

        // Assert
        Ok(outcome);
    }

    [Fact]
    public async Task GetSessionToken_Session_ActsAsTheUser()
    {
        // Arrange
        var creds = Ok(await GetAsync(new GetSessionTokenRequest()));

        // Act
        var claims = await _h.ClaimsOfAsync(creds);

        // Assert
        Assert.Equal(SessionKind.SessionToken, claims.Kind);
        Assert.Equal(_alice.Arn, claims.Arn);
        Assert.Equal(_alice.User.Id, claims.PrincipalId);
        Assert.Equal(_alice.Arn, claims.SourcePrincipalArn);
        Assert.Equal(_alice.User.Id, claims.SourcePrincipalId);
        Assert.Equal([new SessionTag("Department", "eng")], claims.Tags);
        Assert.StartsWith("ASIA", creds.AccessKeyId, StringComparison.Ordinal);
        Assert.Equal(40, creds.SecretAccessKey.Length);
    }

    [Fact]
    public async Task GetSessionToken_WithoutMfa_SessionLacksMfaPermissions()
    {
        // Arrange
        var claims = await _h.ClaimsOfAsync(Ok(await GetAsync(new GetSessionTokenRequest())));

        // Act
        var decision = await _h.Engine.EvaluateAsync(claims, "s3:GetObject", "arn:aws:s3:::bucket/key");

        // Assert
        Assert.Null(claims.MfaAuthenticatedAt);
        Assert.False(decision.Allowed);
    }

    [Fact]
    public async Task GetSessionToken_WithValidMfa_SetsMultiFactorAuthPresent()
    {
        // Arrange
        var device = await _h.CreateEnabledMfaDeviceAsync(_alice.User, "alice-phone");
        var request = new GetSessionTokenRequest { SerialNumber = device.SerialNumber, TokenCode = _h.CodeAt(device, 0) };

        // Act
        var claims = await _h.ClaimsOfAsync(Ok(await GetAsync(request)));
        var decision = await _h.Engine.EvaluateAsync(claims, "s3:GetObject", "arn:aws:s3:::bucket/key");

        // Assert
        Assert.NotNull(claims.MfaAuthenticatedAt);
        Assert.True(decision.Allowed);
    }

    [Fact]
    public async Task GetSessionToken_WrongMfaCode_IsDenied()
    {
        // Arrange
        var device = await _h.CreateEnabledMfaDeviceAsync(_alice.User, "alice-phone");
        var request = new GetSessionTokenRequest { SerialNumber = device.SerialNumber, TokenCode = _h.WrongCode(device) };

        // Act
        var outcome = await GetAsync(request);

        // Assert
        Assert.Equal(MfaMessages.InvalidCode, Fails(outcome, StsErrorCode.AccessDenied).Message);
    }

    [Fact]
    public async Task GetSessionToken_SerialWithoutCode_IsDenied()
    {
        // Arrange: a serial alone must never count as MFA.
        var device = await _h.CreateEnabledMfaDeviceAsync(_alice.User, "alice-phone");
        var request = new GetSessionTokenRequest { SerialNumber = device.SerialNumber };

        // Act
        var outcome = await GetAsync(request);

        // Assert
        Assert.Equal(MfaMessages.UnknownDevice, Fails(outcome, StsErrorCode.AccessDenied).Message);
    }

    [Fact]
    public async Task GetSessionToken_RootWithMfaCode_IsDeniedAsUnassociatedDevice()
    {
        // Arrange: root has no user MFA devices in this model; alice's device must not count for root.
        var root = await _h.CreateRootCallerAsync();
        var device = await _h.CreateEnabledMfaDeviceAsync(_alice.User, "alice-phone");
        var request = new GetSessionTokenRequest { SerialNumber = device.SerialNumber, TokenCode = _h.CodeAt(device, 0) };

        // Act
        var outcome = await GetAsync(request, root);

        // Assert
        Assert.Equal(MfaMessages.UnknownDevice, Fails(outcome, StsErrorCode.AccessDenied).Message);
    }

    [Theory]
    [InlineData("12345", "Member must have length greater than or equal to 6")]
    [InlineData("12345a", @"Member must satisfy regular expression pattern: [\d]*")]
    public async Task GetSessionToken_MalformedTokenCode_FailsValidation(string code, string constraint)
    {
        // Arrange
        var request = new GetSessionTokenRequest { SerialNumber = $"arn:aws:iam::{AccountA}:mfa/alice-phone", TokenCode = code };

        // Act
        var outcome = await GetAsync(request);

        // Assert
        Assert.Equal($"1 validation error detected: Value '{code}' at 'tokenCode' failed to satisfy constraint: {constraint}", Fails(outcome, StsErrorCode.ValidationError).Message);
    }

    [Fact]
    public async Task GetSessionToken_RootSession_HasRootIdentity()
    {
        // Arrange
        var root = await _h.CreateRootCallerAsync();

        // Act
        var claims = await _h.ClaimsOfAsync(Ok(await GetAsync(new GetSessionTokenRequest(), root)));
        var decision = await _h.Engine.EvaluateAsync(claims, "s3:DeleteBucket", "arn:aws:s3:::bucket");

        // Assert
        Assert.Equal($"arn:aws:iam::{AccountA}:root", claims.Arn);
        Assert.Equal(AccountA, claims.PrincipalId);
        Assert.Equal(AuthorizationReasons.RootAllow, decision.Reason);
    }
}
