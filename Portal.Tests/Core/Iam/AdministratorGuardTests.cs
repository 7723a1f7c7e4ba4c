using Portal.Core.Iam;
using Portal.Core.Sts;
using Portal.Tests.Core.Sts;
using static Portal.Tests.Core.Sts.EngineHarness;

namespace Portal.Tests.Core.Iam;

/// <summary>AdministratorGuard: what counts as an administrator and when a change is refused (SECURITY-CASES 104g (5)).</summary>
public sealed class AdministratorGuardTests : IAsyncLifetime
{
    private static readonly string Administer = PolicyJson.Allow("*", "portal:Administer");
    private EngineHarness _h = null!;

    public async Task InitializeAsync() => _h = await EngineHarness.CreateAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task CheckAsync_LastAdministratorLosesPolicy_DeleteConflict()
    {
        // Arrange
        var boss = await AdministratorAsync("boss");

        // Act
        var refused = await Guard().CheckAsync(boss, AdministratorChange.DeleteInlinePolicy("inline"));

        // Assert
        Assert.Equal(StsErrorCode.DeleteConflict, refused?.Code);
    }

    [Fact]
    public async Task CheckAsync_AdministratorGroupConfigured_Allowed()
    {
        // Arrange
        var boss = await AdministratorAsync("boss");

        // Act
        var refused = await Guard(groups: true).CheckAsync(boss, AdministratorChange.DeleteLoginProfile);

        // Assert
        Assert.Null(refused);
    }

    [Fact]
    public async Task CheckAsync_OtherAdministratorOnlyWithoutPassword_StillRefused()
    {
        // Arrange: someone allowed portal:Administer who cannot sign in does not count.
        var boss = await AdministratorAsync("boss");
        await _h.CreateUserAsync("keys-only", Administer);

        // Act
        var refused = await Guard().CheckAsync(boss, AdministratorChange.DeleteUser);

        // Assert
        Assert.Equal(StsErrorCode.DeleteConflict, refused?.Code);
    }

    [Fact]
    public async Task CheckAsync_AdministratorInAnotherAccount_Allowed()
    {
        // Arrange
        var boss = await AdministratorAsync("boss");
        await AdministratorAsync("deputy", AccountB);

        // Act
        var refused = await Guard().CheckAsync(boss, AdministratorChange.DeleteLoginProfile);

        // Assert
        Assert.Null(refused);
    }

    [Fact]
    public async Task CheckAsync_TargetIsNoAdministrator_AllowedEvenWithNoAdministratorLeft()
    {
        // Arrange
        var clerk = await _h.CreateUserAsync("clerk", PolicyJson.Allow("*", "s3:GetObject"));
        Assert.True((await _h.Directory.SetLoginProfileAsync(clerk.User.Id, "hash")).Succeeded);

        // Act
        var refused = await Guard().CheckAsync((await _h.Directory.FindUserByIdAsync(clerk.User.Id))!, AdministratorChange.DeleteUser);

        // Assert
        Assert.Null(refused);
    }

    private AdministratorGuard Guard(bool groups = false) => new(_h.Directory, _h.Policies, _h.Time, () => groups);

    private async Task<UserInfo> AdministratorAsync(string name, string account = AccountA)
    {
        var user = await _h.CreateUserAsync(name, Administer, account);
        Assert.True((await _h.Directory.SetLoginProfileAsync(user.User.Id, "hash")).Succeeded);
        return (await _h.Directory.FindUserByIdAsync(user.User.Id))!;
    }
}
