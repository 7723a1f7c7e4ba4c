using Portal.Core.Credentials;
using Portal.Core.Iam;
using Portal.Core.Policies;
using Portal.Core.Sts;
using static Portal.Tests.Core.Sts.EngineHarness;

namespace Portal.Tests.Core.Sts;

/// <summary>GetFederationToken (STS-SPEC §1.5, §1.0.2, §7.6, §7.7).</summary>
public sealed class GetFederationTokenTests : IAsyncLifetime
{
    private static readonly string BrokerPolicy =
        $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:GetFederationToken","Resource":"arn:aws:sts::{{AccountA}}:federated-user/bob"},{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}""";

    private EngineHarness _h = null!;
    private TestUser _broker = null!;

    public async Task InitializeAsync()
    {
        _h = await EngineHarness.CreateAsync();
        _broker = await _h.CreateUserAsync("broker", BrokerPolicy, tags: [new Tag("Department", "eng"), new Tag("Team", "core")]);
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private static GetFederationTokenRequest Request() => new() { Name = "bob", Policy = PolicyJson.Allow("*", "s3:GetObject", "iam:*") };

    private Task<StsOutcome<GetFederationTokenResult>> GetAsync(GetFederationTokenRequest request, Caller? caller = null) =>
        _h.Engine.GetFederationTokenAsync(caller ?? _broker.Caller, request, new RequestInfo());

    [Theory]
    [InlineData("b", "Member must have length greater than or equal to 2")]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456", "Member must have length less than or equal to 32")]
    [InlineData("bad name", @"Member must satisfy regular expression pattern: [\w+=,.@-]*")]
    public async Task GetFederationToken_BadName_FailsValidation(string name, string constraint)
    {
        // Arrange
        var request = Request() with { Name = name };

        // Act
        var outcome = await GetAsync(request);

        // Assert
        Assert.Equal($"1 validation error detected: Value '{name}' at 'name' failed to satisfy constraint: {constraint}", Fails(outcome, StsErrorCode.ValidationError).Message);
    }

    [Fact]
    public async Task GetFederationToken_MissingName_FailsValidation()
    {
        // Arrange
        var request = Request() with { Name = null };

        // Act
        var outcome = await GetAsync(request);

        // Assert
        Assert.Equal("1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null", Fails(outcome, StsErrorCode.ValidationError).Message);
    }

    [Fact]
    public async Task GetFederationToken_ThirtyTwoCharacterName_Succeeds()
    {
        // Arrange
        var name = new string('n', 32);
        var broker = await _h.CreateUserAsync("wide", PolicyJson.Allow("*", "sts:GetFederationToken"));

        // Act
        var result = Ok(await GetAsync(Request() with { Name = name }, broker.Caller));

        // Assert
        Assert.Equal($"{AccountA}:{name}", result.FederatedUser.FederatedUserId);
    }

    [Fact]
    public async Task GetFederationToken_PolicyLongerThan2048_FailsValidation()
    {
        // Arrange: a valid policy padded with whitespace to 2049 characters.
        var policy = PolicyJson.Allow("*", "s3:GetObject");
        policy = policy[..^1] + new string(' ', 2049 - policy.Length) + "}";

        // Act
        var outcome = await GetAsync(Request() with { Policy = policy });

        // Assert
        Assert.Equal(2049, policy.Length);
        Assert.Equal(
            $"1 validation error detected: Value '{policy}' at 'policy' failed to satisfy constraint: Member must have length less than or equal to 2048",
            Fails(outcome, StsErrorCode.ValidationError).Message);
    }

    [Fact]
    public async Task GetFederationToken_MalformedPolicy_FailsWithMalformedPolicyDocument()
    {
        // Arrange
        var request = Request() with { Policy = "{\"Statement\":" };

        // Act
        var outcome = await GetAsync(request);

        // Assert
        Fails(outcome, StsErrorCode.MalformedPolicyDocument);
    }

    [Fact]
    public async Task GetFederationToken_WithoutPolicy_SessionHasNoPermissions()
    {
        // Arrange (§1.5: no session policy ⇒ no identity-based permissions at all)
        var result = Ok(await GetAsync(Request() with { Policy = null }));
        var claims = await _h.ClaimsOfAsync(result.Credentials);

        // Act
        var decision = await _h.Engine.EvaluateAsync(claims, "s3:GetObject", "arn:aws:s3:::bucket/key");

        // Assert
        Assert.False(decision.Allowed);
        Assert.Equal(AuthorizationReasons.FederatedSessionWithoutPolicy, decision.Reason);
        Assert.Null(result.PackedPolicySize);
    }

    [Fact]
    public async Task GetFederationToken_WithPolicy_SessionHasTheIntersection()
    {
        // Arrange: the broker allows s3:*; the session policy allows s3:GetObject and iam:*.
        var result = Ok(await GetAsync(Request()));
        var claims = await _h.ClaimsOfAsync(result.Credentials);

        // Act
        var getObject = await _h.Engine.EvaluateAsync(claims, "s3:GetObject", "arn:aws:s3:::bucket/key");
        var putObject = await _h.Engine.EvaluateAsync(claims, "s3:PutObject", "arn:aws:s3:::bucket/key");
        var createUser = await _h.Engine.EvaluateAsync(claims, "iam:CreateUser", "*");

        // Assert
        Assert.True(getObject.Allowed);
        Assert.False(putObject.Allowed);
        Assert.False(createUser.Allowed);
        Assert.NotNull(result.PackedPolicySize);
    }

    [Fact]
    public async Task GetFederationToken_UserPolicyShrinksLater_SessionShrinksToo()
    {
        // Arrange
        var claims = await _h.ClaimsOfAsync(Ok(await GetAsync(Request())).Credentials);
        Ok(await _h.Directory.PutInlinePolicyAsync(_broker.User.Id, "inline", PolicyJson.Allow("*", "sts:GetFederationToken")));

        // Act
        var getObject = await _h.Engine.EvaluateAsync(claims, "s3:GetObject", "arn:aws:s3:::bucket/key");

        // Assert
        Assert.False(getObject.Allowed);
    }

    [Fact]
    public async Task GetFederationToken_NameNotCoveredByCallerPolicy_IsDenied()
    {
        // Arrange: the broker may federate only "bob".
        var request = Request() with { Name = "eve" };

        // Act
        var outcome = await GetAsync(request);

        // Assert
        var message = Fails(outcome, StsErrorCode.AccessDenied).Message;
        Assert.StartsWith($"User: {_broker.Arn} is not authorized to perform: sts:GetFederationToken on resource: arn:aws:sts::{AccountA}:federated-user/eve Encoded authorization failure message: ", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetFederationToken_UserWithoutAnyPolicy_IsDenied()
    {
        // Arrange
        var nobody = await _h.CreateUserAsync("nobody");

        // Act
        var outcome = await GetAsync(Request(), nobody.Caller);

        // Assert
        Fails(outcome, StsErrorCode.AccessDenied);
        Assert.Equal(AuthorizationReasons.NoIdentityAllow, _h.Audit.Last.Reason);
    }

    [Theory]
    [InlineData(null, 3600)]
    [InlineData(900, 900)]
    [InlineData(7200, 3600)]
    public async Task GetFederationToken_Root_IsCappedAtOneHour(int? requested, int expected)
    {
        // Arrange
        var root = await _h.CreateRootCallerAsync();

        // Act
        var result = Ok(await GetAsync(Request() with { DurationSeconds = requested }, root));

        // Assert
        Assert.Equal(Start.AddSeconds(expected), result.Credentials.Expiration);
    }

    [Theory]
    [InlineData(null, 43200)]
    [InlineData(129600, 129600)]
    public async Task GetFederationToken_UserDuration_DefaultsToTwelveHours(int? requested, int expected)
    {
        // Arrange
        var request = Request() with { DurationSeconds = requested };

        // Act
        var result = Ok(await GetAsync(request));

        // Assert
        Assert.Equal(Start.AddSeconds(expected), result.Credentials.Expiration);
    }

    [Fact]
    public async Task GetFederationToken_Duration129601_FailsValidation()
    {
        // Arrange
        var request = Request() with { DurationSeconds = 129601 };

        // Act
        var outcome = await GetAsync(request);

        // Assert
        Assert.Equal("1 validation error detected: Value '129601' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 129600", Fails(outcome, StsErrorCode.ValidationError).Message);
    }

    [Fact]
    public async Task GetFederationToken_WithRoleSessionCredentials_IsDenied()
    {
        // Arrange
        var role = await _h.CreateRoleAsync("demo", PolicyJson.TrustAws(_broker.Arn), PolicyJson.AllowAll);
        var assumed = Ok(await _h.Engine.AssumeRoleAsync(_broker.Caller, new AssumeRoleRequest { RoleArn = role.Arn, RoleSessionName = "s1" }, new RequestInfo()));
        var session = await _h.CallerForAsync(assumed.Credentials);

        // Act
        var outcome = await GetAsync(Request(), session);

        // Assert
        Assert.Equal("Cannot call GetFederationToken with session credentials", Fails(outcome, StsErrorCode.AccessDenied).Message);
    }

    [Fact]
    public async Task GetFederationToken_WithFederationSessionCredentials_IsDenied()
    {
        // Arrange
        var session = await _h.CallerForAsync(Ok(await GetAsync(Request())).Credentials);

        // Act
        var outcome = await GetAsync(Request(), session);

        // Assert
        Assert.Equal("Cannot call GetFederationToken with session credentials", Fails(outcome, StsErrorCode.AccessDenied).Message);
    }

    [Fact]
    public async Task GetFederationToken_Response_HasFederatedUserFields()
    {
        // Arrange
        var request = Request();

        // Act
        var result = Ok(await GetAsync(request));

        // Assert
        Assert.Equal($"{AccountA}:bob", result.FederatedUser.FederatedUserId);
        Assert.Equal($"arn:aws:sts::{AccountA}:federated-user/bob", result.FederatedUser.Arn);
        var claims = await _h.ClaimsOfAsync(result.Credentials);
        Assert.Equal(SessionKind.FederatedUser, claims.Kind);
        Assert.Equal(result.FederatedUser.Arn, claims.Arn);
        Assert.Equal(result.FederatedUser.FederatedUserId, claims.PrincipalId);
        Assert.Equal(_broker.Arn, claims.SourcePrincipalArn);
        Assert.Equal(_broker.User.Id, claims.SourcePrincipalId);
        Assert.Equal("bob", claims.SessionName);
    }

    [Fact]
    public async Task GetFederationToken_TagsWithoutTagSessionPermission_AreDenied()
    {
        // Arrange
        var request = Request() with { Tags = [new Tag("Project", "alpha")] };

        // Act
        var outcome = await GetAsync(request);

        // Assert
        Assert.StartsWith(
            $"User: {_broker.Arn} is not authorized to perform: sts:TagSession on resource: arn:aws:sts::{AccountA}:federated-user/bob",
            Fails(outcome, StsErrorCode.AccessDenied).Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetFederationToken_SessionTags_OverrideUserTagsIgnoringCase()
    {
        // Arrange
        var broker = await _h.CreateUserAsync("tagger", PolicyJson.Allow("*", "sts:GetFederationToken", "sts:TagSession"), tags: [new Tag("Department", "eng"), new Tag("Team", "core")]);

        // Act
        var result = Ok(await GetAsync(Request() with { Tags = [new Tag("department", "ops")] }, broker.Caller));

        // Assert
        var claims = await _h.ClaimsOfAsync(result.Credentials);
        Assert.Equal([new SessionTag("department", "ops"), new SessionTag("Team", "core")], claims.Tags);
    }
}
