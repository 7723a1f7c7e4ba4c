using Portal.Core.Iam;
using Portal.Core.Sts;
using Portal.Tests.Core.Sts;
using static Portal.Tests.Core.Sts.EngineHarness;

namespace Portal.Tests.Core.Iam;

/// <summary>IamDirectory model rules: names, paths, uniqueness, quotas, delete conflicts, trust policies, MaxSessionDuration.</summary>
public sealed class IamDirectoryTests : IAsyncLifetime
{
    private static readonly string ValidTrust = PolicyJson.TrustAws($"arn:aws:iam::{AccountA}:root");
    private EngineHarness _h = null!;

    public async Task InitializeAsync() => _h = await EngineHarness.CreateAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private IamDirectory Directory => _h.Directory;

    [Theory]
    [InlineData("", "Member must have length greater than or equal to 1")]
    [InlineData("abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklm", "Member must have length less than or equal to 64")]
    [InlineData("bad name", @"Member must satisfy regular expression pattern: [\w+=,.@-]+")]
    [InlineData("ünï", @"Member must satisfy regular expression pattern: [\w+=,.@-]+")]
    public async Task CreateUser_BadName_FailsValidation(string name, string constraint)
    {
        // Arrange
        var account = Account(AccountA);

        // Act
        var outcome = await Directory.CreateUserAsync(account, name);

        // Assert
        Assert.Equal($"1 validation error detected: Value '{name}' at 'userName' failed to satisfy constraint: {constraint}", Fails(outcome, StsErrorCode.ValidationError).Message);
    }

    [Theory]
    [InlineData("team")]
    [InlineData("/team")]
    [InlineData("/te am/")]
    public async Task CreateUser_BadPath_FailsValidation(string path)
    {
        // Arrange
        var account = Account(AccountA);

        // Act
        var outcome = await Directory.CreateUserAsync(account, "alice", path);

        // Assert
        Assert.Equal(
            $@"1 validation error detected: Value '{path}' at 'path' failed to satisfy constraint: Member must satisfy regular expression pattern: (\u002F)|(\u002F[\u0021-\u007E]+\u002F)",
            Fails(outcome, StsErrorCode.ValidationError).Message);
    }

    [Fact]
    public async Task CreateUser_WithPath_HasArnWithPath()
    {
        // Arrange
        var account = Account(AccountA);

        // Act
        var user = Ok(await Directory.CreateUserAsync(account, "alice", "/staff/eng/"));

        // Assert
        Assert.Equal($"arn:aws:iam::{AccountA}:user/staff/eng/alice", user.Arn);
        Assert.StartsWith("AIDA", user.Id, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateUser_NameDifferingOnlyInCase_IsEntityAlreadyExists()
    {
        // Arrange
        Ok(await Directory.CreateUserAsync(Account(AccountA), "alice"));

        // Act
        var outcome = await Directory.CreateUserAsync(Account(AccountA), "Alice");

        // Assert
        Assert.Equal("User with name Alice already exists.", Fails(outcome, StsErrorCode.EntityAlreadyExists).Message);
    }

    [Fact]
    public async Task CreateUser_SameNameInAnotherAccount_Succeeds()
    {
        // Arrange
        Ok(await Directory.CreateUserAsync(Account(AccountA), "alice"));

        // Act
        var outcome = await Directory.CreateUserAsync(Account(AccountB), "alice");

        // Assert
        Assert.Equal($"arn:aws:iam::{AccountB}:user/alice", Ok(outcome).Arn);
    }

    [Fact]
    public async Task CreateUser_UnknownAccount_IsNoSuchEntity()
    {
        // Arrange
        var account = Account("999999999999");

        // Act
        var outcome = await Directory.CreateUserAsync(account, "alice");

        // Assert
        Fails(outcome, StsErrorCode.NoSuchEntity);
    }

    [Fact]
    public async Task CreateAccount_Duplicate_IsEntityAlreadyExists()
    {
        // Arrange: the harness created account A.
        var id = AccountA;

        // Act
        var outcome = await Directory.CreateAccountAsync(id, null);

        // Assert
        Assert.Equal($"Account {AccountA} already exists.", Fails(outcome, StsErrorCode.EntityAlreadyExists).Message);
    }

    [Fact]
    public async Task CreateAccount_NotTwelveDigits_FailsValidation()
    {
        // Arrange
        var id = "12345";

        // Act
        var outcome = await Directory.CreateAccountAsync(id, null);

        // Assert
        Fails(outcome, StsErrorCode.ValidationError);
    }

    [Fact]
    public async Task CreateAccessKey_ThirdKey_IsLimitExceeded()
    {
        // Arrange
        var user = Ok(await Directory.CreateUserAsync(Account(AccountA), "alice"));
        Ok(await Directory.CreateAccessKeyAsync(Account(AccountA), user.Id));
        Ok(await Directory.CreateAccessKeyAsync(Account(AccountA), user.Id));

        // Act
        var outcome = await Directory.CreateAccessKeyAsync(Account(AccountA), user.Id);

        // Assert
        Assert.Equal("Cannot exceed quota for AccessKeysPerUser: 2", Fails(outcome, StsErrorCode.LimitExceeded).Message);
    }

    [Fact]
    public async Task CreateAccessKey_AfterDeletingOne_IsAllowedAgain()
    {
        // Arrange
        var user = Ok(await Directory.CreateUserAsync(Account(AccountA), "alice"));
        var first = Ok(await Directory.CreateAccessKeyAsync(Account(AccountA), user.Id));
        Ok(await Directory.CreateAccessKeyAsync(Account(AccountA), user.Id));
        Ok(await Directory.DeleteAccessKeyAsync(Account(AccountA), first.Key.AccessKeyId));

        // Act
        var outcome = await Directory.CreateAccessKeyAsync(Account(AccountA), user.Id);

        // Assert
        Ok(outcome);
    }

    [Fact]
    public async Task CreateAccessKey_Root_HasItsOwnQuota()
    {
        // Arrange
        Ok(await Directory.CreateAccessKeyAsync(Account(AccountA), null));
        Ok(await Directory.CreateAccessKeyAsync(Account(AccountA), null));

        // Act
        var outcome = await Directory.CreateAccessKeyAsync(Account(AccountA), null);

        // Assert
        Fails(outcome, StsErrorCode.LimitExceeded);
    }

    [Fact]
    public async Task CreateAccessKey_Created_ResolvesToItsSecretAndOwner()
    {
        // Arrange
        var user = Ok(await Directory.CreateUserAsync(Account(AccountA), "alice"));
        var key = Ok(await Directory.CreateAccessKeyAsync(Account(AccountA), user.Id));

        // Act
        var resolved = await Directory.ResolveAccessKeyAsync(key.Key.AccessKeyId);

        // Assert
        Assert.NotNull(resolved);
        Assert.Equal(key.SecretAccessKey, resolved.SecretAccessKey);
        Assert.Equal(user.Id, resolved.UserId);
        Assert.True(resolved.IsActive);
        Assert.StartsWith("AKIA", key.Key.AccessKeyId, StringComparison.Ordinal);
        Assert.Equal(40, key.SecretAccessKey.Length);
    }

    [Fact]
    public async Task DeleteUser_WithAccessKey_IsDeleteConflict()
    {
        // Arrange
        var user = Ok(await Directory.CreateUserAsync(Account(AccountA), "alice"));
        var key = Ok(await Directory.CreateAccessKeyAsync(Account(AccountA), user.Id));

        // Act
        var conflict = await Directory.DeleteUserAsync(Account(AccountA), "alice");
        Ok(await Directory.DeleteAccessKeyAsync(Account(AccountA), key.Key.AccessKeyId));
        var deleted = await Directory.DeleteUserAsync(Account(AccountA), "alice");

        // Assert
        Assert.Equal("Cannot delete entity, must delete access keys, policies and MFA devices first.", Fails(conflict, StsErrorCode.DeleteConflict).Message);
        Assert.True(Ok(deleted));
    }

    [Fact]
    public async Task DeleteUser_WithInlinePolicy_IsDeleteConflict()
    {
        // Arrange
        var user = Ok(await Directory.CreateUserAsync(Account(AccountA), "alice"));
        Ok(await Directory.PutInlinePolicyAsync(user.Id, "p", PolicyJson.AllowAll));

        // Act
        var outcome = await Directory.DeleteUserAsync(Account(AccountA), "alice");

        // Assert
        Fails(outcome, StsErrorCode.DeleteConflict);
    }

    [Fact]
    public async Task DeleteUser_Unknown_IsNoSuchEntity()
    {
        // Arrange
        var account = Account(AccountA);

        // Act
        var outcome = await Directory.DeleteUserAsync(account, "ghost");

        // Assert
        Assert.Equal("The user with name ghost cannot be found.", Fails(outcome, StsErrorCode.NoSuchEntity).Message);
    }

    [Fact]
    public async Task DeleteRole_WithPolicies_IsDeleteConflictUntilRemoved()
    {
        // Arrange
        var role = Ok(await Directory.CreateRoleAsync(Account(AccountA), "demo", ValidTrust));
        Ok(await Directory.PutInlinePolicyAsync(role.Id, "p", PolicyJson.AllowAll));

        // Act
        var conflict = await Directory.DeleteRoleAsync(Account(AccountA), "demo");
        Ok(await Directory.DeleteInlinePolicyAsync(role.Id, "p"));
        var deleted = await Directory.DeleteRoleAsync(Account(AccountA), "demo");

        // Assert
        Assert.Equal("Cannot delete entity, must delete policies first.", Fails(conflict, StsErrorCode.DeleteConflict).Message);
        Assert.True(Ok(deleted));
        Assert.Null(await Directory.FindRoleAsync(Account(AccountA), "demo"));
    }

    [Fact]
    public async Task DeleteRole_WithAttachedManagedPolicy_IsDeleteConflict()
    {
        // Arrange
        var role = Ok(await Directory.CreateRoleAsync(Account(AccountA), "demo", ValidTrust));
        var policy = Ok(await Directory.CreateManagedPolicyAsync(Account(AccountA), "All", PolicyJson.AllowAll));
        Ok(await Directory.AttachPolicyAsync(role.Id, policy.Arn));

        // Act
        var outcome = await Directory.DeleteRoleAsync(Account(AccountA), "demo");

        // Assert
        Fails(outcome, StsErrorCode.DeleteConflict);
    }

    [Fact]
    public async Task CreateRole_NameDifferingOnlyInCase_IsEntityAlreadyExists()
    {
        // Arrange
        Ok(await Directory.CreateRoleAsync(Account(AccountA), "demo", ValidTrust));

        // Act
        var outcome = await Directory.CreateRoleAsync(Account(AccountA), "DEMO", ValidTrust);

        // Assert
        Assert.Equal("Role with name DEMO already exists.", Fails(outcome, StsErrorCode.EntityAlreadyExists).Message);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole"}]}""")]
    public async Task CreateRole_MalformedTrustPolicy_IsMalformedPolicyDocument(string trust)
    {
        // Arrange: the second document lacks the Principal every trust statement needs.
        var account = Account(AccountA);

        // Act
        var outcome = await Directory.CreateRoleAsync(account, "demo", trust);

        // Assert
        Assert.NotEmpty(Fails(outcome, StsErrorCode.MalformedPolicyDocument).Message);
        Assert.Null(await Directory.FindRoleAsync(account, "demo"));
    }

    [Fact]
    public async Task CreateRole_EmptyTrustPolicy_IsMalformedPolicyDocument()
    {
        // Arrange
        var account = Account(AccountA);

        // Act
        var outcome = await Directory.CreateRoleAsync(account, "demo", string.Empty);

        // Assert
        Assert.Equal("The policy document is empty.", Fails(outcome, StsErrorCode.MalformedPolicyDocument).Message);
    }

    [Fact]
    public async Task UpdateAssumeRolePolicy_Malformed_KeepsTheOldPolicy()
    {
        // Arrange
        Ok(await Directory.CreateRoleAsync(Account(AccountA), "demo", ValidTrust));

        // Act
        var outcome = await Directory.UpdateAssumeRolePolicyAsync(Account(AccountA), "demo", "{");

        // Assert
        Fails(outcome, StsErrorCode.MalformedPolicyDocument);
        Assert.Equal(ValidTrust, (await Directory.FindRoleAsync(Account(AccountA), "demo"))?.TrustPolicy);
    }

    [Theory]
    [InlineData(3599, "greater than or equal to 3600")]
    [InlineData(43201, "less than or equal to 43200")]
    public async Task CreateRole_MaxSessionDurationOutOfBounds_FailsValidation(int seconds, string bound)
    {
        // Arrange
        var account = Account(AccountA);

        // Act
        var outcome = await Directory.CreateRoleAsync(account, "demo", ValidTrust, maxSessionDuration: seconds);

        // Assert
        Assert.Equal(
            $"1 validation error detected: Value '{seconds}' at 'maxSessionDuration' failed to satisfy constraint: Member must have value {bound}",
            Fails(outcome, StsErrorCode.ValidationError).Message);
    }

    [Theory]
    [InlineData(null, 3600)]
    [InlineData(3600, 3600)]
    [InlineData(43200, 43200)]
    public async Task CreateRole_MaxSessionDurationWithinBounds_IsStored(int? seconds, int expected)
    {
        // Arrange
        var account = Account(AccountA);

        // Act
        var role = Ok(await Directory.CreateRoleAsync(account, "demo", ValidTrust, maxSessionDuration: seconds));

        // Assert
        Assert.Equal(expected, role.MaxSessionDuration);
    }

    [Fact]
    public async Task UpdateRole_MaxSessionDurationOutOfBounds_FailsValidation()
    {
        // Arrange
        Ok(await Directory.CreateRoleAsync(Account(AccountA), "demo", ValidTrust));

        // Act
        var outcome = await Directory.UpdateRoleAsync(Account(AccountA), "demo", null, 100);

        // Assert
        Fails(outcome, StsErrorCode.ValidationError);
        Assert.Equal(3600, (await Directory.FindRoleAsync(Account(AccountA), "demo"))?.MaxSessionDuration);
    }

    [Fact]
    public async Task UpdateRole_Unknown_IsNoSuchEntity()
    {
        // Arrange
        var account = Account(AccountA);

        // Act
        var outcome = await Directory.UpdateRoleAsync(account, "ghost", "d", 7200);

        // Assert
        Assert.Equal("The role with name ghost cannot be found.", Fails(outcome, StsErrorCode.NoSuchEntity).Message);
    }

    [Fact]
    public async Task PutInlinePolicy_Malformed_IsMalformedPolicyDocument()
    {
        // Arrange
        var user = Ok(await Directory.CreateUserAsync(Account(AccountA), "alice"));

        // Act
        var outcome = await Directory.PutInlinePolicyAsync(user.Id, "p", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow"}]}""");

        // Assert
        Fails(outcome, StsErrorCode.MalformedPolicyDocument);
    }

    [Fact]
    public async Task PutInlinePolicy_UnknownOwner_IsNoSuchEntity()
    {
        // Arrange
        var owner = "AIDAUNKNOWNUNKNOWN123";

        // Act
        var outcome = await Directory.PutInlinePolicyAsync(owner, "p", PolicyJson.AllowAll);

        // Assert
        Fails(outcome, StsErrorCode.NoSuchEntity);
    }

    [Fact]
    public async Task CreateManagedPolicy_Duplicate_IsEntityAlreadyExists()
    {
        // Arrange
        Ok(await Directory.CreateManagedPolicyAsync(Account(AccountA), "All", PolicyJson.AllowAll));

        // Act
        var outcome = await Directory.CreateManagedPolicyAsync(Account(AccountA), "All", PolicyJson.AllowAll);

        // Assert
        Assert.Equal("A policy called All already exists. Duplicate names are not allowed.", Fails(outcome, StsErrorCode.EntityAlreadyExists).Message);
    }

    [Fact]
    public async Task AttachPolicy_UnknownPolicy_IsNoSuchEntity()
    {
        // Arrange
        var user = Ok(await Directory.CreateUserAsync(Account(AccountA), "alice"));

        // Act
        var outcome = await Directory.AttachPolicyAsync(user.Id, $"arn:aws:iam::{AccountA}:policy/Ghost");

        // Assert
        Fails(outcome, StsErrorCode.NoSuchEntity);
    }

    [Fact]
    public async Task ImportAccessKey_Duplicate_IsEntityAlreadyExists()
    {
        // Arrange
        Ok(await Directory.ImportAccessKeyAsync(Account(AccountA), null, "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"));

        // Act
        var outcome = await Directory.ImportAccessKeyAsync(Account(AccountA), null, "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");

        // Assert
        Fails(outcome, StsErrorCode.EntityAlreadyExists);
    }
}
