namespace Portal.Tests.Api.Iam;

public sealed class IamRoleApiTests : IClassFixture<PortalAppFactory>
{
    private const string Trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";
    private static readonly string Permissions = IamApiClient.Allow("s3:GetObject", "arn:aws:s3:::bucket/*");
    private static readonly string AccountArn = $"arn:aws:iam::{PortalAppFactory.AccountId}";
    private readonly IamApiClient _api;

    public IamRoleApiTests(PortalAppFactory factory) => _api = new IamApiClient(factory);

    [Fact]
    public async Task CreateRole_Root_ReturnsRoleWithUrlEncodedTrustPolicy()
    {
        // Arrange
        var name = IamApiClient.Unique("role");

        // Act
        var r = await _api.CallAsRootAsync("CreateRole", ("RoleName", name), ("AssumeRolePolicyDocument", Trust), ("Description", "d1"));

        // Assert
        r.AssertOk();
        Assert.Equal(name, r.Value("Role", "RoleName"));
        Assert.Equal("/", r.Value("Role", "Path"));
        Assert.Equal($"{AccountArn}:role/{name}", r.Value("Role", "Arn"));
        Assert.StartsWith("AROA", r.Value("Role", "RoleId"), StringComparison.Ordinal);
        Assert.Equal(Uri.EscapeDataString(Trust), r.Value("Role", "AssumeRolePolicyDocument"));
        Assert.Equal("3600", r.Value("Role", "MaxSessionDuration"));
        Assert.Equal("d1", r.Value("Role", "Description"));
    }

    [Theory]
    [InlineData("dup", null, "EntityAlreadyExists", 409)]
    [InlineData("new", "{not json", "MalformedPolicyDocument", 400)]
    [InlineData("new", "100", "ValidationError", 400)]
    [InlineData("new", "43201", "ValidationError", 400)]
    public async Task CreateRole_BadInput_ReturnsIamError(string which, string? breakWith, string code, int status)
    {
        // Arrange
        var existing = IamApiClient.Unique("taken");
        (await _api.CallAsRootAsync("CreateRole", ("RoleName", existing), ("AssumeRolePolicyDocument", Trust))).AssertOk();
        var name = which == "dup" ? existing : IamApiClient.Unique("r");
        var isDuration = breakWith is not null && char.IsAsciiDigit(breakWith[0]);
        var parameters = new List<(string, string)> { ("RoleName", name), ("AssumeRolePolicyDocument", breakWith is not null && !isDuration ? breakWith : Trust) };
        if (isDuration)
        {
            parameters.Add(("MaxSessionDuration", breakWith!));
        }

        // Act
        var r = await _api.CallAsRootAsync("CreateRole", [.. parameters]);

        // Assert
        r.AssertError(status, code);
    }

    [Fact]
    public async Task GetRole_Unknown_IsNoSuchEntity()
    {
        // Act
        var r = await _api.CallAsRootAsync("GetRole", ("RoleName", IamApiClient.Unique("ghost")));

        // Assert
        r.AssertError(404, "NoSuchEntity");
    }

    [Fact]
    public async Task UpdateRoleAndAssumeRolePolicy_ChangesShowInGetRole()
    {
        // Arrange
        var name = await NewRoleAsync();
        var newTrust = Trust.Replace("ec2.amazonaws.com", "lambda.amazonaws.com", StringComparison.Ordinal);

        // Act
        var update = await _api.CallAsRootAsync("UpdateRole", ("RoleName", name), ("MaxSessionDuration", "7200"), ("Description", "changed"));
        var trust = await _api.CallAsRootAsync("UpdateAssumeRolePolicy", ("RoleName", name), ("PolicyDocument", newTrust));
        var get = await _api.CallAsRootAsync("GetRole", ("RoleName", name));

        // Assert
        update.AssertOk();
        Assert.NotNull(update.Root.Element(IamApiClient.Ns + "UpdateRoleResult"));
        trust.AssertOk();
        Assert.Equal("7200", get.Value("Role", "MaxSessionDuration"));
        Assert.Equal("changed", get.Value("Role", "Description"));
        Assert.Equal(newTrust, Uri.UnescapeDataString(get.Value("Role", "AssumeRolePolicyDocument")));
    }

    [Fact]
    public async Task UpdateRole_DurationOutOfRange_IsValidationError()
    {
        // Arrange
        var name = await NewRoleAsync();

        // Act
        var r = await _api.CallAsRootAsync("UpdateRole", ("RoleName", name), ("MaxSessionDuration", "60"));

        // Assert
        r.AssertError(400, "ValidationError");
    }

    [Fact]
    public async Task UpdateAssumeRolePolicy_Malformed_IsMalformedPolicyDocument()
    {
        // Arrange
        var name = await NewRoleAsync();

        // Act
        var r = await _api.CallAsRootAsync("UpdateAssumeRolePolicy", ("RoleName", name), ("PolicyDocument", "[]"));

        // Assert
        r.AssertError(400, "MalformedPolicyDocument");
    }

    [Fact]
    public async Task InlineRolePolicy_PutGetListDelete_RoundTripsAndBlocksRoleDeletion()
    {
        // Arrange
        var name = await NewRoleAsync();

        // Act
        var put = await _api.CallAsRootAsync("PutRolePolicy", ("RoleName", name), ("PolicyName", "read"), ("PolicyDocument", Permissions));
        var get = await _api.CallAsRootAsync("GetRolePolicy", ("RoleName", name), ("PolicyName", "read"));
        var list = await _api.CallAsRootAsync("ListRolePolicies", ("RoleName", name));
        var conflict = await _api.CallAsRootAsync("DeleteRole", ("RoleName", name));
        var delete = await _api.CallAsRootAsync("DeleteRolePolicy", ("RoleName", name), ("PolicyName", "read"));
        var again = await _api.CallAsRootAsync("DeleteRolePolicy", ("RoleName", name), ("PolicyName", "read"));
        var missing = await _api.CallAsRootAsync("GetRolePolicy", ("RoleName", name), ("PolicyName", "read"));
        var deleteRole = await _api.CallAsRootAsync("DeleteRole", ("RoleName", name));

        // Assert
        put.AssertOk();
        get.AssertOk();
        Assert.Equal(name, get.Value("RoleName"));
        Assert.Equal("read", get.Value("PolicyName"));
        Assert.Equal(Uri.EscapeDataString(Permissions), get.Value("PolicyDocument"));
        Assert.Equal("read", list.Value("PolicyNames", "member"));
        Assert.Equal("false", list.Value("IsTruncated"));
        conflict.AssertError(409, "DeleteConflict");
        delete.AssertOk();
        again.AssertError(404, "NoSuchEntity");
        missing.AssertError(404, "NoSuchEntity");
        deleteRole.AssertOk();
    }

    [Fact]
    public async Task ManagedPolicy_CreateAttachListDetach_TracksAttachments()
    {
        // Arrange
        var role = await NewRoleAsync();
        var policyName = IamApiClient.Unique("mp");

        // Act
        var create = await _api.CallAsRootAsync("CreatePolicy", ("PolicyName", policyName), ("PolicyDocument", Permissions), ("Description", "desc"));
        var arn = create.Value("Policy", "Arn");
        var duplicate = await _api.CallAsRootAsync("CreatePolicy", ("PolicyName", policyName), ("PolicyDocument", Permissions));
        var attach = await _api.CallAsRootAsync("AttachRolePolicy", ("RoleName", role), ("PolicyArn", arn));
        var get = await _api.CallAsRootAsync("GetPolicy", ("PolicyArn", arn));
        var list = await _api.CallAsRootAsync("ListAttachedRolePolicies", ("RoleName", role));
        var detach = await _api.CallAsRootAsync("DetachRolePolicy", ("RoleName", role), ("PolicyArn", arn));
        var detachAgain = await _api.CallAsRootAsync("DetachRolePolicy", ("RoleName", role), ("PolicyArn", arn));

        // Assert
        create.AssertOk();
        Assert.Equal($"{AccountArn}:policy/{policyName}", arn);
        Assert.Equal("v1", create.Value("Policy", "DefaultVersionId"));
        Assert.Equal("0", create.Value("Policy", "AttachmentCount"));
        Assert.Equal("true", create.Value("Policy", "IsAttachable"));
        Assert.StartsWith("ANPA", create.Value("Policy", "PolicyId"), StringComparison.Ordinal);
        duplicate.AssertError(409, "EntityAlreadyExists");
        attach.AssertOk();
        Assert.Equal("1", get.Value("Policy", "AttachmentCount"));
        Assert.Equal("desc", get.Value("Policy", "Description"));
        Assert.Equal(policyName, list.Value("AttachedPolicies", "member", "PolicyName"));
        Assert.Equal(arn, list.Value("AttachedPolicies", "member", "PolicyArn"));
        detach.AssertOk();
        detachAgain.AssertError(404, "NoSuchEntity");
    }

    [Theory]
    [InlineData("arn:aws:iam::999988887777:policy/Theirs", 404, "NoSuchEntity")]
    [InlineData("arn:aws:iam::aws:policy/AdministratorAccess", 404, "NoSuchEntity")]
    [InlineData("not-an-arn", 400, "InvalidInput")]
    public async Task AttachRolePolicy_PolicyOutsideTheAccount_IsRefused(string policyArn, int status, string code)
    {
        // Arrange
        var role = await NewRoleAsync();

        // Act
        var r = await _api.CallAsRootAsync("AttachRolePolicy", ("RoleName", role), ("PolicyArn", policyArn));

        // Assert
        r.AssertError(status, code);
        Assert.Empty(await _api.Directory.ListAttachedPoliciesAsync((await _api.Directory.FindRoleAsync(IamApiClient.Account, role))!.Id));
    }

    [Fact]
    public async Task CreatePolicy_MalformedDocument_IsMalformedPolicyDocument()
    {
        // Act
        var r = await _api.CallAsRootAsync("CreatePolicy", ("PolicyName", IamApiClient.Unique("bad")), ("PolicyDocument", """{"Version":"2012-10-17","Statement":[{"Effect":"Maybe","Action":"*","Resource":"*"}]}"""));

        // Assert
        r.AssertError(400, "MalformedPolicyDocument");
    }

    [Fact]
    public async Task CreatePolicy_WithTags_IsInvalidInputAndCreatesNothing()
    {
        // Arrange: tags on managed policies are not stored by this service, so they are refused, not silently dropped.
        var name = IamApiClient.Unique("tagged");

        // Act
        var r = await _api.CallAsRootAsync("CreatePolicy", ("PolicyName", name), ("PolicyDocument", Permissions), ("Tags.member.1.Key", "env"), ("Tags.member.1.Value", "prod"));
        var get = await _api.CallAsRootAsync("GetPolicy", ("PolicyArn", $"{AccountArn}:policy/{name}"));

        // Assert
        r.AssertError(400, "InvalidInput");
        get.AssertError(404, "NoSuchEntity");
    }

    [Fact]
    public async Task GetPolicy_Unknown_IsNoSuchEntity()
    {
        // Act
        var r = await _api.CallAsRootAsync("GetPolicy", ("PolicyArn", $"{AccountArn}:policy/{IamApiClient.Unique("ghost")}"));

        // Assert
        r.AssertError(404, "NoSuchEntity");
    }

    [Fact]
    public async Task TagRoleAndUntagRole_UpdateTheRoleTags()
    {
        // Arrange
        var name = await NewRoleAsync();

        // Act
        var tag = await _api.CallAsRootAsync("TagRole", ("RoleName", name), ("Tags.member.1.Key", "env"), ("Tags.member.1.Value", "prod"), ("Tags.member.2.Key", "team"), ("Tags.member.2.Value", "red"));
        var untag = await _api.CallAsRootAsync("UntagRole", ("RoleName", name), ("TagKeys.member.1", "TEAM"));
        var get = await _api.CallAsRootAsync("GetRole", ("RoleName", name));

        // Assert
        tag.AssertOk();
        untag.AssertOk();
        var tags = get.Result.Descendants(IamApiClient.Ns + "Tags").Single().Elements(IamApiClient.Ns + "member").ToList();
        Assert.Single(tags);
        Assert.Equal("env", tags[0].Element(IamApiClient.Ns + "Key")!.Value);
        Assert.Equal("prod", tags[0].Element(IamApiClient.Ns + "Value")!.Value);
    }

    [Fact]
    public async Task TagRole_UnknownRole_IsNoSuchEntity()
    {
        // Act
        var r = await _api.CallAsRootAsync("TagRole", ("RoleName", IamApiClient.Unique("ghost")), ("Tags.member.1.Key", "k"), ("Tags.member.1.Value", "v"));

        // Assert
        r.AssertError(404, "NoSuchEntity");
    }

    [Fact]
    public async Task ListRoles_Root_ListsRolesAsMembers()
    {
        // Arrange
        var name = await NewRoleAsync();

        // Act
        var r = await _api.CallAsRootAsync("ListRoles", ("MaxItems", "1000"));

        // Assert
        r.AssertOk();
        var names = r.Result.Element(IamApiClient.Ns + "Roles")!.Elements(IamApiClient.Ns + "member").Select(m => m.Element(IamApiClient.Ns + "RoleName")!.Value);
        Assert.Contains(name, names);
        Assert.Equal("false", r.Value("IsTruncated"));
    }

    [Fact]
    public async Task CreateRole_IamUserAllowedOnlyOnAPath_CannotCreateElsewhere()
    {
        // Arrange
        var (_, creds) = await _api.NewUserAsync(IamApiClient.Allow("iam:CreateRole", $"{AccountArn}:role/app/*"));

        // Act
        var allowed = await _api.CallAsync(creds, "CreateRole", ("RoleName", IamApiClient.Unique("a")), ("Path", "/app/"), ("AssumeRolePolicyDocument", Trust));
        var denied = await _api.CallAsync(creds, "CreateRole", ("RoleName", IamApiClient.Unique("b")), ("AssumeRolePolicyDocument", Trust));

        // Assert
        allowed.AssertOk();
        denied.AssertError(403, "AccessDenied");
    }

    private async Task<string> NewRoleAsync()
    {
        var name = IamApiClient.Unique("role");
        (await _api.CallAsRootAsync("CreateRole", ("RoleName", name), ("AssumeRolePolicyDocument", Trust))).AssertOk();
        return name;
    }
}
