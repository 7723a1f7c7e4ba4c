using Portal.Core.Sts;
using static Portal.Tests.Core.Sts.EngineHarness;

namespace Portal.Tests.Core.Sts;

/// <summary>What the kind of session forbids regardless of policy (STS-SPEC §1.0.2 "restrictions carried by the resulting credentials").</summary>
public sealed class SessionRestrictionTests : IAsyncLifetime
{
    private const string FederationReason = "federation-token sessions may call no IAM API and no STS API but GetCallerIdentity";
    private const string SessionTokenStsReason = "GetSessionToken sessions may call only AssumeRole and GetCallerIdentity in STS";
    private const string SessionTokenIamReason = "GetSessionToken sessions may call IAM only when the session was authenticated with MFA";

    private EngineHarness _h = null!;
    private TestUser _alice = null!;

    public async Task InitializeAsync()
    {
        _h = await EngineHarness.CreateAsync();
        _alice = await _h.CreateUserAsync("alice", PolicyJson.AllowAll);
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private async Task<Caller> FederationSessionAsync() =>
        await _h.CallerForAsync(Ok(await _h.Engine.GetFederationTokenAsync(_alice.Caller, new GetFederationTokenRequest { Name = "bob", Policy = PolicyJson.AllowAll }, new RequestInfo())).Credentials);

    private async Task<Caller> SessionTokenAsync(GetSessionTokenRequest? request = null) =>
        await _h.CallerForAsync(Ok(await _h.Engine.GetSessionTokenAsync(_alice.Caller, request ?? new GetSessionTokenRequest(), new RequestInfo())));

    private Task<StsError?> DeniedAsync(Caller caller, string action) => _h.Engine.IdentityDeniedAsync(caller, action, "*", new RequestInfo());

    [Theory]
    [InlineData("iam:CreateUser")]
    [InlineData("sts:GetAccessKeyInfo")]
    [InlineData("sts:DecodeAuthorizationMessage")]
    [InlineData("STS:AssumeRole")]
    public async Task IdentityDenied_FederationSessionStsOrIamAction_IsDeniedDespiteAllowAll(string action)
    {
        // Arrange
        var session = await FederationSessionAsync();

        // Act
        var error = await DeniedAsync(session, action);

        // Assert
        Assert.NotNull(error);
        Assert.Equal(StsErrorCode.AccessDenied, error.Code);
        Assert.Equal($"User: {session.Arn} is not authorized to perform: {action} on resource: * because {FederationReason}", error.Message);
    }

    [Fact]
    public async Task IdentityDenied_FederationSessionOtherService_IsAllowedByItsPolicies()
    {
        // Arrange
        var session = await FederationSessionAsync();

        // Act
        var error = await DeniedAsync(session, "s3:GetObject");

        // Assert
        Assert.Null(error);
    }

    [Theory]
    [InlineData("sts:GetAccessKeyInfo")]
    [InlineData("sts:GetFederationToken")]
    [InlineData("sts:DecodeAuthorizationMessage")]
    public async Task IdentityDenied_SessionTokenOtherStsAction_IsDenied(string action)
    {
        // Arrange
        var session = await SessionTokenAsync();

        // Act
        var error = await DeniedAsync(session, action);

        // Assert
        Assert.Equal($"User: {session.Arn} is not authorized to perform: {action} on resource: * because {SessionTokenStsReason}", error?.Message);
    }

    [Fact]
    public async Task IdentityDenied_SessionTokenAssumeRole_IsAllowed()
    {
        // Arrange
        var session = await SessionTokenAsync();

        // Act
        var error = await DeniedAsync(session, "sts:AssumeRole");

        // Assert
        Assert.Null(error);
    }

    [Fact]
    public async Task IdentityDenied_SessionTokenIamWithoutMfa_IsDenied()
    {
        // Arrange
        var session = await SessionTokenAsync();

        // Act
        var error = await DeniedAsync(session, "iam:ListUsers");

        // Assert
        Assert.Equal($"User: {session.Arn} is not authorized to perform: iam:ListUsers on resource: * because {SessionTokenIamReason}", error?.Message);
    }

    [Fact]
    public async Task IdentityDenied_SessionTokenIamWithMfa_IsAllowed()
    {
        // Arrange
        var device = await _h.CreateEnabledMfaDeviceAsync(_alice.User, "alice-phone");
        var session = await SessionTokenAsync(new GetSessionTokenRequest { SerialNumber = device.SerialNumber, TokenCode = _h.CodeAt(device, 0) });

        // Act
        var error = await DeniedAsync(session, "iam:ListUsers");

        // Assert
        Assert.Null(error);
    }

    [Fact]
    public async Task IdentityDenied_Restriction_IsAuditedAsDeny()
    {
        // Arrange
        var session = await FederationSessionAsync();

        // Act
        await DeniedAsync(session, "iam:CreateUser");

        // Assert
        var record = _h.Audit.Last;
        Assert.Equal(Portal.Core.Audit.AuditDecision.Deny, record.Decision);
        Assert.Equal("SessionRestriction", record.Reason);
        Assert.Equal(session.AccessKeyId, record.CallerAccessKeyId);
    }

    [Theory]
    [InlineData("iam:CreateUser")]
    [InlineData("sts:GetAccessKeyInfo")]
    public async Task EvaluateAsync_FederationSessionStsOrIamAction_AgreesWithTheEngine(string action)
    {
        // Arrange: the simulator must apply exactly the rules requests get (StsEngine.EvaluateAsync contract).
        var session = await FederationSessionAsync();

        // Act
        var decision = await _h.Engine.EvaluateAsync(session.Session!, action, "*");

        // Assert
        Assert.False(decision.Allowed);
        Assert.Equal("SessionRestriction", decision.Reason);
    }

    [Fact]
    public async Task EvaluateAsync_SessionTokenIamWithoutMfa_AgreesWithTheEngine()
    {
        // Arrange
        var session = await SessionTokenAsync();

        // Act
        var decision = await _h.Engine.EvaluateAsync(session.Session!, "iam:ListUsers", "*");

        // Assert
        Assert.False(decision.Allowed);
        Assert.Equal("SessionRestriction", decision.Reason);
    }
}
