using System.Security.Claims;
using Portal.Authentication;
using Portal.Core.Audit;
using Portal.Core.Iam;
using Portal.Core.Mfa;
using Portal.Core.Sts;
using Portal.Services.Admin;
using Portal.Services.SelfService;
using Portal.Tests.Core.Sts;
using static Portal.Tests.Core.Sts.EngineHarness;

namespace Portal.Tests.Api.Admin;

/// <summary>SECURITY-CASES 104g: high-risk trust changes need a fresh TOTP code of the acting administrator.</summary>
public sealed class HighRiskConfirmationTests : IAsyncLifetime
{
    private const string Actor = "arn:aws:iam::111122223333:user/admin";
    private const string Saml = "arn:aws:iam::111122223333:saml-provider/Corp";
    private const string Oidc = "arn:aws:iam::111122223333:oidc-provider/idp.example.com";
    private const string AccountRoot = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole"}]}""";
    private const string SamlTrust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::111122223333:saml-provider/Corp"},"Action":"sts:AssumeRoleWithSAML"}]}""";

    private EngineHarness _h = default!;
    private RolesAdminService _service = default!;
    private HighRiskConfirmation _confirmation = default!;
    private VirtualMfaDevice _device = default!;
    private ClaimsPrincipal _admin = default!;

    public async Task InitializeAsync()
    {
        _h = await EngineHarness.CreateAsync();
        _service = new RolesAdminService(_h.Directory, _h.Engine, _h.Audit, _h.Time);
        _confirmation = new HighRiskConfirmation(new PortalPersonResolver(_h.Directory), _h.Mfa, _h.Audit, _h.Time);
        var admin = await _h.CreateUserAsync("admin");
        _device = await _h.CreateEnabledMfaDeviceAsync(admin.User, "admin-device");
        _admin = LocalPrincipal(admin.User.Id);
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Theory]
    [InlineData(AccountRoot, AccountRoot, false)]
    [InlineData(AccountRoot, """{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/alice"},"Action":"sts:AssumeRole"}]}""", false)]
    [InlineData(AccountRoot, """{"Statement":[{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"}]}""", true)]
    [InlineData(AccountRoot, """{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}""", true)]
    [InlineData(AccountRoot, """{"Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:root","*"]},"Action":"sts:AssumeRole"}]}""", true)]
    [InlineData(AccountRoot, """{"Statement":[{"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole"}]}""", true)]
    [InlineData(AccountRoot, """{"Statement":[{"Effect":"Deny","Principal":"*","Action":"sts:AssumeRole"}]}""", false)]
    [InlineData(AccountRoot, SamlTrust, true)]
    [InlineData(SamlTrust, SamlTrust, false)]
    [InlineData(SamlTrust, """{"Statement":[{"Effect":"Allow","Principal":{"Federated":["arn:aws:iam::111122223333:saml-provider/Corp","arn:aws:iam::111122223333:oidc-provider/idp.example.com"]},"Action":"sts:AssumeRoleWithSAML"}]}""", true)]
    [InlineData(SamlTrust, AccountRoot, false)]
    [InlineData(null, SamlTrust, true)]
    [InlineData(null, AccountRoot, false)]
    [InlineData(AccountRoot, "not json", false)]
    public void IsHighRiskTrustChange_Table_ClassifiesNewPeople(string? before, string after, bool expected) =>
        Assert.Equal(expected, HighRiskConfirmation.IsHighRiskTrustChange(before, after));

    [Fact]
    public async Task UpdateTrustPolicyAsync_HighRiskWithoutApproval_RefusedUnchangedAndAudited()
    {
        // Arrange
        var role = await _h.CreateRoleAsync("Target", AccountRoot);

        // Act
        var outcome = await _service.UpdateTrustPolicyAsync(Actor, AccountA, role.Name, SamlTrust);

        // Assert
        Assert.Equal(HighRiskConfirmation.ApprovalRequired, outcome.Error?.Message);
        Assert.Equal(AccountRoot, await TrustOfAsync(role.Name));
        var audit = Assert.Single(_h.Audit.Records, e => e.Action == RolesAdminService.UpdateTrustAuditAction);
        Assert.Equal((AuditDecision.Deny, AccountRoot, SamlTrust), (audit.Decision, audit.Before, audit.After));
    }

    [Fact]
    public async Task CreateRoleAsync_HighRiskWithoutApproval_RefusedAndNotCreated()
    {
        // Act
        var outcome = await _service.CreateRoleAsync(Actor, AccountA, new RoleInput { Name = "Open", MaxSessionDuration = 3600 }, SamlTrust);

        // Assert
        Assert.Equal(HighRiskConfirmation.ApprovalRequired, outcome.Error?.Message);
        Assert.Null(await _service.GetRoleAsync(AccountA, "Open"));
    }

    [Fact]
    public async Task UpdateTrustPolicyAsync_HighRiskWithValidCode_Saved()
    {
        // Arrange
        var role = await _h.CreateRoleAsync("Target", AccountRoot);
        var verified = await _confirmation.VerifyAsync(_admin, Actor, role.Arn, _h.CodeAt(_device, 0));

        // Act
        var outcome = await _service.UpdateTrustPolicyAsync(Actor, AccountA, role.Name, SamlTrust, verified.Approval);

        // Assert
        Assert.True(outcome.Succeeded, outcome.Error?.ToString());
        Assert.Equal(SamlTrust, await TrustOfAsync(role.Name));
    }

    [Fact]
    public async Task UpdateTrustPolicyAsync_ApprovalUsedTwice_SecondRefused()
    {
        // Arrange: one approval, spent on a first high-risk change.
        var role = await _h.CreateRoleAsync("Target", AccountRoot);
        var approval = (await _confirmation.VerifyAsync(_admin, Actor, role.Arn, _h.CodeAt(_device, 0))).Approval;
        Assert.True((await _service.UpdateTrustPolicyAsync(Actor, AccountA, role.Name, SamlTrust, approval)).Succeeded);
        var oidcToo = SamlTrust.Replace("\"" + Saml + "\"", "[\"" + Saml + "\",\"" + Oidc + "\"]", StringComparison.Ordinal);

        // Act
        var outcome = await _service.UpdateTrustPolicyAsync(Actor, AccountA, role.Name, oidcToo, approval);

        // Assert
        Assert.Equal(HighRiskConfirmation.ApprovalRequired, outcome.Error?.Message);
        Assert.Equal(SamlTrust, await TrustOfAsync(role.Name));
    }

    [Fact]
    public async Task UpdateTrustPolicyAsync_ApprovalTooOld_Refused()
    {
        // Arrange
        var role = await _h.CreateRoleAsync("Target", AccountRoot);
        var approval = (await _confirmation.VerifyAsync(_admin, Actor, role.Arn, _h.CodeAt(_device, 0))).Approval;
        _h.Time.Advance(HighRiskConfirmation.Lifetime + TimeSpan.FromSeconds(1));

        // Act
        var outcome = await _service.UpdateTrustPolicyAsync(Actor, AccountA, role.Name, SamlTrust, approval);

        // Assert
        Assert.Equal(HighRiskConfirmation.ApprovalRequired, outcome.Error?.Message);
    }

    [Fact]
    public async Task UpdateTrustPolicyAsync_NotHighRisk_NeedsNoApproval()
    {
        // Arrange
        var role = await _h.CreateRoleAsync("Target", SamlTrust);

        // Act
        var outcome = await _service.UpdateTrustPolicyAsync(Actor, AccountA, role.Name, AccountRoot);

        // Assert
        Assert.True(outcome.Succeeded, outcome.Error?.ToString());
    }

    [Fact]
    public async Task VerifyAsync_ReplayedCode_RefusedAndAuditedAsDenied()
    {
        // Arrange
        var code = _h.CodeAt(_device, 0);
        Assert.True((await _confirmation.VerifyAsync(_admin, Actor, "role", code)).Succeeded);

        // Act
        var replayed = await _confirmation.VerifyAsync(_admin, Actor, "role", code);

        // Assert
        Assert.Equal((false, "That code was already used. Wait for the next code."), (replayed.Succeeded, replayed.Error));
        var audit = Assert.Single(_h.Audit.Records, e => e.Action == HighRiskConfirmation.AuditAction);
        Assert.Equal((AuditDecision.Deny, Actor, nameof(MfaVerificationStatus.Replayed)), (audit.Decision, audit.Principal, audit.Message));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("12345")]
    public async Task VerifyAsync_MissingOrMalformedCode_Refused(string? code)
    {
        // Act
        var verified = await _confirmation.VerifyAsync(_admin, Actor, "role", code);

        // Assert
        Assert.False(verified.Succeeded);
        Assert.NotNull(verified.Error);
    }

    [Fact]
    public async Task VerifyAsync_WrongCode_Refused()
    {
        // Act
        var verified = await _confirmation.VerifyAsync(_admin, Actor, "role", _h.WrongCode(_device));

        // Assert
        Assert.Equal((false, "Invalid code."), (verified.Succeeded, verified.Error));
    }

    [Fact]
    public async Task VerifyAsync_AdministratorWithoutDevice_ToldToEnrol()
    {
        // Arrange
        var other = await _h.CreateUserAsync("other");

        // Act
        var verified = await _confirmation.VerifyAsync(LocalPrincipal(other.User.Id), Actor, "role", _h.CodeAt(_device, 0));

        // Assert
        Assert.Equal((false, true, HighRiskConfirmation.NoDeviceMessage), (verified.Succeeded, verified.NeedsDevice, verified.Error));
        Assert.Contains("/mfa", HighRiskConfirmation.NoDeviceMessage, StringComparison.Ordinal);
    }

    private async Task<string?> TrustOfAsync(string name) => (await _service.GetRoleAsync(AccountA, name))?.Role.TrustPolicy;

    private static ClaimsPrincipal LocalPrincipal(string userId) => new(new ClaimsIdentity(
        [new Claim(PortalClaimTypes.Method, "local"), new Claim(PortalClaimTypes.UserId, userId)], "test"));
}
