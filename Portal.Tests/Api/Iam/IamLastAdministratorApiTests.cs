using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Iam;
using Portal.Core.Persistence;
using Portal.Hosting;

namespace Portal.Tests.Api.Iam;

/// <summary>
/// SECURITY-CASES 104g (5) through the IAM API: a change that leaves no administrator (IAM user with a console password
/// allowed portal:Administer, no administrator group configured) is refused with 409 DeleteConflict; the same change
/// succeeds when another administrator exists (the group case: AdministratorGuardTests). IAM changes are audited with the caller and before/after values.
/// Each test gets its own portal, since "the last administrator" is a property of the whole directory.
/// </summary>
public sealed class IamLastAdministratorApiTests : IAsyncLifetime, IDisposable
{
    private const string Boss = "boss";
    private static readonly string Administer = IamApiClient.Allow("portal:Administer");
    private readonly PortalAppFactory _factory = new();
    private IamApiClient _api = default!;

    public async Task InitializeAsync()
    {
        _api = new IamApiClient(_factory);

        // The bootstrap administrator steps aside (no console password), so "boss" set up below is the only administrator.
        var bootstrap = await _api.Directory.FindUserAsync(IamApiClient.Account, FirstRunBootstrap.AdminUserName);
        Assert.True((await _api.Directory.DeleteLoginProfileAsync(bootstrap!.Id)).Succeeded);
    }

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    public void Dispose() => _factory.Dispose();

    public static TheoryData<string> Removals => ["DeleteUserPolicy", "PutUserPolicy", "DetachUserPolicy", "AttachUserPolicy", "DeleteLoginProfile", "DeleteUser"];

    [Theory]
    [MemberData(nameof(Removals))]
    public async Task Change_LastAdministrator_RefusedWithDeleteConflictAndNothingChanges(string action)
    {
        // Arrange
        var boss = await AdministratorAsync(Boss, managed: action == "DetachUserPolicy");
        var before = await PoliciesAsync(boss);

        // Act
        var r = await _api.CallAsRootAsync(action, await ParametersAsync(action));

        // Assert
        r.AssertError(409, "DeleteConflict");
        Assert.Contains("last portal administrator", r.Root.ToString(), StringComparison.Ordinal);
        var now = await _api.Directory.FindUserByIdAsync(boss.Id);
        Assert.True(now!.HasConsolePassword);
        Assert.Equal(before, await PoliciesAsync(boss));
    }

    [Theory]
    [MemberData(nameof(Removals))]
    public async Task Change_AnotherAdministratorExists_Succeeds(string action)
    {
        // Arrange
        await AdministratorAsync(Boss, managed: action == "DetachUserPolicy");
        await AdministratorAsync("deputy", managed: false);
        if (action == "DeleteUser")
        {
            // IAM's own rule: policies go before the user (DeleteConflict of another kind).
            var boss = await _api.Directory.FindUserAsync(IamApiClient.Account, Boss);
            await _api.Directory.DeleteInlinePolicyAsync(boss!.Id, "admin");
        }

        // Act
        var r = await _api.CallAsRootAsync(action, await ParametersAsync(action));

        // Assert
        r.AssertOk();
    }

    [Fact]
    public async Task PutUserPolicy_StillAllowsAdminister_SucceedsForTheLastAdministrator()
    {
        // Arrange
        await AdministratorAsync(Boss, managed: false);

        // Act
        var r = await _api.CallAsRootAsync("PutUserPolicy", ("UserName", Boss), ("PolicyName", "admin"), ("PolicyDocument", IamApiClient.Allow("portal:*")));

        // Assert
        r.AssertOk();
    }

    [Fact]
    public async Task UpdateAssumeRolePolicy_Audited_WithCallerAndTrustBeforeAndAfter()
    {
        // Arrange
        var name = IamApiClient.Unique("r");
        var before = Trust("root");
        var after = Trust("user/" + Boss);
        (await _api.CallAsRootAsync("CreateRole", ("RoleName", name), ("AssumeRolePolicyDocument", before))).AssertOk();

        // Act
        (await _api.CallAsRootAsync("UpdateAssumeRolePolicy", ("RoleName", name), ("PolicyDocument", after))).AssertOk();

        // Assert
        var record = await AuditAsync("iam:UpdateAssumeRolePolicy");
        Assert.Equal(($"arn:aws:iam::{PortalAppFactory.AccountId}:root", "Allow", PortalAppFactory.RootAccessKeyId), (record.Principal, record.Decision, record.CallerAccessKeyId));
        Assert.Contains(before, record.Before, StringComparison.Ordinal);
        Assert.Contains(after, record.After, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeleteUserPolicy_Refused_AuditedAsDeniedWithTheUnchangedPolicy()
    {
        // Arrange
        await AdministratorAsync(Boss, managed: false);

        // Act
        await _api.CallAsRootAsync("DeleteUserPolicy", ("UserName", Boss), ("PolicyName", "admin"));

        // Assert
        var record = await AuditAsync("iam:DeleteUserPolicy");
        Assert.Equal(("Deny", "DeleteConflict"), (record.Decision, record.ErrorCode));
        Assert.Equal((Administer, Administer), (record.Before, record.After));
    }

    private static string Trust(string principal) =>
        $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{PortalAppFactory.AccountId}}:{{principal}}"},"Action":"sts:AssumeRole"}]}""";

    private async Task<UserInfo> AdministratorAsync(string name, bool managed)
    {
        var directory = _api.Directory;
        var user = (await directory.CreateUserAsync(IamApiClient.Account, name)).Value!;
        Assert.True((await directory.SetLoginProfileAsync(user.Id, "test-hash")).Succeeded);
        if (managed)
        {
            var policy = (await directory.CreateManagedPolicyAsync(IamApiClient.Account, "Admins", Administer)).Value!;
            Assert.True((await directory.AttachPolicyAsync(user.Id, policy.Arn)).Succeeded);
        }
        else
        {
            Assert.True((await directory.PutInlinePolicyAsync(user.Id, "admin", Administer)).Succeeded);
        }

        return user;
    }

    private async Task<(string Name, string Value)[]> ParametersAsync(string action)
    {
        var deny = $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"portal:Administer","Resource":"*"}]}""";
        return action switch
        {
            "DeleteUserPolicy" => [("UserName", Boss), ("PolicyName", "admin")],
            "PutUserPolicy" => [("UserName", Boss), ("PolicyName", "admin"), ("PolicyDocument", IamApiClient.Allow("s3:GetObject"))],
            "DetachUserPolicy" => [("UserName", Boss), ("PolicyArn", $"arn:aws:iam::{PortalAppFactory.AccountId}:policy/Admins")],
            "AttachUserPolicy" => [("UserName", Boss), ("PolicyArn", (await _api.Directory.CreateManagedPolicyAsync(IamApiClient.Account, "NoAdmin", deny)).Value!.Arn)],
            "DeleteLoginProfile" or "DeleteUser" => [("UserName", Boss)],
            _ => throw new ArgumentOutOfRangeException(nameof(action)),
        };
    }

    private async Task<string> PoliciesAsync(UserInfo user)
    {
        var inline = await _api.Directory.ListInlinePoliciesAsync(user.Id);
        var attached = await _api.Directory.ListAttachedPoliciesAsync(user.Id);
        return string.Join(",", inline.Select(p => p.Name + "=" + p.Document).Concat(attached.Select(p => p.Arn)));
    }

    private async Task<Portal.Core.Persistence.Entities.AuditEventEntity> AuditAsync(string action)
    {
        var dbFactory = _factory.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        await using var db = await dbFactory.CreateDbContextAsync();
        return await db.AuditEvents.AsNoTracking().SingleAsync(e => e.Action == action);
    }
}
