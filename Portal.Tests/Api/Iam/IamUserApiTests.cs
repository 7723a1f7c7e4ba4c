using System.Net;
using System.Text.RegularExpressions;

namespace Portal.Tests.Api.Iam;

public sealed partial class IamUserApiTests : IClassFixture<PortalAppFactory>
{
    private static readonly string AccountArn = $"arn:aws:iam::{PortalAppFactory.AccountId}";
    private readonly IamApiClient _api;

    public IamUserApiTests(PortalAppFactory factory) => _api = new IamApiClient(factory);

    [Fact]
    public async Task CreateUser_Root_ReturnsUserInIamShape()
    {
        // Arrange
        var name = IamApiClient.Unique("alice");

        // Act
        var r = await _api.CallAsRootAsync("CreateUser", ("UserName", name), ("Path", "/eng/"), ("Tags.member.1.Key", "team"), ("Tags.member.1.Value", "blue"));

        // Assert
        r.AssertOk();
        Assert.Equal(name, r.Value("User", "UserName"));
        Assert.Equal("/eng/", r.Value("User", "Path"));
        Assert.Equal($"{AccountArn}:user/eng/{name}", r.Value("User", "Arn"));
        Assert.StartsWith("AIDA", r.Value("User", "UserId"), StringComparison.Ordinal);
        Assert.Matches(Timestamp(), r.Value("User", "CreateDate"));
        Assert.Equal("blue", r.Value("User", "Tags", "member", "Value"));
    }

    [Theory]
    [InlineData(null, "ValidationError")]
    [InlineData("bad name", "ValidationError")]
    [InlineData("existing", "EntityAlreadyExists")]
    public async Task CreateUser_InvalidOrTakenName_ReturnsIamError(string? name, string code)
    {
        // Arrange
        var existing = IamApiClient.Unique("dup");
        (await _api.CallAsRootAsync("CreateUser", ("UserName", existing))).AssertOk();
        var parameters = name switch
        {
            null => Array.Empty<(string, string)>(),
            "existing" => [("UserName", existing.ToUpperInvariant())],
            _ => [("UserName", name)],
        };

        // Act
        var r = await _api.CallAsRootAsync("CreateUser", parameters);

        // Assert
        r.AssertError(code == "EntityAlreadyExists" ? 409 : 400, code);
    }

    [Fact]
    public async Task GetUser_UnknownName_IsNoSuchEntity404()
    {
        // Act
        var r = await _api.CallAsRootAsync("GetUser", ("UserName", IamApiClient.Unique("ghost")));

        // Assert
        r.AssertError(404, "NoSuchEntity");
    }

    [Fact]
    public async Task GetUser_WithoutUserNameAsRoot_DescribesTheRoot()
    {
        // Act
        var r = await _api.CallAsRootAsync("GetUser");

        // Assert
        r.AssertOk();
        Assert.Equal($"{AccountArn}:root", r.Value("User", "Arn"));
        Assert.Equal(PortalAppFactory.AccountId, r.Value("User", "UserId"));
    }

    [Fact]
    public async Task GetUser_WithoutUserNameAsIamUser_DescribesTheCaller()
    {
        // Arrange
        var (user, creds) = await _api.NewUserAsync(IamApiClient.Allow("iam:GetUser"));

        // Act
        var r = await _api.CallAsync(creds, "GetUser");

        // Assert
        r.AssertOk();
        Assert.Equal(user.Arn, r.Value("User", "Arn"));
    }

    [Fact]
    public async Task ListUsers_MaxItems_PagesWithMarkerUntilNotTruncated()
    {
        // Arrange
        var prefix = "/" + IamApiClient.Unique("p") + "/";
        foreach (var n in new[] { "a", "b", "c" })
        {
            (await _api.CallAsRootAsync("CreateUser", ("UserName", IamApiClient.Unique(n)), ("Path", prefix))).AssertOk();
        }

        // Act
        var first = await _api.CallAsRootAsync("ListUsers", ("PathPrefix", prefix), ("MaxItems", "2"));
        var second = await _api.CallAsRootAsync("ListUsers", ("PathPrefix", prefix), ("MaxItems", "2"), ("Marker", first.Value("Marker")));

        // Assert
        first.AssertOk();
        Assert.Equal(2, first.Result.Element(IamApiClient.Ns + "Users")!.Elements(IamApiClient.Ns + "member").Count());
        Assert.Equal("true", first.Value("IsTruncated"));
        second.AssertOk();
        Assert.Single(second.Result.Element(IamApiClient.Ns + "Users")!.Elements(IamApiClient.Ns + "member"));
        Assert.Equal("false", second.Value("IsTruncated"));
        Assert.Null(second.Result.Element(IamApiClient.Ns + "Marker"));
    }

    [Theory]
    [InlineData("MaxItems", "0")]
    [InlineData("MaxItems", "1001")]
    [InlineData("Marker", "nope")]
    public async Task ListUsers_BadPagingParameter_IsValidationError(string name, string value)
    {
        // Act
        var r = await _api.CallAsRootAsync("ListUsers", (name, value));

        // Assert
        r.AssertError(400, "ValidationError");
    }

    [Fact]
    public async Task DeleteUser_WithAccessKey_IsDeleteConflictUntilTheKeyIsDeleted()
    {
        // Arrange
        var name = IamApiClient.Unique("bob");
        (await _api.CallAsRootAsync("CreateUser", ("UserName", name))).AssertOk();
        var key = await _api.CallAsRootAsync("CreateAccessKey", ("UserName", name));
        key.AssertOk();

        // Act
        var conflict = await _api.CallAsRootAsync("DeleteUser", ("UserName", name));
        (await _api.CallAsRootAsync("DeleteAccessKey", ("UserName", name), ("AccessKeyId", key.Value("AccessKey", "AccessKeyId")))).AssertOk();
        var deleted = await _api.CallAsRootAsync("DeleteUser", ("UserName", name));
        var gone = await _api.CallAsRootAsync("GetUser", ("UserName", name));

        // Assert
        conflict.AssertError(409, "DeleteConflict");
        deleted.AssertOk();
        Assert.Null(deleted.Root.Element(IamApiClient.Ns + "DeleteUserResult"));
        gone.AssertError(404, "NoSuchEntity");
    }

    [Fact]
    public async Task AccessKeys_CreateListUpdate_ReflectStatusAndQuota()
    {
        // Arrange
        var name = IamApiClient.Unique("keys");
        (await _api.CallAsRootAsync("CreateUser", ("UserName", name))).AssertOk();

        // Act
        var created = await _api.CallAsRootAsync("CreateAccessKey", ("UserName", name));
        var keyId = created.Value("AccessKey", "AccessKeyId");
        var updated = await _api.CallAsRootAsync("UpdateAccessKey", ("UserName", name), ("AccessKeyId", keyId), ("Status", "Inactive"));
        var listed = await _api.CallAsRootAsync("ListAccessKeys", ("UserName", name));
        (await _api.CallAsRootAsync("CreateAccessKey", ("UserName", name))).AssertOk();
        var third = await _api.CallAsRootAsync("CreateAccessKey", ("UserName", name));

        // Assert
        created.AssertOk();
        Assert.Equal(name, created.Value("AccessKey", "UserName"));
        Assert.Equal("Active", created.Value("AccessKey", "Status"));
        Assert.StartsWith("AKIA", keyId, StringComparison.Ordinal);
        Assert.NotEmpty(created.Value("AccessKey", "SecretAccessKey"));
        Assert.Matches(Timestamp(), created.Value("AccessKey", "CreateDate"));
        updated.AssertOk();
        listed.AssertOk();
        Assert.Equal(keyId, listed.Value("AccessKeyMetadata", "member", "AccessKeyId"));
        Assert.Equal("Inactive", listed.Value("AccessKeyMetadata", "member", "Status"));
        Assert.Null(listed.Result.Descendants(IamApiClient.Ns + "SecretAccessKey").FirstOrDefault());
        Assert.Equal("false", listed.Value("IsTruncated"));
        third.AssertError(409, "LimitExceeded");
    }

    [Fact]
    public async Task UpdateAccessKey_UnknownStatus_IsValidationError()
    {
        // Arrange
        var (user, creds) = await _api.NewUserAsync();

        // Act
        var r = await _api.CallAsRootAsync("UpdateAccessKey", ("UserName", user.Name), ("AccessKeyId", creds.AccessKeyId), ("Status", "Paused"));

        // Assert
        r.AssertError(400, "ValidationError");
    }

    [Fact]
    public async Task UpdateAccessKey_KeyOfAnotherUser_IsNoSuchEntityAndLeavesItActive()
    {
        // Arrange
        var (victim, victimCreds) = await _api.NewUserAsync();
        var (other, _) = await _api.NewUserAsync();

        // Act
        var r = await _api.CallAsRootAsync("UpdateAccessKey", ("UserName", other.Name), ("AccessKeyId", victimCreds.AccessKeyId), ("Status", "Inactive"));

        // Assert
        r.AssertError(404, "NoSuchEntity");
        var keys = await _api.Directory.ListAccessKeysAsync(IamApiClient.Account, victim.Id);
        Assert.True(keys.Single().IsActive);
    }

    [Fact]
    public async Task DeleteAccessKey_UnknownKey_IsNoSuchEntity()
    {
        // Arrange
        var (user, _) = await _api.NewUserAsync();

        // Act
        var r = await _api.CallAsRootAsync("DeleteAccessKey", ("UserName", user.Name), ("AccessKeyId", "AKIAUNKNOWNKEY000000"));

        // Assert
        r.AssertError(404, "NoSuchEntity");
    }

    [Fact]
    public async Task CreateAccessKey_WithoutUserNameAsIamUser_CreatesForTheCaller()
    {
        // Arrange
        var (user, creds) = await _api.NewUserAsync(IamApiClient.Allow("iam:CreateAccessKey"));

        // Act
        var r = await _api.CallAsync(creds, "CreateAccessKey");

        // Assert
        r.AssertOk();
        Assert.Equal(user.Name, r.Value("AccessKey", "UserName"));
        Assert.Equal(2, (await _api.Directory.ListAccessKeysAsync(IamApiClient.Account, user.Id)).Count);
    }

    [Fact]
    public async Task PutUserPolicy_MalformedDocument_IsMalformedPolicyDocument()
    {
        // Arrange
        var (user, _) = await _api.NewUserAsync();

        // Act
        var r = await _api.CallAsRootAsync("PutUserPolicy", ("UserName", user.Name), ("PolicyName", "p1"), ("PolicyDocument", "{\"Statement\":"));

        // Assert
        r.AssertError(400, "MalformedPolicyDocument");
    }

    [Fact]
    public async Task PutUserPolicy_ValidDocument_GrantsTheUserThatAction()
    {
        // Arrange
        var (user, creds) = await _api.NewUserAsync();
        var before = await _api.CallAsync(creds, "ListUsers");

        // Act
        var put = await _api.CallAsRootAsync("PutUserPolicy", ("UserName", user.Name), ("PolicyName", "list"), ("PolicyDocument", IamApiClient.Allow("iam:ListUsers")));
        var after = await _api.CallAsync(creds, "ListUsers");

        // Assert
        before.AssertError(403, "AccessDenied");
        put.AssertOk();
        after.AssertOk();
    }

    [Theory]
    [InlineData("ListUsers")]
    [InlineData("CreateUser")]
    [InlineData("ListRoles")]
    [InlineData("CreateVirtualMFADevice")]
    [InlineData("ListSAMLProviders")]
    public async Task AnyAction_IamUserWithoutPolicies_IsAccessDenied(string action)
    {
        // Arrange
        var (_, creds) = await _api.NewUserAsync();
        var parameters = action switch
        {
            "CreateUser" => [("UserName", IamApiClient.Unique("x"))],
            "CreateVirtualMFADevice" => [("VirtualMFADeviceName", IamApiClient.Unique("d"))],
            _ => Array.Empty<(string, string)>(),
        };

        // Act
        var r = await _api.CallAsync(creds, action, parameters);

        // Assert
        r.AssertError(403, "AccessDenied");
        Assert.Contains($"iam:{action}", r.Root.Descendants(IamApiClient.Ns + "Message").Single().Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetUserOnlyPolicy_AllowsGetUser_ButNotCreateUser()
    {
        // Arrange
        var (_, creds) = await _api.NewUserAsync(IamApiClient.Allow("iam:GetUser", $"{AccountArn}:user/*"));
        var (target, _) = await _api.NewUserAsync();
        var newName = IamApiClient.Unique("denied");

        // Act
        var get = await _api.CallAsync(creds, "GetUser", ("UserName", target.Name));
        var create = await _api.CallAsync(creds, "CreateUser", ("UserName", newName));

        // Assert
        get.AssertOk();
        Assert.Equal(target.Arn, get.Value("User", "Arn"));
        create.AssertError(403, "AccessDenied");
        Assert.Null(await _api.Directory.FindUserAsync(IamApiClient.Account, newName));
    }

    [Fact]
    public async Task GetUser_UnknownUserWithoutPermission_IsAccessDeniedNotNoSuchEntity()
    {
        // Arrange
        var (_, creds) = await _api.NewUserAsync();

        // Act
        var r = await _api.CallAsync(creds, "GetUser", ("UserName", IamApiClient.Unique("ghost")));

        // Assert
        r.AssertError(403, "AccessDenied");
    }

    [Fact]
    public async Task UnknownAction_IsInvalidActionInTheIamNamespace()
    {
        // Act
        var r = await _api.CallAsRootAsync("CreateGroup", ("GroupName", "g"));

        // Assert
        r.AssertError(400, "InvalidAction");
        Assert.Equal(HttpStatusCode.BadRequest, r.Status);
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")]
    private static partial Regex Timestamp();
}
