using Portal.Core.Iam;
using Portal.Core.Sts;
using Portal.Tests.Core.Sts;
using static Portal.Tests.Core.Sts.EngineHarness;

namespace Portal.Tests.Core.Iam;

/// <summary>Console passwords (login profiles): storage, per-user lockout (SECURITY-CASES 101 for the password step).</summary>
public sealed class IamDirectoryLoginProfileTests : IAsyncLifetime
{
    private const string Hash = "stored-hash";
    private static readonly ConsoleLockoutPolicy Policy = new(3, TimeSpan.FromMinutes(15));
    private EngineHarness _h = null!;
    private int _verifyCalls;

    public async Task InitializeAsync() => _h = await EngineHarness.CreateAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private IamDirectory Directory => _h.Directory;

    [Fact]
    public async Task CheckConsolePassword_RightPassword_SucceedsWithUser()
    {
        // Arrange
        var user = await CreateUserWithProfileAsync();

        // Act
        var check = await CheckAsync(user.Name, right: true);

        // Assert
        Assert.Equal(ConsolePasswordStatus.Success, check.Status);
        Assert.Equal(user.Id, check.User!.Id);
        Assert.True(check.User.HasConsolePassword);
    }

    [Fact]
    public async Task CheckConsolePassword_WrongPassword_IsWrongPassword()
    {
        // Arrange
        var user = await CreateUserWithProfileAsync();

        // Act
        var check = await CheckAsync(user.Name, right: false);

        // Assert
        Assert.Equal(ConsolePasswordStatus.WrongPassword, check.Status);
        Assert.Null(check.User);
    }

    [Fact]
    public async Task CheckConsolePassword_UserWithoutProfile_IsUnknownWithoutVerifying()
    {
        // Arrange
        var user = Ok(await Directory.CreateUserAsync(Account(AccountA), "noprofile"));

        // Act
        var check = await CheckAsync(user.Name, right: true);

        // Assert
        Assert.Equal(ConsolePasswordStatus.UnknownUser, check.Status);
        Assert.Equal(0, _verifyCalls);
    }

    [Fact]
    public async Task CheckConsolePassword_UserOfAnotherAccount_IsUnknown()
    {
        // Arrange
        var user = await CreateUserWithProfileAsync();

        // Act
        var check = await Directory.CheckConsolePasswordAsync(Account(AccountB), user.Name, Verify(right: true), Policy);

        // Assert
        Assert.Equal(ConsolePasswordStatus.UnknownUser, check.Status);
    }

    [Fact]
    public async Task CheckConsolePassword_MaxFailures_LocksEvenTheRightPassword()
    {
        // Arrange
        var user = await CreateUserWithProfileAsync();
        for (var i = 0; i < Policy.MaxFailures - 1; i++)
        {
            Assert.Equal(ConsolePasswordStatus.WrongPassword, (await CheckAsync(user.Name, right: false)).Status);
        }

        // Act
        var locking = await CheckAsync(user.Name, right: false);
        _verifyCalls = 0;
        var duringLock = await CheckAsync(user.Name, right: true);

        // Assert
        Assert.Equal(ConsolePasswordStatus.LockedOut, locking.Status);
        Assert.Equal(_h.Time.GetUtcNow() + Policy.LockoutDuration, locking.LockedUntil);
        Assert.Equal(ConsolePasswordStatus.LockedOut, duringLock.Status);
        Assert.Equal(0, _verifyCalls);
    }

    [Fact]
    public async Task CheckConsolePassword_AfterLockExpires_AcceptsTheRightPassword()
    {
        // Arrange
        var user = await CreateUserWithProfileAsync();
        for (var i = 0; i < Policy.MaxFailures; i++)
        {
            await CheckAsync(user.Name, right: false);
        }

        _h.Time.Advance(Policy.LockoutDuration);

        // Act
        var check = await CheckAsync(user.Name, right: true);

        // Assert
        Assert.Equal(ConsolePasswordStatus.Success, check.Status);
    }

    [Fact]
    public async Task CheckConsolePassword_SuccessBetweenFailures_ResetsTheCounter()
    {
        // Arrange
        var user = await CreateUserWithProfileAsync();
        for (var i = 0; i < Policy.MaxFailures - 1; i++)
        {
            await CheckAsync(user.Name, right: false);
        }

        await CheckAsync(user.Name, right: true);
        for (var i = 0; i < Policy.MaxFailures - 1; i++)
        {
            await CheckAsync(user.Name, right: false);
        }

        // Act
        var check = await CheckAsync(user.Name, right: true);

        // Assert
        Assert.Equal(ConsolePasswordStatus.Success, check.Status);
    }

    [Fact]
    public async Task CheckConsolePassword_ParallelWrongPasswords_LockAfterMaxFailures()
    {
        // Arrange
        var user = await CreateUserWithProfileAsync();

        // Act: more parallel guesses than allowed must not all be counted against a stale value.
        var checks = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => CheckAsync(user.Name, right: false)));
        var after = await CheckAsync(user.Name, right: true);

        // Assert
        Assert.Contains(checks, c => c.Status == ConsolePasswordStatus.LockedOut);
        Assert.Equal(ConsolePasswordStatus.LockedOut, after.Status);
    }

    [Fact]
    public async Task SetLoginProfile_UnknownUser_IsNoSuchEntity()
    {
        // Act
        var outcome = await Directory.SetLoginProfileAsync("AIDANOSUCHUSER000000", Hash);

        // Assert
        Fails(outcome, StsErrorCode.NoSuchEntity);
    }

    [Fact]
    public async Task SetLoginProfile_LockedUser_ClearsTheLock()
    {
        // Arrange
        var user = await CreateUserWithProfileAsync();
        for (var i = 0; i < Policy.MaxFailures; i++)
        {
            await CheckAsync(user.Name, right: false);
        }

        // Act
        Ok(await Directory.SetLoginProfileAsync(user.Id, Hash));
        var check = await CheckAsync(user.Name, right: true);

        // Assert
        Assert.Equal(ConsolePasswordStatus.Success, check.Status);
    }

    [Fact]
    public async Task DeleteLoginProfile_ThenCheck_IsUnknownUser()
    {
        // Arrange
        var user = await CreateUserWithProfileAsync();

        // Act
        Ok(await Directory.DeleteLoginProfileAsync(user.Id));
        var check = await CheckAsync(user.Name, right: true);

        // Assert
        Assert.Equal(ConsolePasswordStatus.UnknownUser, check.Status);
        Fails(await Directory.DeleteLoginProfileAsync(user.Id), StsErrorCode.NoSuchEntity);
    }

    private async Task<UserInfo> CreateUserWithProfileAsync()
    {
        var user = Ok(await Directory.CreateUserAsync(Account(AccountA), "u" + Guid.NewGuid().ToString("N")[..8]));
        Ok(await Directory.SetLoginProfileAsync(user.Id, Hash));
        return user;
    }

    private Task<ConsolePasswordCheck> CheckAsync(string userName, bool right) =>
        Directory.CheckConsolePasswordAsync(Account(AccountA), userName, Verify(right), Policy);

    private Func<string, bool> Verify(bool right) => hash =>
    {
        Interlocked.Increment(ref _verifyCalls);
        Assert.Equal(Hash, hash);
        return right;
    };
}
