using Portal.Core.Federation;
using Portal.Core.Sts;
using static Portal.Tests.Core.Sts.EngineHarness;

namespace Portal.Tests.Core.Sts;

/// <summary>GetCallerIdentity per identity type (STS-SPEC §1.6, §4.7).</summary>
public sealed class GetCallerIdentityTests : IAsyncLifetime
{
    private EngineHarness _h = null!;
    private TestUser _alice = null!;

    public async Task InitializeAsync()
    {
        _h = await EngineHarness.CreateAsync();
        _alice = await _h.CreateUserAsync("alice", PolicyJson.AllowAll, path: "/staff/");
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task GetCallerIdentity_RootKey_ReportsAccountAsUserId()
    {
        // Arrange
        var root = await _h.CreateRootCallerAsync();

        // Act
        var identity = StsEngine.GetCallerIdentity(root);

        // Assert
        Assert.Equal(new CallerIdentity(AccountA, AccountA, $"arn:aws:iam::{AccountA}:root"), identity);
    }

    [Fact]
    public void GetCallerIdentity_UserKey_ReportsUniqueIdAndArnWithPath()
    {
        // Arrange
        var caller = _alice.Caller;

        // Act
        var identity = StsEngine.GetCallerIdentity(caller);

        // Assert
        Assert.StartsWith("AIDA", identity.UserId, StringComparison.Ordinal);
        Assert.Equal(new CallerIdentity(_alice.User.Id, AccountA, $"arn:aws:iam::{AccountA}:user/staff/alice"), identity);
    }

    [Fact]
    public async Task GetCallerIdentity_UserSessionToken_ReportsTheUser()
    {
        // Arrange
        var session = await _h.CallerForAsync(Ok(await _h.Engine.GetSessionTokenAsync(_alice.Caller, new GetSessionTokenRequest(), new RequestInfo())));

        // Act
        var identity = StsEngine.GetCallerIdentity(session);

        // Assert
        Assert.Equal(new CallerIdentity(_alice.User.Id, AccountA, _alice.Arn), identity);
    }

    [Fact]
    public async Task GetCallerIdentity_RootSessionToken_ReportsRoot()
    {
        // Arrange
        var root = await _h.CreateRootCallerAsync();
        var session = await _h.CallerForAsync(Ok(await _h.Engine.GetSessionTokenAsync(root, new GetSessionTokenRequest(), new RequestInfo())));

        // Act
        var identity = StsEngine.GetCallerIdentity(session);

        // Assert
        Assert.Equal(new CallerIdentity(AccountA, AccountA, $"arn:aws:iam::{AccountA}:root"), identity);
    }

    [Fact]
    public async Task GetCallerIdentity_CrossAccountRoleSession_ReportsTheRolesAccount()
    {
        // Arrange
        var role = await _h.CreateRoleAsync("ops", PolicyJson.TrustAws(_alice.Arn), account: AccountB, path: "/team/");
        var result = Ok(await _h.Engine.AssumeRoleAsync(_alice.Caller, new AssumeRoleRequest { RoleArn = role.Arn, RoleSessionName = "alice" }, new RequestInfo()));
        var session = await _h.CallerForAsync(result.Credentials);

        // Act
        var identity = StsEngine.GetCallerIdentity(session);

        // Assert
        Assert.Equal(new CallerIdentity(role.Id + ":alice", AccountB, $"arn:aws:sts::{AccountB}:assumed-role/ops/alice"), identity);
    }

    [Fact]
    public async Task GetCallerIdentity_WebIdentityRoleSession_ReportsTheAssumedRole()
    {
        // Arrange
        var provider = $"arn:aws:iam::{AccountA}:oidc-provider/oidc.example.com";
        var role = await _h.CreateRoleAsync("web", PolicyJson.TrustFederated(provider, "sts:AssumeRoleWithWebIdentity"));
        _h.WebIdentity.Result = new ValidatedWebIdentityToken { ProviderArn = provider, ProviderName = "oidc.example.com", Subject = "app", Audience = "sts" };
        var result = Ok(await _h.Engine.AssumeRoleWithWebIdentityAsync(new AssumeRoleWithWebIdentityRequest { RoleArn = role.Arn, RoleSessionName = "pod", WebIdentityToken = "token" }, new RequestInfo()));
        var session = await _h.CallerForAsync(result.Credentials);

        // Act
        var identity = StsEngine.GetCallerIdentity(session);

        // Assert
        Assert.Equal(new CallerIdentity(role.Id + ":pod", AccountA, $"arn:aws:sts::{AccountA}:assumed-role/web/pod"), identity);
    }

    [Fact]
    public async Task GetCallerIdentity_FederationTokenSession_ReportsTheFederatedUser()
    {
        // Arrange
        var fed = Ok(await _h.Engine.GetFederationTokenAsync(_alice.Caller, new GetFederationTokenRequest { Name = "Bob" }, new RequestInfo()));
        var session = await _h.CallerForAsync(fed.Credentials);

        // Act
        var identity = StsEngine.GetCallerIdentity(session);

        // Assert
        Assert.Equal(new CallerIdentity($"{AccountA}:Bob", AccountA, $"arn:aws:sts::{AccountA}:federated-user/Bob"), identity);
    }
}
