using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Portal.Core.Credentials;
using Portal.Core.Iam;
using Portal.Core.Identity;
using Portal.Core.Mfa;
using Portal.Core.Policies;
using Portal.Core.Sts;
using static Portal.Tests.Core.Sts.EngineHarness;

namespace Portal.Tests.Core.Sts;

/// <summary>AssumeRole (STS-SPEC §1.1, §1.0.2–§1.0.7, §7.7; SECURITY-CASES 92d, 95).</summary>
public sealed partial class AssumeRoleTests : IAsyncLifetime
{
    private const string SessionName = "alice-session";
    private EngineHarness _h = null!;
    private TestUser _alice = null!;
    private RoleInfo _role = null!;

    public async Task InitializeAsync()
    {
        _h = await EngineHarness.CreateAsync();
        _alice = await _h.CreateUserAsync("alice", PolicyJson.Allow("*", "sts:AssumeRole"));

        // Baseline: the trust policy names alice directly; the role may read S3 objects; MaxSessionDuration 12 h.
        _role = await _h.CreateRoleAsync("demo", PolicyJson.TrustAws(_alice.Arn), PolicyJson.Allow("*", "s3:GetObject"), maxSessionDuration: 43200);
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private AssumeRoleRequest Request() => new() { RoleArn = _role.Arn, RoleSessionName = SessionName };

    private Task<StsOutcome<AssumeRoleResult>> AssumeAsync(AssumeRoleRequest request, Caller? caller = null) =>
        _h.Engine.AssumeRoleAsync(caller ?? _alice.Caller, request, new RequestInfo());

    private static string StandardDenial(Caller caller, string roleArn) => $"User: {caller.Arn} is not authorized to perform: sts:AssumeRole on resource: {roleArn}";

    // ---- durations (§1.0.3, §1.0.4) ----------------------------------------------------------------------------------

    [Fact]
    public async Task AssumeRole_Duration899_FailsWithModelMessage()
    {
        // Arrange
        var request = Request() with { DurationSeconds = 899 };

        // Act
        var outcome = await AssumeAsync(request);

        // Assert
        var error = Fails(outcome, StsErrorCode.ValidationError);
        Assert.Equal("1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900", error.Message);
    }

    [Fact]
    public async Task AssumeRole_Duration43201_FailsWithModelMessage()
    {
        // Arrange
        var request = Request() with { DurationSeconds = 43201 };

        // Act
        var outcome = await AssumeAsync(request);

        // Assert
        var error = Fails(outcome, StsErrorCode.ValidationError);
        Assert.Equal("1 validation error detected: Value '43201' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200", error.Message);
    }

    [Theory]
    [InlineData(900, 900)]
    [InlineData(null, 3600)]
    [InlineData(43200, 43200)]
    public async Task AssumeRole_DurationWithinRoleMaximum_ExpiresAfterThatDuration(int? requested, int expected)
    {
        // Arrange
        var request = Request() with { DurationSeconds = requested };

        // Act
        var result = Ok(await AssumeAsync(request));

        // Assert
        Assert.Equal(Start.AddSeconds(expected), result.Credentials.Expiration);
        var claims = await _h.ClaimsOfAsync(result.Credentials);
        Assert.Equal(Start.AddSeconds(expected), claims.ExpiresAt);
    }

    [Fact]
    public async Task AssumeRole_DurationAtRoleMaximum_Succeeds()
    {
        // Arrange
        var role = await _h.CreateRoleAsync("twohours", PolicyJson.TrustAws(_alice.Arn), maxSessionDuration: 7200);

        // Act
        var outcome = await AssumeAsync(Request() with { RoleArn = role.Arn, DurationSeconds = 7200 });

        // Assert
        Assert.Equal(Start.AddSeconds(7200), Ok(outcome).Credentials.Expiration);
    }

    [Fact]
    public async Task AssumeRole_DurationAboveRoleMaximum_FailsRatherThanClamps()
    {
        // Arrange
        var role = await _h.CreateRoleAsync("twohours", PolicyJson.TrustAws(_alice.Arn), maxSessionDuration: 7200);

        // Act
        var outcome = await AssumeAsync(Request() with { RoleArn = role.Arn, DurationSeconds = 7201 });

        // Assert
        var error = Fails(outcome, StsErrorCode.ValidationError);
        Assert.Equal("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.", error.Message);
    }

    [Fact]
    public async Task AssumeRole_DefaultDurationOnRoleWithDefaultMaximum_Succeeds()
    {
        // Arrange: a role created without MaxSessionDuration gets 3600, which the default duration fits exactly.
        var role = await _h.CreateRoleAsync("defaultmax", PolicyJson.TrustAws(_alice.Arn));

        // Act
        var outcome = await AssumeAsync(Request() with { RoleArn = role.Arn });

        // Assert
        Assert.Equal(3600, role.MaxSessionDuration);
        Assert.Equal(Start.AddSeconds(3600), Ok(outcome).Credentials.Expiration);
    }

    [Theory]
    [InlineData(3600)]
    [InlineData(null)]
    public async Task AssumeRole_ChainedWithinOneHour_Succeeds(int? duration)
    {
        // Arrange
        var session = await ChainCallerAsync();

        // Act
        var outcome = await AssumeAsync(Request() with { DurationSeconds = duration }, session);

        // Assert
        var result = Ok(outcome);
        Assert.Equal(Start.AddSeconds(3600), result.Credentials.Expiration);
        Assert.True((await _h.ClaimsOfAsync(result.Credentials)).IsRoleChain);
    }

    [Fact]
    public async Task AssumeRole_Chained3601_FailsWithRoleChainingMessage()
    {
        // Arrange (SECURITY-CASES 92d)
        var session = await ChainCallerAsync();

        // Act
        var outcome = await AssumeAsync(Request() with { DurationSeconds = 3601 }, session);

        // Assert
        var error = Fails(outcome, StsErrorCode.ValidationError);
        Assert.Equal("The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.", error.Message);
    }

    [Fact]
    public async Task AssumeRole_FromGetSessionTokenSession_IsChained()
    {
        // Arrange (§1.0.4: GetSessionToken sessions are temporary credentials too)
        var gst = Ok(await _h.Engine.GetSessionTokenAsync(_alice.Caller, new GetSessionTokenRequest(), new RequestInfo()));
        var session = await _h.CallerForAsync(gst);

        // Act
        var tooLong = await AssumeAsync(Request() with { DurationSeconds = 3601 }, session);
        var ok = await AssumeAsync(Request(), session);

        // Assert
        Assert.Equal("The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.", Fails(tooLong, StsErrorCode.ValidationError).Message);
        Assert.True((await _h.ClaimsOfAsync(Ok(ok).Credentials)).IsRoleChain);
    }

    // ---- who may call (§1.0.2) ---------------------------------------------------------------------------------------

    [Fact]
    public async Task AssumeRole_RootCaller_IsDenied()
    {
        // Arrange: even a trust policy naming the account root does not let root itself assume.
        var root = await _h.CreateRootCallerAsync();
        var role = await _h.CreateRoleAsync("rootTrust", PolicyJson.TrustAws($"arn:aws:iam::{AccountA}:root"));

        // Act
        var outcome = await AssumeAsync(Request() with { RoleArn = role.Arn }, root);

        // Assert
        Assert.Equal("Roles may not be assumed by root accounts.", Fails(outcome, StsErrorCode.AccessDenied).Message);
    }

    [Fact]
    public async Task AssumeRole_RootGetSessionTokenSession_IsDenied()
    {
        // Arrange
        var root = await _h.CreateRootCallerAsync();
        var role = await _h.CreateRoleAsync("rootTrust", PolicyJson.TrustAws($"arn:aws:iam::{AccountA}:root"));
        var session = await _h.CallerForAsync(Ok(await _h.Engine.GetSessionTokenAsync(root, new GetSessionTokenRequest(), new RequestInfo())));

        // Act
        var outcome = await AssumeAsync(Request() with { RoleArn = role.Arn }, session);

        // Assert
        Assert.Equal("Roles may not be assumed by root accounts.", Fails(outcome, StsErrorCode.AccessDenied).Message);
    }

    [Fact]
    public async Task AssumeRole_FederationTokenSession_IsDenied()
    {
        // Arrange: alice may federate; the role trusts the federated user's ARN by name and everything else is in place.
        var broker = await _h.CreateUserAsync("broker", PolicyJson.AllowAll);
        var fedArn = $"arn:aws:sts::{AccountA}:federated-user/bob";
        var role = await _h.CreateRoleAsync("fedTrust", PolicyJson.TrustAws(fedArn));
        var fed = Ok(await _h.Engine.GetFederationTokenAsync(broker.Caller, new GetFederationTokenRequest { Name = "bob", Policy = PolicyJson.AllowAll }, new RequestInfo()));
        var session = await _h.CallerForAsync(fed.Credentials);

        // Act
        var outcome = await AssumeAsync(Request() with { RoleArn = role.Arn }, session);

        // Assert
        Assert.Equal(StandardDenial(session, role.Arn), Fails(outcome, StsErrorCode.AccessDenied).Message);
    }

    [Fact]
    public async Task AssumeRole_NonExistentRole_IsDeniedLikeAnUntrustedRole()
    {
        // Arrange
        var missing = $"arn:aws:iam::{AccountA}:role/nope";

        // Act
        var outcome = await AssumeAsync(Request() with { RoleArn = missing });

        // Assert
        Assert.Equal(StandardDenial(_alice.Caller, missing), Fails(outcome, StsErrorCode.AccessDenied).Message);
        Assert.Equal("NoSuchRole", _h.Audit.Last.Reason);
    }

    [Fact]
    public async Task AssumeRole_TrustPolicyNamesSomeoneElse_IsDenied()
    {
        // Arrange
        var bob = await _h.CreateUserAsync("bob", PolicyJson.Allow("*", "sts:AssumeRole"));

        // Act
        var outcome = await AssumeAsync(Request(), bob.Caller);

        // Assert
        Assert.Equal(StandardDenial(bob.Caller, _role.Arn), Fails(outcome, StsErrorCode.AccessDenied).Message);
    }

    [Fact]
    public async Task AssumeRole_RoleArnDiffersInPath_IsDenied()
    {
        // Arrange: roles are looked up by their exact ARN, path included (§4.5).
        var role = await _h.CreateRoleAsync("pathed", PolicyJson.TrustAws(_alice.Arn), path: "/team/");

        // Act
        var withoutPath = await AssumeAsync(Request() with { RoleArn = $"arn:aws:iam::{AccountA}:role/pathed" });
        var withPath = await AssumeAsync(Request() with { RoleArn = role.Arn });

        // Assert
        Fails(withoutPath, StsErrorCode.AccessDenied);
        Ok(withPath);
    }

    // ---- conditions: ExternalId and MFA --------------------------------------------------------------------------

    [Theory]
    [InlineData(null, false)]
    [InlineData("wrong-id", false)]
    [InlineData("Example987", true)]
    public async Task AssumeRole_ExternalIdCondition_AllowsOnlyTheRightId(string? externalId, bool allowed)
    {
        // Arrange
        var role = await _h.CreateRoleAsync("vendor", PolicyJson.TrustAwsWhen(_alice.Arn, """{"StringEquals":{"sts:ExternalId":"Example987"}}"""));

        // Act
        var outcome = await AssumeAsync(Request() with { RoleArn = role.Arn, ExternalId = externalId });

        // Assert
        if (allowed)
        {
            Ok(outcome);
        }
        else
        {
            Assert.Equal(StandardDenial(_alice.Caller, role.Arn), Fails(outcome, StsErrorCode.AccessDenied).Message);
        }
    }

    private async Task<(RoleInfo Role, VirtualMfaDevice Device)> MfaRoleAsync()
    {
        var role = await _h.CreateRoleAsync("mfaonly", PolicyJson.TrustAwsWhen(_alice.Arn, """{"Bool":{"aws:MultiFactorAuthPresent":"true"}}"""));
        var device = await _h.CreateEnabledMfaDeviceAsync(_alice.User, "alice-phone");
        return (role, device);
    }

    [Fact]
    public async Task AssumeRole_MfaRequiredWithoutCode_IsDenied()
    {
        // Arrange
        var (role, _) = await MfaRoleAsync();

        // Act
        var outcome = await AssumeAsync(Request() with { RoleArn = role.Arn });

        // Assert
        Assert.Equal(StandardDenial(_alice.Caller, role.Arn), Fails(outcome, StsErrorCode.AccessDenied).Message);
    }

    [Fact]
    public async Task AssumeRole_MfaRequiredWithValidCode_SucceedsAndSessionCarriesMfa()
    {
        // Arrange
        var (role, device) = await MfaRoleAsync();

        // Act
        var outcome = await AssumeAsync(Request() with { RoleArn = role.Arn, SerialNumber = device.SerialNumber, TokenCode = _h.CodeAt(device, 0) });

        // Assert
        var claims = await _h.ClaimsOfAsync(Ok(outcome).Credentials);
        Assert.NotNull(claims.MfaAuthenticatedAt);
    }

    [Fact]
    public async Task AssumeRole_WrongMfaCode_IsDeniedWithInvalidCodeMessage()
    {
        // Arrange
        var (role, device) = await MfaRoleAsync();

        // Act
        var outcome = await AssumeAsync(Request() with { RoleArn = role.Arn, SerialNumber = device.SerialNumber, TokenCode = _h.WrongCode(device) });

        // Assert
        Assert.Equal("MultiFactorAuthentication failed with invalid MFA one time pass code.", Fails(outcome, StsErrorCode.AccessDenied).Message);
    }

    [Fact]
    public async Task AssumeRole_OtherUsersSerial_IsDeniedWithUnableToValidateMessage()
    {
        // Arrange: bob's device and bob's valid code, presented by alice.
        var (role, _) = await MfaRoleAsync();
        var bob = await _h.CreateUserAsync("bob");
        var bobDevice = await _h.CreateEnabledMfaDeviceAsync(bob.User, "bob-phone");

        // Act
        var outcome = await AssumeAsync(Request() with { RoleArn = role.Arn, SerialNumber = bobDevice.SerialNumber, TokenCode = _h.CodeAt(bobDevice, 0) });

        // Assert
        Assert.Equal(
            "MultiFactorAuthentication failed, unable to validate MFA code. Please verify your MFA serial number is valid and associated with this user.",
            Fails(outcome, StsErrorCode.AccessDenied).Message);
    }

    [Fact]
    public async Task AssumeRole_ReplayedMfaCode_IsDenied()
    {
        // Arrange (SECURITY-CASES 100)
        var (role, device) = await MfaRoleAsync();
        var code = _h.CodeAt(device, 0);
        Ok(await AssumeAsync(Request() with { RoleArn = role.Arn, SerialNumber = device.SerialNumber, TokenCode = code }));

        // Act
        var replay = await AssumeAsync(Request() with { RoleArn = role.Arn, SerialNumber = device.SerialNumber, TokenCode = code });

        // Assert
        Assert.Equal(MfaMessages.InvalidCode, Fails(replay, StsErrorCode.AccessDenied).Message);
    }

    [Fact]
    public async Task AssumeRole_FromMfaSessionToken_PresentsMfaWithoutNewCode()
    {
        // Arrange (§1.1 step 3: a caller whose own session carries MFA also presents MFA)
        var (role, device) = await MfaRoleAsync();
        var gst = Ok(await _h.Engine.GetSessionTokenAsync(_alice.Caller, new GetSessionTokenRequest { SerialNumber = device.SerialNumber, TokenCode = _h.CodeAt(device, 0) }, new RequestInfo()));
        var session = await _h.CallerForAsync(gst);

        // Act
        var outcome = await AssumeAsync(Request() with { RoleArn = role.Arn }, session);

        // Assert
        Ok(outcome);
    }

    // ---- session policies (§1.0.5, SECURITY-CASES 95) --------------------------------------------------------------

    [Fact]
    public async Task AssumeRole_SessionPolicyGrantingMore_CannotWidenRolePermissions()
    {
        // Arrange: the role allows s3:GetObject; the session policy allows iam:* only.
        var result = Ok(await AssumeAsync(Request() with { Policy = PolicyJson.Allow("*", "iam:*") }));
        var claims = await _h.ClaimsOfAsync(result.Credentials);

        // Act
        var createUser = await _h.Engine.EvaluateAsync(claims, "iam:CreateUser", "*");
        var getObject = await _h.Engine.EvaluateAsync(claims, "s3:GetObject", "arn:aws:s3:::bucket/key");

        // Assert
        Assert.False(createUser.Allowed);
        Assert.Equal(AuthorizationReasons.NoIdentityAllow, createUser.Reason);
        Assert.False(getObject.Allowed);
        Assert.Equal(AuthorizationReasons.SessionPolicyDenied, getObject.Reason);
    }

    [Fact]
    public async Task AssumeRole_SessionPolicyAllowingBoth_AllowsOnlyTheIntersection()
    {
        // Arrange
        var result = Ok(await AssumeAsync(Request() with { Policy = PolicyJson.Allow("*", "iam:*", "s3:GetObject") }));
        var claims = await _h.ClaimsOfAsync(result.Credentials);

        // Act
        var createUser = await _h.Engine.EvaluateAsync(claims, "iam:CreateUser", "*");
        var getObject = await _h.Engine.EvaluateAsync(claims, "s3:GetObject", "arn:aws:s3:::bucket/key");

        // Assert
        Assert.False(createUser.Allowed);
        Assert.True(getObject.Allowed);
    }

    [Fact]
    public async Task AssumeRole_NoSessionPolicy_HasTheRolePermissions()
    {
        // Arrange
        var claims = await _h.ClaimsOfAsync(Ok(await AssumeAsync(Request())).Credentials);

        // Act
        var getObject = await _h.Engine.EvaluateAsync(claims, "s3:GetObject", "arn:aws:s3:::bucket/key");
        var putObject = await _h.Engine.EvaluateAsync(claims, "s3:PutObject", "arn:aws:s3:::bucket/key");

        // Assert
        Assert.True(getObject.Allowed);
        Assert.False(putObject.Allowed);
    }

    [Fact]
    public async Task AssumeRole_ManagedSessionPolicy_NarrowsLikeAnInlineOne()
    {
        // Arrange
        var managed = Ok(await _h.Directory.CreateManagedPolicyAsync(Account(AccountA), "ReadOnlyList", PolicyJson.Allow("*", "s3:ListBucket")));
        var claims = await _h.ClaimsOfAsync(Ok(await AssumeAsync(Request() with { PolicyArns = [managed.Arn] })).Credentials);

        // Act
        var getObject = await _h.Engine.EvaluateAsync(claims, "s3:GetObject", "arn:aws:s3:::bucket/key");

        // Assert
        Assert.False(getObject.Allowed);
        Assert.Equal(AuthorizationReasons.SessionPolicyDenied, getObject.Reason);
    }

    [Fact]
    public async Task AssumeRole_ManagedSessionPolicyOfAnotherAccount_FailsValidation()
    {
        // Arrange
        var foreign = Ok(await _h.Directory.CreateManagedPolicyAsync(Account(AccountB), "Foreign", PolicyJson.AllowAll));

        // Act
        var outcome = await AssumeAsync(Request() with { PolicyArns = [foreign.Arn] });

        // Assert
        Assert.Equal($"The policy {foreign.Arn} does not exist or is not attachable in account {AccountA}.", Fails(outcome, StsErrorCode.ValidationError).Message);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Maybe","Action":"s3:*","Resource":"*"}]}""")]
    public async Task AssumeRole_MalformedSessionPolicy_FailsWithMalformedPolicyDocument(string policy)
    {
        // Arrange
        var request = Request() with { Policy = policy };

        // Act
        var outcome = await AssumeAsync(request);

        // Assert
        var error = Fails(outcome, StsErrorCode.MalformedPolicyDocument);
        Assert.StartsWith("The policy is not in the valid JSON format.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AssumeRole_SessionPolicyWithCharacterOutsideModel_FailsValidation()
    {
        // Arrange: U+0100 is outside [\u0009\u000A\u000D\u0020-\u00FF].
        var request = Request() with { Policy = "{\"Version\":\"2012-10-17\",\"Statement\":[]}\u0100" };

        // Act
        var outcome = await AssumeAsync(request);

        // Assert
        Assert.EndsWith(@"Member must satisfy regular expression pattern: [\u0009\u000A\u000D\u0020-\u00FF]+", Fails(outcome, StsErrorCode.ValidationError).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AssumeRole_HugeTagSet_FailsWithPackedPolicyTooLarge()
    {
        // Arrange: 50 maximal tags of hash-derived hex text, which deflate cannot shrink below the budget.
        var role = await _h.CreateRoleAsync("tagged", PolicyJson.TrustAws(_alice.Arn, "sts:AssumeRole", "sts:TagSession"));
        var tags = Enumerable.Range(0, 50).Select(i => new Tag(Hex(i, "k", 128), Hex(i, "v", 256))).ToList();

        // Act
        var outcome = await AssumeAsync(Request() with { RoleArn = role.Arn, Tags = tags });

        // Assert
        var error = Fails(outcome, StsErrorCode.PackedPolicyTooLarge);
        var match = PackedMessage().Match(error.Message);
        Assert.True(match.Success, error.Message);
        Assert.True(int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) > 100);
    }

    [GeneratedRegex(@"^Packed policy consumes (\d+)% of allotted space, please use smaller policy\.$")]
    private static partial Regex PackedMessage();

    private static string Hex(int i, string salt, int length)
    {
        var sb = new StringBuilder();
        for (var block = 0; sb.Length < length; block++)
        {
            sb.Append(Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{salt}/{i}/{block}"))));
        }

        return sb.ToString(0, length);
    }

    // ---- tags and source identity (§7.7, §1.0.4) -------------------------------------------------------------------

    [Fact]
    public async Task AssumeRole_TagsWithoutTagSessionInTrust_AreDenied()
    {
        // Arrange: the baseline trust allows sts:AssumeRole only.
        var request = Request() with { Tags = [new Tag("Project", "alpha")] };

        // Act
        var outcome = await AssumeAsync(request);

        // Assert
        Assert.Equal($"User: {_alice.Arn} is not authorized to perform: sts:TagSession on resource: {_role.Arn}", Fails(outcome, StsErrorCode.AccessDenied).Message);
    }

    [Fact]
    public async Task AssumeRole_TagsWithTagSessionInTrust_AreSealedIntoTheSession()
    {
        // Arrange
        var role = await _h.CreateRoleAsync("tagged", PolicyJson.TrustAws(_alice.Arn, "sts:AssumeRole", "sts:TagSession"));

        // Act
        var result = Ok(await AssumeAsync(Request() with { RoleArn = role.Arn, Tags = [new Tag("Project", "alpha")], TransitiveTagKeys = ["Project"] }));

        // Assert
        var claims = await _h.ClaimsOfAsync(result.Credentials);
        Assert.Equal([new SessionTag("Project", "alpha")], claims.Tags);
        Assert.Equal(["Project"], claims.TransitiveTagKeys);
        Assert.NotNull(result.PackedPolicySize);
    }

    [Fact]
    public async Task AssumeRole_DuplicateTagKeysIgnoringCase_FailValidation()
    {
        // Arrange
        var role = await _h.CreateRoleAsync("tagged", PolicyJson.TrustAws(_alice.Arn, "sts:AssumeRole", "sts:TagSession"));

        // Act
        var outcome = await AssumeAsync(Request() with { RoleArn = role.Arn, Tags = [new Tag("Project", "a"), new Tag("project", "b")] });

        // Assert
        Assert.Equal("Duplicate tag keys found. Please note that Tag keys are case insensitive.", Fails(outcome, StsErrorCode.ValidationError).Message);
    }

    [Fact]
    public async Task AssumeRole_SourceIdentityWithoutSetSourceIdentityInTrust_IsDenied()
    {
        // Arrange
        var request = Request() with { SourceIdentity = "alice" };

        // Act
        var outcome = await AssumeAsync(request);

        // Assert
        Assert.Equal($"User: {_alice.Arn} is not authorized to perform: sts:SetSourceIdentity on resource: {_role.Arn}", Fails(outcome, StsErrorCode.AccessDenied).Message);
    }

    [Fact]
    public async Task AssumeRole_SourceIdentityStartingWithAws_FailsValidation()
    {
        // Arrange: "aws:" can never pass, because ':' is outside the model pattern already.
        var role = await _h.CreateRoleAsync("sid", PolicyJson.TrustAws(_alice.Arn, "sts:AssumeRole", "sts:SetSourceIdentity"));

        // Act
        var outcome = await AssumeAsync(Request() with { RoleArn = role.Arn, SourceIdentity = "aws:alice" });

        // Assert
        Assert.Equal(
            @"1 validation error detected: Value 'aws:alice' at 'sourceIdentity' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]*",
            Fails(outcome, StsErrorCode.ValidationError).Message);
    }

    [Fact]
    public async Task AssumeRole_SourceIdentity_IsEchoedInheritedAndImmutableThroughChaining()
    {
        // Arrange
        var first = await _h.CreateRoleAsync("sid1", PolicyJson.TrustAws(_alice.Arn, "sts:AssumeRole", "sts:SetSourceIdentity"));
        var firstResult = Ok(await AssumeAsync(Request() with { RoleArn = first.Arn, SourceIdentity = "alice" }));
        var session = await _h.CallerForAsync(firstResult.Credentials);
        var second = await _h.CreateRoleAsync("sid2", PolicyJson.TrustAws(first.Arn, "sts:AssumeRole", "sts:SetSourceIdentity"));

        // Act
        var inherited = await AssumeAsync(Request() with { RoleArn = second.Arn }, session);
        var same = await AssumeAsync(Request() with { RoleArn = second.Arn, SourceIdentity = "alice" }, session);
        var changed = await AssumeAsync(Request() with { RoleArn = second.Arn, SourceIdentity = "mallory" }, session);

        // Assert
        Assert.Equal("alice", firstResult.SourceIdentity);
        Assert.Equal("alice", Ok(inherited).SourceIdentity);
        Assert.Equal("alice", (await _h.ClaimsOfAsync(Ok(inherited).Credentials)).SourceIdentity);
        Assert.Equal("alice", Ok(same).SourceIdentity);
        Assert.Equal("The source identity of a role-chained session cannot be changed.", Fails(changed, StsErrorCode.ValidationError).Message);
    }

    [Fact]
    public async Task AssumeRole_TransitiveTags_AreInheritedThroughChaining()
    {
        // Arrange
        var (session, second) = await TransitiveChainAsync(secondTrustsTagSession: true);

        // Act
        var result = Ok(await AssumeAsync(Request() with { RoleArn = second.Arn }, session));

        // Assert
        var claims = await _h.ClaimsOfAsync(result.Credentials);
        Assert.Contains(new SessionTag("Project", "alpha"), claims.Tags);
        Assert.DoesNotContain(claims.Tags, t => t.Key == "Scratch");
        Assert.Equal(["Project"], claims.TransitiveTagKeys);
    }

    [Fact]
    public async Task AssumeRole_TagCollidingWithInheritedTransitiveTag_FailsValidation()
    {
        // Arrange
        var (session, second) = await TransitiveChainAsync(secondTrustsTagSession: true);

        // Act
        var outcome = await AssumeAsync(Request() with { RoleArn = second.Arn, Tags = [new Tag("project", "beta")] }, session);

        // Assert
        Assert.Equal(
            "The tag key 'project' collides with a transitive tag inherited from the calling session; transitive tags cannot be overridden in a role chain.",
            Fails(outcome, StsErrorCode.ValidationError).Message);
    }

    [Fact]
    public async Task AssumeRole_InheritedTransitiveTagsWithoutTagSessionInTrust_AreDenied()
    {
        // Arrange (§7.7: sts:TagSession also when transitive tags are inherited)
        var (session, second) = await TransitiveChainAsync(secondTrustsTagSession: false);

        // Act
        var outcome = await AssumeAsync(Request() with { RoleArn = second.Arn }, session);

        // Assert
        Assert.Equal($"User: {session.Arn} is not authorized to perform: sts:TagSession on resource: {second.Arn}", Fails(outcome, StsErrorCode.AccessDenied).Message);
    }

    private async Task<(Caller Session, RoleInfo Second)> TransitiveChainAsync(bool secondTrustsTagSession)
    {
        var first = await _h.CreateRoleAsync("first", PolicyJson.TrustAws(_alice.Arn, "sts:AssumeRole", "sts:TagSession"));
        var firstResult = Ok(await AssumeAsync(Request() with
        {
            RoleArn = first.Arn,
            Tags = [new Tag("Project", "alpha"), new Tag("Scratch", "x")],
            TransitiveTagKeys = ["Project"],
        }));
        var session = await _h.CallerForAsync(firstResult.Credentials);
        var trust = secondTrustsTagSession ? PolicyJson.TrustAws(first.Arn, "sts:AssumeRole", "sts:TagSession") : PolicyJson.TrustAws(first.Arn);
        var second = await _h.CreateRoleAsync("second", trust);
        return (session, second);
    }

    // ---- identity side (§1.1 step 4, §7.6) -----------------------------------------------------------------------

    [Fact]
    public async Task AssumeRole_CrossAccountWithoutIdentityAllow_IsDenied()
    {
        // Arrange: the role in B trusts alice of A by name, but alice's own account does not allow the call.
        var carol = await _h.CreateUserAsync("carol");
        var role = await _h.CreateRoleAsync("crossrole", PolicyJson.TrustAws(carol.Arn), account: AccountB);

        // Act
        var outcome = await AssumeAsync(Request() with { RoleArn = role.Arn }, carol.Caller);

        // Assert
        Assert.Equal(StandardDenial(carol.Caller, role.Arn), Fails(outcome, StsErrorCode.AccessDenied).Message);
        Assert.Equal(AuthorizationReasons.CrossAccountIdentityDenied, _h.Audit.Last.Reason);
    }

    [Fact]
    public async Task AssumeRole_CrossAccountWithIdentityAllow_Succeeds()
    {
        // Arrange
        var role = await _h.CreateRoleAsync("crossrole", PolicyJson.TrustAws($"arn:aws:iam::{AccountA}:root"), account: AccountB);

        // Act
        var result = Ok(await AssumeAsync(Request() with { RoleArn = role.Arn }));

        // Assert: the session belongs to the role's account.
        Assert.Equal($"arn:aws:sts::{AccountB}:assumed-role/crossrole/{SessionName}", result.AssumedRoleUser.Arn);
        Assert.True(AccessKeyIds.TryGetAccount(result.Credentials.AccessKeyId, out var account));
        Assert.Equal(AccountB, account.Value);
    }

    [Fact]
    public async Task AssumeRole_AccountPrincipalSameAccountWithoutIdentityAllow_IsDenied()
    {
        // Arrange: the trust names the account, so the identity side must allow too (§1.1 step 4).
        var dave = await _h.CreateUserAsync("dave");
        var role = await _h.CreateRoleAsync("accountTrust", PolicyJson.TrustAws($"arn:aws:iam::{AccountA}:root"));

        // Act
        var denied = await AssumeAsync(Request() with { RoleArn = role.Arn }, dave.Caller);
        var allowed = await AssumeAsync(Request() with { RoleArn = role.Arn });

        // Assert
        Assert.Equal(StandardDenial(dave.Caller, role.Arn), Fails(denied, StsErrorCode.AccessDenied).Message);
        Ok(allowed);
    }

    [Fact]
    public async Task AssumeRole_TrustNamingUserDirectly_NeedsNoIdentityAllowInSameAccount()
    {
        // Arrange
        var erin = await _h.CreateUserAsync("erin");
        var role = await _h.CreateRoleAsync("direct", PolicyJson.TrustAws(erin.Arn));

        // Act
        var outcome = await AssumeAsync(Request() with { RoleArn = role.Arn }, erin.Caller);

        // Assert
        Ok(outcome);
    }

    [Fact]
    public async Task AssumeRole_IdentityPolicyExplicitDeny_WinsOverTrust()
    {
        // Arrange
        var frank = await _h.CreateUserAsync("frank", """{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"sts:AssumeRole","Resource":"*"}]}""");
        var role = await _h.CreateRoleAsync("direct", PolicyJson.TrustAws(frank.Arn));

        // Act
        var outcome = await AssumeAsync(Request() with { RoleArn = role.Arn }, frank.Caller);

        // Assert
        Fails(outcome, StsErrorCode.AccessDenied);
        Assert.Equal(AuthorizationReasons.ExplicitDeny, _h.Audit.Last.Reason);
    }

    // ---- model validation (§1.0.7 step 3) ------------------------------------------------------------------------

    [Fact]
    public async Task AssumeRole_TwoBadParameters_AreReportedTogether()
    {
        // Arrange
        var request = Request() with { RoleSessionName = "a", DurationSeconds = 600 };

        // Act
        var outcome = await AssumeAsync(request);

        // Assert
        Assert.Equal(
            "2 validation errors detected: Value 'a' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2; "
            + "Value '600' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
            Fails(outcome, StsErrorCode.ValidationError).Message);
    }

    [Fact]
    public async Task AssumeRole_MissingRoleArnAndSessionName_AreReportedAsNull()
    {
        // Arrange
        var request = new AssumeRoleRequest();

        // Act
        var outcome = await AssumeAsync(request);

        // Assert
        Assert.Equal(
            "2 validation errors detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null; "
            + "Value null at 'roleSessionName' failed to satisfy constraint: Member must not be null",
            Fails(outcome, StsErrorCode.ValidationError).Message);
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("ünïcode")]
    [InlineData("semi;colon")]
    public async Task AssumeRole_SessionNameOutsidePattern_FailsValidation(string name)
    {
        // Arrange
        var request = Request() with { RoleSessionName = name };

        // Act
        var outcome = await AssumeAsync(request);

        // Assert
        Assert.Equal(
            $@"1 validation error detected: Value '{name}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]*",
            Fails(outcome, StsErrorCode.ValidationError).Message);
    }

    [Fact]
    public async Task AssumeRole_ProvidedContexts_AreRejected()
    {
        // Arrange
        var request = Request() with { ProvidedContextCount = 1 };

        // Act
        var outcome = await AssumeAsync(request);

        // Assert
        Assert.Equal("ProvidedContexts are not supported by this service.", Fails(outcome, StsErrorCode.ValidationError).Message);
    }

    // ---- response and credentials (§1.1 Response, §4) --------------------------------------------------------------

    [Fact]
    public async Task AssumeRole_Response_HasAssumedRoleUserWithoutPath()
    {
        // Arrange
        var role = await _h.CreateRoleAsync("pathed", PolicyJson.TrustAws(_alice.Arn), path: "/team/");

        // Act
        var result = Ok(await AssumeAsync(Request() with { RoleArn = role.Arn }));

        // Assert
        Assert.StartsWith(IdPrefixes.Role, role.Id, StringComparison.Ordinal);
        Assert.Equal(role.Id + ":" + SessionName, result.AssumedRoleUser.AssumedRoleId);
        Assert.Equal($"arn:aws:sts::{AccountA}:assumed-role/pathed/{SessionName}", result.AssumedRoleUser.Arn);
        Assert.Null(result.PackedPolicySize);
        Assert.Null(result.SourceIdentity);
    }

    [Fact]
    public async Task AssumeRole_WithSessionPolicy_ReportsPackedPolicySize()
    {
        // Arrange
        var request = Request() with { Policy = PolicyJson.Allow("*", "s3:GetObject") };

        // Act
        var result = Ok(await AssumeAsync(request));

        // Assert
        Assert.InRange(result.PackedPolicySize!.Value, 1, 100);
    }

    [Fact]
    public async Task AssumeRole_IssuedCredentials_HaveAwsFormatsAndMatchingClaims()
    {
        // Arrange
        var request = Request() with { DurationSeconds = 1800 };

        // Act
        var result = Ok(await AssumeAsync(request));

        // Assert
        var creds = result.Credentials;
        Assert.StartsWith("ASIA", creds.AccessKeyId, StringComparison.Ordinal);
        Assert.Equal(20, creds.AccessKeyId.Length);
        Assert.Equal(40, creds.SecretAccessKey.Length);
        Assert.Equal(Start.AddSeconds(1800), creds.Expiration);
        var claims = await _h.ClaimsOfAsync(creds);
        Assert.Equal(SessionKind.AssumedRole, claims.Kind);
        Assert.Equal(creds.AccessKeyId, claims.AccessKeyId);
        Assert.Equal(creds.SecretAccessKey, claims.SecretAccessKey);
        Assert.Equal(AccountA, claims.AccountId);
        Assert.Equal(result.AssumedRoleUser.Arn, claims.Arn);
        Assert.Equal(result.AssumedRoleUser.AssumedRoleId, claims.PrincipalId);
        Assert.Equal(_role.Arn, claims.SourcePrincipalArn);
        Assert.Equal(_role.Id, claims.SourcePrincipalId);
        Assert.Equal(SessionName, claims.SessionName);
        Assert.Equal(Start, claims.IssuedAt);
        Assert.False(claims.IsRoleChain);
        Assert.Null(claims.MfaAuthenticatedAt);
    }

    [Fact]
    public async Task AssumeRole_TwoCalls_IssueDistinctCredentials()
    {
        // Arrange
        var request = Request();

        // Act
        var a = Ok(await AssumeAsync(request)).Credentials;
        var b = Ok(await AssumeAsync(request)).Credentials;

        // Assert
        Assert.NotEqual(a.AccessKeyId, b.AccessKeyId);
        Assert.NotEqual(a.SecretAccessKey, b.SecretAccessKey);
        Assert.NotEqual(a.SessionToken, b.SessionToken);
    }

    [Fact]
    public async Task AssumeRole_RoleSessionCaller_IsMatchedByRoleArnInTrust()
    {
        // Arrange: a second role trusting the first role's ARN is assumable from the first role's session.
        var session = await ChainCallerAsync();
        var next = await _h.CreateRoleAsync("next", PolicyJson.TrustAws(_role.Arn));

        // Act
        var outcome = await AssumeAsync(Request() with { RoleArn = next.Arn }, session);

        // Assert
        Ok(outcome);
    }

    /// <summary>A role session of the baseline role that may assume the baseline role again (its trust names the role itself).</summary>
    private async Task<Caller> ChainCallerAsync()
    {
        Ok(await _h.Directory.UpdateAssumeRolePolicyAsync(Account(AccountA), _role.Name, """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["ALICE","ROLE"]},"Action":"sts:AssumeRole"}]}""".Replace("ALICE", _alice.Arn, StringComparison.Ordinal).Replace("ROLE", _role.Arn, StringComparison.Ordinal)));
        var first = Ok(await AssumeAsync(Request()));
        return await _h.CallerForAsync(first.Credentials);
    }
}
