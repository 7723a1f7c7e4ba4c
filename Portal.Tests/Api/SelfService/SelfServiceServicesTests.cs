using System.Net;
using System.Security.Claims;
using Microsoft.Extensions.DependencyInjection;
using OtpNet;
using Portal.Authentication;
using Portal.Core.Credentials;
using Portal.Core.Iam;
using Portal.Core.Identity;
using Portal.Core.Mfa;
using Portal.Services.SelfService;
using Portal.Tests.Api.Federation;

namespace Portal.Tests.Api.SelfService;

/// <summary>The self-service application services inside the real host (DI, SQLite, audit writer, console sign-in).</summary>
public sealed class SelfServiceServicesTests : IDisposable
{
    private const string Provider = "arn:aws:iam::111122223333:oidc-provider/idp.example.com";
    private const string WebIdentity = "sts:AssumeRoleWithWebIdentity";
    private const string Mfa = ""","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}""";
    private readonly FederationHost _host = new();

    public void Dispose() => _host.Dispose();

    private T Get<T>()
        where T : notnull => _host.Services.GetRequiredService<T>();

    /// <summary>Baseline person: alice signed in through OIDC at idp.example.com, without MFA.</summary>
    private static ClaimsPrincipal Alice(string subject = "alice-sub", string email = "alice@example.com", bool mfa = false)
    {
        var claims = new List<Claim>
        {
            new(PortalClaimTypes.Subject, Provider + "|" + subject),
            new(PortalClaimTypes.Name, "Alice"),
            new(PortalClaimTypes.Email, email),
            new(PortalClaimTypes.Provider, Provider),
            new(PortalClaimTypes.Method, "oidc"),
            new("ck:idp.example.com:sub", subject),
            new("ck:idp.example.com:aud", "portal"),
        };
        if (mfa)
        {
            claims.Add(new(PortalClaimTypes.AuthenticationMethod, "mfa"));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, "test", PortalClaimTypes.Name, PortalClaimTypes.Role));
    }

    private async Task<RoleInfo> CreateRoleAsync(string name, string extraActions = ",\"sts:SetSourceIdentity\"", string condition = "")
    {
        _ = _host.App.Server;
        var trust = $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"{{Provider}}"},"Action":["{{WebIdentity}}"{{extraActions}}]{{condition}}}]}""";
        var role = await Get<IamDirectory>().CreateRoleAsync(AccountId.Parse(PortalAppFactory.AccountId), name, trust, null, null, null, null);
        Assert.True(role.Succeeded, role.Error?.ToString());
        return role.Value!;
    }

    private Task<CredentialIssueResult> IssueAsync(ClaimsPrincipal who, RoleInfo role, string? code = null) =>
        Get<CredentialIssuanceService>().IssueAsync(who, new GetCredentialsInput { RoleArn = role.Arn, DurationSeconds = 900, MfaCode = code });

    [Fact]
    public async Task GetMyRolesAsync_FederatedPerson_GroupsTrustingRolesByAccount()
    {
        // Arrange
        var role = await CreateRoleAsync("dev");

        // Act
        var accounts = await Get<RoleCatalogService>().GetMyRolesAsync(Alice());

        // Assert
        var account = Assert.Single(accounts);
        Assert.Equal(PortalAppFactory.AccountId, account.AccountId);
        Assert.Equal(role.Arn, Assert.Single(account.Roles).Arn);
    }

    [Fact]
    public async Task IssueAsync_FederatedPerson_IssuesSessionNamedAfterTheirEmailAndListsIt()
    {
        // Arrange
        var role = await CreateRoleAsync("dev");

        // Act
        var issued = await IssueAsync(Alice(), role);
        var mine = await Get<SessionsService>().ListMineAsync(Alice());
        var theirs = await Get<SessionsService>().ListMineAsync(Alice(subject: "mallory-sub"));

        // Assert
        Assert.Equal(CredentialIssueStatus.Issued, issued.Status);
        Assert.Equal($"arn:aws:sts::{PortalAppFactory.AccountId}:assumed-role/dev/alice@example.com", issued.AssumedRoleArn);
        Assert.Equal(issued.Credentials!.AccessKeyId, Assert.Single(mine).AccessKeyId);
        Assert.Empty(theirs);
    }

    [Fact]
    public async Task IssueAsync_MfaRoleAndFederatedPersonWithoutDevice_AsksToSetUpADeviceAndIssuesNothing()
    {
        // Arrange
        var role = await CreateRoleAsync("admin", condition: Mfa);

        // Act
        var result = await IssueAsync(Alice(), role, "123456");

        // Assert
        Assert.Equal(CredentialIssueStatus.MfaDeviceRequired, result.Status);
        Assert.Null(result.Credentials);
        Assert.Contains("MFA page", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IssueAsync_MfaRoleAndFederatedPersonWithDevice_NeedsAValidUnusedCode()
    {
        // Arrange
        var role = await CreateRoleAsync("admin", condition: Mfa);
        var code = await EnrolAliceAsync();
        var wrong = code(0) == "000000" ? "111111" : "000000";

        // Act
        var noCode = await IssueAsync(Alice(), role);
        var badCode = await IssueAsync(Alice(), role, wrong);
        var goodCode = await IssueAsync(Alice(), role, code(0));
        var replayed = await IssueAsync(Alice(), role, code(0));

        // Assert
        Assert.Equal(CredentialIssueStatus.MfaCodeRequired, noCode.Status);
        Assert.Equal(CredentialIssueStatus.MfaCodeInvalid, badCode.Status);
        Assert.Null(badCode.Credentials);
        Assert.Equal(CredentialIssueStatus.Issued, goodCode.Status);
        Assert.Equal(CredentialIssueStatus.MfaCodeInvalid, replayed.Status);
        Assert.Null(replayed.Credentials);
    }

    [Fact]
    public async Task IssueAsync_FederatedStepUpCode_SessionCarriesMfaFromTheVerification()
    {
        // Arrange
        var role = await CreateRoleAsync("admin", condition: Mfa);
        var code = await EnrolAliceAsync();
        var verifiedAt = _host.Time.GetUtcNow();

        // Act
        var issued = await IssueAsync(Alice(), role, code(0));

        // Assert
        var session = await Get<SessionCredentialVerifier>().VerifyAsync(issued.Credentials!.AccessKeyId, issued.Credentials.SessionToken, CancellationToken.None);
        Assert.Equal(verifiedAt, session.Claims?.MfaAuthenticatedAt);
    }

    [Fact]
    public async Task IssueAsync_MfaRoleAndFederatedPersonWithIdpMfa_IssuedWithoutCode()
    {
        // Arrange
        var role = await CreateRoleAsync("admin", condition: Mfa);

        // Act
        var result = await IssueAsync(Alice(mfa: true), role);

        // Assert
        Assert.Equal(CredentialIssueStatus.Issued, result.Status);
    }

    [Fact]
    public async Task IssueAsync_StepUpCodeFromAnotherPersonsDevice_MfaCodeInvalid()
    {
        // Arrange
        var role = await CreateRoleAsync("admin", condition: Mfa);
        var aliceCode = await EnrolAliceAsync();
        await EnrolAliceAsync(subject: "mallory-sub");

        // Act
        var result = await IssueAsync(Alice(subject: "mallory-sub"), role, aliceCode(0));

        // Assert
        Assert.Equal(CredentialIssueStatus.MfaCodeInvalid, result.Status);
        Assert.Null(result.Credentials);
    }

    /// <summary>Enrols a TOTP device for the federated identity (provider + subject) and returns its code for a step offset.</summary>
    private async Task<Func<int, string>> EnrolAliceAsync(string subject = "alice-sub")
    {
        _ = _host.App.Server;
        var owner = Provider + "/" + subject;
        var mfa = Get<MfaService>();
        var device = (await mfa.CreateVirtualDeviceAsync(AccountId.Parse("111122223333"), owner, "/portal/", "fed-" + subject, subject)).Value!;
        var totp = new Totp(device.Secret.ToArray());
        string Code(int step) => totp.ComputeTotp((_host.Time.GetUtcNow() + TimeSpan.FromSeconds(30 * step)).UtcDateTime);
        Assert.True((await mfa.EnableAsync(device.SerialNumber, owner, Code(-1), Code(0))).Succeeded);
        _host.Time.Advance(TimeSpan.FromMinutes(5));
        return Code;
    }

    [Fact]
    public async Task IssueAsync_TrustLacksSetSourceIdentity_RefusesWithAdministratorHint()
    {
        // Arrange
        var role = await CreateRoleAsync("dev", extraActions: string.Empty);

        // Act
        var result = await IssueAsync(Alice(), role);

        // Assert
        Assert.Equal(CredentialIssueStatus.NeedsSetSourceIdentity, result.Status);
        Assert.Null(result.Credentials);
        Assert.Contains("sts:SetSourceIdentity", result.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(899)]
    [InlineData(3601)]
    public async Task IssueAsync_DurationOutsideRoleBounds_Refused(int seconds)
    {
        // Arrange: the role's MaxSessionDuration is the default 3600.
        var role = await CreateRoleAsync("dev");

        // Act
        var result = await Get<CredentialIssuanceService>().IssueAsync(Alice(), new GetCredentialsInput { RoleArn = role.Arn, DurationSeconds = seconds });

        // Assert
        Assert.Equal(CredentialIssueStatus.Refused, result.Status);
        Assert.Null(result.Credentials);
    }

    [Fact]
    public async Task IssueAsync_RoleNotTrustingPerson_Refused()
    {
        // Arrange
        var role = await CreateRoleAsync("dev", condition: ""","Condition":{"StringEquals":{"idp.example.com:sub":"bob-sub"}}""");

        // Act
        var result = await IssueAsync(Alice(), role);

        // Assert
        Assert.Equal(CredentialIssueStatus.Refused, result.Status);
        Assert.Null(result.Credentials);
    }

    [Fact]
    public async Task IssueAsync_LocalUserAndMfaRole_NeedsAValidCodeFromTheirDevice()
    {
        // Arrange
        _ = _host.App.Server;
        var account = AccountId.Parse(PortalAppFactory.AccountId);
        var directory = Get<IamDirectory>();
        var user = (await directory.CreateUserAsync(account, "carol")).Value!;
        Assert.True((await directory.PutInlinePolicyAsync(user.Id, "assume", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}""")).Succeeded);
        var trust = $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"{{user.Arn}}"},"Action":"sts:AssumeRole"{{Mfa}}}]}""";
        var role = (await directory.CreateRoleAsync(account, "local-admin", trust, null, null, null, null)).Value!;
        var mfa = Get<MfaService>();
        var device = (await mfa.CreateVirtualDeviceAsync(account, user.Id, "/", "carol-phone")).Value!;
        var totp = new Totp(device.Secret.ToArray());
        string Code(int step) => totp.ComputeTotp((_host.Time.GetUtcNow() + TimeSpan.FromSeconds(30 * step)).UtcDateTime);
        Assert.True((await mfa.EnableAsync(device.SerialNumber, user.Id, Code(-1), Code(0))).Succeeded);
        _host.Time.Advance(TimeSpan.FromMinutes(5));
        var carol = new ClaimsPrincipal(new ClaimsIdentity(
            [new(PortalClaimTypes.Method, "local"), new(PortalClaimTypes.UserId, user.Id), new(PortalClaimTypes.AuthenticationMethod, "mfa")], "test"));
        var wrong = Code(0) == "000000" ? "111111" : "000000";

        // Act
        var noCode = await IssueAsync(carol, role);
        var badCode = await IssueAsync(carol, role, wrong);
        var goodCode = await IssueAsync(carol, role, Code(0));

        // Assert
        Assert.Equal(CredentialIssueStatus.MfaCodeRequired, noCode.Status);
        Assert.Equal(CredentialIssueStatus.MfaCodeInvalid, badCode.Status);
        Assert.Null(badCode.Credentials);
        Assert.Equal(CredentialIssueStatus.Issued, goodCode.Status);
        Assert.Equal($"arn:aws:sts::{PortalAppFactory.AccountId}:assumed-role/local-admin/carol", goodCode.AssumedRoleArn);
    }

    [Fact]
    public async Task CreateLinkAsync_IssuedCredentials_LoginOpensConsoleOnce()
    {
        // Arrange
        var role = await CreateRoleAsync("dev");
        var issued = await IssueAsync(Alice(), role);
        var browser = _host.CreateBrowser();

        // Act
        var link = await Get<ConsoleLinkService>().CreateLinkAsync(issued.Credentials!);
        var first = await browser.GetAsync(link.Value);
        var second = await _host.CreateBrowser().GetAsync(link.Value);

        // Assert
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal("/console", first.Headers.Location!.OriginalString);
        Assert.NotEqual(HttpStatusCode.Redirect, second.StatusCode);
    }

    [Fact]
    public async Task RevokeAsync_OwnSession_RemovedAndNoConsoleLinkAnyMore()
    {
        // Arrange
        var role = await CreateRoleAsync("dev");
        var issued = await IssueAsync(Alice(), role);
        var sessions = Get<SessionsService>();
        var session = Assert.Single(await sessions.ListMineAsync(Alice()));

        // Act
        var byOther = await sessions.RevokeAsync(Alice(subject: "mallory-sub"), session.SessionId);
        var stillThere = await sessions.ListMineAsync(Alice());
        var byOwner = await sessions.RevokeAsync(Alice(), session.SessionId);

        // Assert
        Assert.False(byOther);
        Assert.Single(stillThere);
        Assert.True(byOwner);
        Assert.Empty(await sessions.ListMineAsync(Alice()));
        Assert.False((await Get<ConsoleLinkService>().CreateLinkAsync(issued.Credentials!)).Succeeded);
    }
}
