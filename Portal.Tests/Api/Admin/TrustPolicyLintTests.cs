using Portal.Core.Audit;
using Portal.Core.Sts;
using Portal.Services.Admin;
using Portal.Tests.Api.Iam;
using Portal.Tests.Core.Sts;
using static Portal.Tests.Core.Sts.EngineHarness;

namespace Portal.Tests.Api.Admin;

/// <summary>SECURITY-CASES 104g: over-broad trust is refused where administrators save it, and trust changes are audited.</summary>
public sealed class TrustPolicyLintTests(PortalAppFactory factory) : IClassFixture<PortalAppFactory>, IAsyncLifetime
{
    private const string GoodTrust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole"}]}""";
    private const string Everyone = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"}]}""";
    private const string AnyGitHubToken =
        """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"}}}]}""";

    private readonly IamApiClient _api = new(factory);
    private EngineHarness _h = default!;
    private RolesAdminService _service = default!;

    public async Task InitializeAsync()
    {
        _h = await EngineHarness.CreateAsync();
        _service = new RolesAdminService(_h.Directory, _h.Engine, _h.Audit, _h.Time);
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Theory]
    [InlineData(Everyone)]
    [InlineData(AnyGitHubToken)]
    public async Task IamCreateRole_TooBroadTrust_IsMalformedPolicyDocument(string trust)
    {
        // Act
        var r = await _api.CallAsRootAsync("CreateRole", ("RoleName", IamApiClient.Unique("r")), ("AssumeRolePolicyDocument", trust));

        // Assert
        r.AssertError(400, "MalformedPolicyDocument");
        Assert.Contains("Trust policy is too permissive", r.Xml.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Everyone)]
    [InlineData(AnyGitHubToken)]
    public async Task IamUpdateAssumeRolePolicy_TooBroadTrust_IsMalformedPolicyDocumentAndUnchanged(string trust)
    {
        // Arrange
        var name = IamApiClient.Unique("r");
        (await _api.CallAsRootAsync("CreateRole", ("RoleName", name), ("AssumeRolePolicyDocument", GoodTrust))).AssertOk();

        // Act
        var r = await _api.CallAsRootAsync("UpdateAssumeRolePolicy", ("RoleName", name), ("PolicyDocument", trust));

        // Assert
        r.AssertError(400, "MalformedPolicyDocument");
        var get = await _api.CallAsRootAsync("GetRole", ("RoleName", name));
        Assert.Equal(Uri.EscapeDataString(GoodTrust), get.Value("Role", "AssumeRolePolicyDocument"));
    }

    [Fact]
    public async Task UpdateTrustPolicyAsync_TooBroad_RefusedWithMessageAndAuditedAsDenied()
    {
        // Arrange
        var role = await _h.CreateRoleAsync("Target", GoodTrust);

        // Act
        var outcome = await _service.UpdateTrustPolicyAsync("test:admin", AccountA, role.Name, Everyone);

        // Assert
        Assert.Equal(StsErrorCode.MalformedPolicyDocument, outcome.Error?.Code);
        Assert.Contains("trusts every principal", outcome.Error!.Message, StringComparison.Ordinal);
        Assert.Equal(GoodTrust, (await _service.GetRoleAsync(AccountA, role.Name))!.Role.TrustPolicy);
        var audit = Assert.Single(_h.Audit.Records, e => e.Action == RolesAdminService.UpdateTrustAuditAction);
        Assert.Equal((AuditDecision.Deny, GoodTrust, Everyone), (audit.Decision, audit.Before, audit.After));
    }

    [Fact]
    public async Task UpdateTrustPolicyAsync_Valid_SavedAndAuditedWithBeforeAndAfter()
    {
        // Arrange
        var role = await _h.CreateRoleAsync("Target", GoodTrust);
        var after = GoodTrust.Replace(":root", ":user/alice", StringComparison.Ordinal);

        // Act
        var outcome = await _service.UpdateTrustPolicyAsync("test:admin", AccountA, role.Name, after);

        // Assert
        Assert.True(outcome.Succeeded);
        var audit = Assert.Single(_h.Audit.Records, e => e.Action == RolesAdminService.UpdateTrustAuditAction);
        Assert.Equal((AuditDecision.Allow, "test:admin", GoodTrust, after), (audit.Decision, audit.Principal, audit.Before, audit.After));
    }

    [Fact]
    public async Task CreateRoleAsync_TooBroad_RefusedAndNotCreated()
    {
        // Act
        var outcome = await _service.CreateRoleAsync("test:admin", AccountA, new RoleInput { Name = "Open", MaxSessionDuration = 3600 }, Everyone);

        // Assert
        Assert.Equal(StsErrorCode.MalformedPolicyDocument, outcome.Error?.Code);
        Assert.Null(await _service.GetRoleAsync(AccountA, "Open"));
        Assert.Equal(AuditDecision.Deny, Assert.Single(_h.Audit.Records, e => e.Action == RolesAdminService.CreateRoleAuditAction).Decision);
    }
}
