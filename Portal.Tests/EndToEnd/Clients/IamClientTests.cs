using System.Globalization;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;

namespace Portal.Tests.EndToEnd.Clients;

/// <summary>
/// The steps that need the IAM Query API (2010-05-08): each client bootstraps a user, its access key, two roles with
/// trust and role policies and a virtual MFA device through IAM, then AssumeRole, role chaining through profile
/// configuration (role_arn + source_profile), GetSessionToken with an oathtool TOTP code, GetFederationToken, and the
/// rejections that need IAM-made principals: an untrusted caller and a revoked session (SECURITY-CASES 93).
/// The .NET SDK has no IAM client here (AWSSDK.IdentityManagement is not on the registry), so its tests bootstrap
/// through the JS client and exercise the STS side in-process, including a role chain resolved from profiles.
/// </summary>
[Collection(RealClientsGroup.Name)]
public sealed class IamClientTests : IDisposable
{
    private const string AllowAll = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""";
    private readonly PortalProcessFixture _portal;
    private readonly ClientSandbox _sandbox;

    public IamClientTests(PortalProcessFixture portal)
    {
        _portal = portal;
        _sandbox = new ClientSandbox(portal);
    }

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public Task AwsCli_IamBootstrapAssumeRoleChainMfaFederationAndRevocation_Work() => FullJourneyAsync(_sandbox.Cli(), "cli");

    [Fact]
    public Task Boto3_IamBootstrapAssumeRoleChainMfaFederationAndRevocation_Work() => FullJourneyAsync(_sandbox.Boto3(), "boto");

    [Fact]
    public Task JsSdk_IamBootstrapAssumeRoleChainMfaFederationAndRevocation_Work() => FullJourneyAsync(_sandbox.Js(), "js");

    [Fact]
    public async Task DotNetSdk_AssumeRoleChainAndMfaSessionOnIamBootstrappedPrincipals_Work()
    {
        // Arrange: IAM through the JS client; everything after it through AWSSDK.SecurityToken in-process.
        var setup = await BootstrapAsync(_sandbox.Js(), "dotnet");
        var mfa = await EnrolMfaAsync(_sandbox.Js(), setup);
        using var user = StsClient(setup.UserKeys);
        using var outsider = StsClient(setup.OutsiderKeys);

        // Act
        var first = await user.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = setup.RoleAArn, RoleSessionName = "dotnet-a", DurationSeconds = 900 });
        using var firstClient = StsClient(Keys(first.Credentials));
        var chained = await firstClient.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = setup.RoleBArn, RoleSessionName = "dotnet-b" });
        using var chainedClient = StsClient(Keys(chained.Credentials));
        var chainedIdentity = await chainedClient.GetCallerIdentityAsync(new GetCallerIdentityRequest());
        var untrusted = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() => outsider.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = setup.RoleAArn, RoleSessionName = "outsider" }));
        var code = await ClientTools.TotpAsync(mfa.Seed, mfa.NextCodeAt);
        var mfaSession = await user.GetSessionTokenAsync(new GetSessionTokenRequest { SerialNumber = mfa.SerialNumber, TokenCode = code, DurationSeconds = 900 });
        using var mfaClient = StsClient(Keys(mfaSession.Credentials));
        var mfaIdentity = await mfaClient.GetCallerIdentityAsync(new GetCallerIdentityRequest());

        // Assert: STS-SPEC §1.1, §1.0.4 (chaining), §1.4 (MFA session is the user's), trust policy refusal.
        Assert.Equal($"arn:aws:sts::{PortalProcessFixture.AccountId}:assumed-role/{setup.RoleBName}/dotnet-b", chainedIdentity.Arn);
        Assert.Equal("AccessDenied", untrusted.ErrorCode);
        Assert.Equal(setup.UserArn, mfaIdentity.Arn);
    }

    [Fact]
    public async Task DotNetSdk_RoleChainThroughProfileConfiguration_Works()
    {
        // Arrange: the user's keys and two chained role profiles (role_arn + source_profile, endpoint_url) in a shared
        // credentials file of this test's sandbox; the SDK resolves the chain itself.
        var setup = await BootstrapAsync(_sandbox.Js(), "dotnet-profile");
        var file = Path.Combine(_sandbox.Root, "dotnet-credentials");
        await File.WriteAllTextAsync(file, $"""
            [base]
            aws_access_key_id = {setup.UserKeys.AccessKeyId}
            aws_secret_access_key = {setup.UserKeys.SecretAccessKey}
            region = {PortalProcessFixture.Region}
            endpoint_url = {_portal.Endpoint}

            [role-a]
            role_arn = {setup.RoleAArn}
            source_profile = base
            role_session_name = dotnet-profile-a
            region = {PortalProcessFixture.Region}
            endpoint_url = {_portal.Endpoint}

            [role-b]
            role_arn = {setup.RoleBArn}
            source_profile = role-a
            role_session_name = dotnet-profile-b
            region = {PortalProcessFixture.Region}
            endpoint_url = {_portal.Endpoint}

            """);
        var store = new Amazon.Runtime.CredentialManagement.CredentialProfileStoreChain(file);

        // The SDK's own STS client behind a role_arn profile finds the endpoint through AWS_ENDPOINT_URL_STS (as users
        // configure it); the variable is process-wide, so it is set only for this step. Every other AWS SDK client in the
        // suite sets ServiceURL explicitly and runs in this same (sequential) collection.
        var previous = Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL_STS");
        GetCallerIdentityResponse identity;
        try
        {
            Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL_STS", _portal.Endpoint);

            // Act
            Assert.True(store.TryGetAWSCredentials("role-b", out var credentials), "profile role-b not resolved");
            using var client = new AmazonSecurityTokenServiceClient(credentials, new AmazonSecurityTokenServiceConfig { ServiceURL = _portal.Endpoint, AuthenticationRegion = PortalProcessFixture.Region, MaxErrorRetry = 0 });
            identity = await client.GetCallerIdentityAsync(new GetCallerIdentityRequest());
        }
        finally
        {
            Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL_STS", previous);
        }

        // Assert: role-b's session, obtained through role-a's session, both from Portal.
        Assert.Equal($"arn:aws:sts::{PortalProcessFixture.AccountId}:assumed-role/{setup.RoleBName}/dotnet-profile-b", identity.Arn);
    }

    private async Task FullJourneyAsync(IExternalClient client, string tag)
    {
        var name = client.Name;

        // Arrange: IAM bootstrap as root, then the user's keys in a profile, and two role profiles chained on it.
        var setup = await BootstrapAsync(client, tag);
        _sandbox.AddKeysProfile("base", setup.UserKeys);
        _sandbox.AddProfile("role-a", new Dictionary<string, string> { ["role_arn"] = setup.RoleAArn, ["source_profile"] = "base", ["role_session_name"] = "profile-a" });
        _sandbox.AddProfile("role-b", new Dictionary<string, string> { ["role_arn"] = setup.RoleBArn, ["source_profile"] = "role-a", ["role_session_name"] = "profile-b" });
        var user = CallAs.Keys(setup.UserKeys);

        // Act: AssumeRole, profile chaining, federation.
        var assumed = (await client.CallAsync("sts", "AssumeRole", new { RoleArn = setup.RoleAArn, RoleSessionName = $"{tag}-a", DurationSeconds = 900 }, user)).Require($"{name} AssumeRole");
        var sessionA = AwsCredentials.FromResult(assumed);
        var assumedIdentity = (await client.CallAsync("sts", "GetCallerIdentity", null, CallAs.Keys(sessionA))).Require($"{name} GetCallerIdentity (role session)");
        var chainedIdentity = (await client.CallAsync("sts", "GetCallerIdentity", null, CallAs.ProfileNamed("role-b"))).Require($"{name} GetCallerIdentity (profile role-b via role-a via base)");
        var federated = AwsCredentials.FromResult((await client.CallAsync("sts", "GetFederationToken", new { Name = $"fed-{tag}", Policy = AllowAll, DurationSeconds = 900 }, user)).Require($"{name} GetFederationToken (IAM user)"));
        var federatedIdentity = (await client.CallAsync("sts", "GetCallerIdentity", null, CallAs.Keys(federated))).Require($"{name} GetCallerIdentity (federated user)");

        // Act: MFA enrolment through IAM, then GetSessionToken with a TOTP code from oathtool; a wrong code is refused.
        var mfa = await EnrolMfaAsync(client, setup);
        var code = await ClientTools.TotpAsync(mfa.Seed, mfa.NextCodeAt);
        var mfaSession = AwsCredentials.FromResult((await client.CallAsync("sts", "GetSessionToken", new { SerialNumber = mfa.SerialNumber, TokenCode = code, DurationSeconds = 900 }, user)).Require($"{name} GetSessionToken with MFA"));
        var mfaIdentity = (await client.CallAsync("sts", "GetCallerIdentity", null, CallAs.Keys(mfaSession))).Require($"{name} GetCallerIdentity (MFA session)");
        var wrongCode = await client.CallAsync("sts", "GetSessionToken", new { SerialNumber = mfa.SerialNumber, TokenCode = WrongCode(code), DurationSeconds = 900 }, user);

        // Act: rejections. An outsider is not in role A's trust policy; sessions of role A issued before the revocation
        // policy lose access, later ones keep it (SECURITY-CASES 93a, "AWSRevokeOlderSessions").
        var untrusted = await client.CallAsync("sts", "AssumeRole", new { RoleArn = setup.RoleAArn, RoleSessionName = "outsider" }, CallAs.Keys(setup.OutsiderKeys));
        var issuedAt = DateTimeOffset.Parse(assumed.GetProperty("Credentials").GetProperty("Expiration").GetString()!, CultureInfo.InvariantCulture) - TimeSpan.FromSeconds(900);
        await RevokeOlderSessionsAsync(client, setup.RoleAName, issuedAt + TimeSpan.FromSeconds(1));
        var revoked = await client.CallAsync("sts", "AssumeRole", new { RoleArn = setup.RoleBArn, RoleSessionName = "after-revoke" }, CallAs.Keys(sessionA));
        var fresh = AwsCredentials.FromResult((await client.CallAsync("sts", "AssumeRole", new { RoleArn = setup.RoleAArn, RoleSessionName = $"{tag}-fresh", DurationSeconds = 900 }, user)).Require($"{name} AssumeRole after revocation"));
        var freshChain = await client.CallAsync("sts", "AssumeRole", new { RoleArn = setup.RoleBArn, RoleSessionName = "fresh-chain" }, CallAs.Keys(fresh));

        // Assert
        Assert.Equal($"arn:aws:sts::{PortalProcessFixture.AccountId}:assumed-role/{setup.RoleAName}/{tag}-a", assumed.GetProperty("AssumedRoleUser").GetProperty("Arn").GetString());
        Assert.Equal($"arn:aws:sts::{PortalProcessFixture.AccountId}:assumed-role/{setup.RoleAName}/{tag}-a", assumedIdentity.GetProperty("Arn").GetString());
        Assert.Equal($"arn:aws:sts::{PortalProcessFixture.AccountId}:assumed-role/{setup.RoleBName}/profile-b", chainedIdentity.GetProperty("Arn").GetString());
        Assert.Equal($"arn:aws:sts::{PortalProcessFixture.AccountId}:federated-user/fed-{tag}", federatedIdentity.GetProperty("Arn").GetString());
        Assert.Equal(setup.UserArn, mfaIdentity.GetProperty("Arn").GetString());
        wrongCode.RequireError($"{name} GetSessionToken with a wrong MFA code", "AccessDenied");
        untrusted.RequireError($"{name} AssumeRole by a caller the trust policy does not name", "AccessDenied");
        revoked.RequireError($"{name} AssumeRole (chain) with a revoked session", "AccessDenied");
        freshChain.Require($"{name} AssumeRole (chain) with a session issued after the revocation");
    }

    /// <summary>User (all actions allowed) with a key; role A trusting the user; role B trusting role A; an outsider user with a key.</summary>
    private static async Task<IamSetup> BootstrapAsync(IExternalClient client, string tag)
    {
        var root = CallAs.Keys(PortalProcessFixture.Root);
        var name = client.Name;
        var userName = $"e2e-{tag}-user";
        var outsiderName = $"e2e-{tag}-outsider";
        var roleA = $"e2e-{tag}-role-a";
        var roleB = $"e2e-{tag}-role-b";
        var account = PortalProcessFixture.AccountId;
        var userArn = $"arn:aws:iam::{account}:user/{userName}";
        var roleAArn = $"arn:aws:iam::{account}:role/{roleA}";

        async Task<JsonElement> Iam(string operation, object parameters) =>
            (await client.CallAsync("iam", operation, parameters, root)).Require($"{name} iam {operation}");

        var created = await Iam("CreateUser", new { UserName = userName });
        await Iam("PutUserPolicy", new { UserName = userName, PolicyName = "all", PolicyDocument = AllowAll });
        var key = (await Iam("CreateAccessKey", new { UserName = userName })).GetProperty("AccessKey");
        await Iam("CreateUser", new { UserName = outsiderName });
        await Iam("PutUserPolicy", new { UserName = outsiderName, PolicyName = "all", PolicyDocument = AllowAll });
        var outsiderKey = (await Iam("CreateAccessKey", new { UserName = outsiderName })).GetProperty("AccessKey");
        var createdA = await Iam("CreateRole", new { RoleName = roleA, AssumeRolePolicyDocument = Trust(userArn) });
        await Iam("PutRolePolicy", new { RoleName = roleA, PolicyName = "all", PolicyDocument = AllowAll });
        var createdB = await Iam("CreateRole", new { RoleName = roleB, AssumeRolePolicyDocument = Trust(roleAArn) });
        await Iam("PutRolePolicy", new { RoleName = roleB, PolicyName = "all", PolicyDocument = AllowAll });

        Assert.Equal(userArn, created.GetProperty("User").GetProperty("Arn").GetString());
        Assert.Equal(roleAArn, createdA.GetProperty("Role").GetProperty("Arn").GetString());
        return new IamSetup(
            userName,
            userArn,
            new AwsCredentials(key.GetProperty("AccessKeyId").GetString()!, key.GetProperty("SecretAccessKey").GetString()!),
            new AwsCredentials(outsiderKey.GetProperty("AccessKeyId").GetString()!, outsiderKey.GetProperty("SecretAccessKey").GetString()!),
            roleA,
            roleAArn,
            roleB,
            createdB.GetProperty("Role").GetProperty("Arn").GetString()!);
    }

    /// <summary>
    /// CreateVirtualMFADevice + EnableMFADevice with two consecutive oathtool codes (n-1, n). The server accepts each
    /// step once (SECURITY-CASES 100), so the first sign-in code is step n+1, valid while the server is at n..n+2.
    /// TOTP runs on the wall clock of a real process: when fewer than 8 s of step n remain, start at the next step so
    /// the enrolment cannot straddle a boundary.
    /// </summary>
    private static async Task<MfaEnrolment> EnrolMfaAsync(IExternalClient client, IamSetup setup)
    {
        var root = CallAs.Keys(PortalProcessFixture.Root);
        var device = (await client.CallAsync("iam", "CreateVirtualMFADevice", new { VirtualMFADeviceName = setup.UserName }, root)).Require($"{client.Name} iam CreateVirtualMFADevice").GetProperty("VirtualMFADevice");
        var serial = device.GetProperty("SerialNumber").GetString()!;
        var seed = device.GetProperty("Base32StringSeed").GetString()!;

        var now = DateTimeOffset.UtcNow;
        var remaining = 30 - (now.ToUnixTimeSeconds() % 30);
        if (remaining < 8)
        {
            await Task.Delay(TimeSpan.FromSeconds(remaining));
            now = DateTimeOffset.UtcNow;
        }

        var code1 = await ClientTools.TotpAsync(seed, now - TimeSpan.FromSeconds(30));
        var code2 = await ClientTools.TotpAsync(seed, now);
        (await client.CallAsync("iam", "EnableMFADevice", new { UserName = setup.UserName, SerialNumber = serial, AuthenticationCode1 = code1, AuthenticationCode2 = code2 }, root)).Require($"{client.Name} iam EnableMFADevice");
        return new MfaEnrolment(serial, seed, now + TimeSpan.FromSeconds(30));
    }

    private static async Task RevokeOlderSessionsAsync(IExternalClient client, string roleName, DateTimeOffset issuedBefore)
    {
        var policy = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["Version"] = "2012-10-17",
            ["Statement"] = new object[]
            {
                new Dictionary<string, object>
                {
                    ["Effect"] = "Deny",
                    ["Action"] = "*",
                    ["Resource"] = "*",
                    ["Condition"] = new Dictionary<string, object>
                    {
                        ["DateLessThan"] = new Dictionary<string, string> { ["aws:TokenIssueTime"] = issuedBefore.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) },
                    },
                },
            },
        });
        (await client.CallAsync("iam", "PutRolePolicy", new { RoleName = roleName, PolicyName = "AWSRevokeOlderSessions", PolicyDocument = policy }, CallAs.Keys(PortalProcessFixture.Root)))
            .Require($"{client.Name} iam PutRolePolicy AWSRevokeOlderSessions");
    }

    private static string Trust(string principalArn) =>
        JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["Version"] = "2012-10-17",
            ["Statement"] = new object[]
            {
                new Dictionary<string, object> { ["Effect"] = "Allow", ["Principal"] = new Dictionary<string, string> { ["AWS"] = principalArn }, ["Action"] = "sts:AssumeRole" },
            },
        });

    private static string WrongCode(string code) => ((int.Parse(code, CultureInfo.InvariantCulture) + 1) % 1_000_000).ToString("D6", CultureInfo.InvariantCulture);

    private static AwsCredentials Keys(Credentials c) => new(c.AccessKeyId, c.SecretAccessKey, c.SessionToken);

    private AmazonSecurityTokenServiceClient StsClient(AwsCredentials c) =>
        new(
            c.SessionToken is null ? new BasicAWSCredentials(c.AccessKeyId, c.SecretAccessKey) : new SessionAWSCredentials(c.AccessKeyId, c.SecretAccessKey, c.SessionToken),
            new AmazonSecurityTokenServiceConfig { ServiceURL = _portal.Endpoint, AuthenticationRegion = PortalProcessFixture.Region, MaxErrorRetry = 0 });

    private sealed record IamSetup(string UserName, string UserArn, AwsCredentials UserKeys, AwsCredentials OutsiderKeys, string RoleAName, string RoleAArn, string RoleBName, string RoleBArn);

    private sealed record MfaEnrolment(string SerialNumber, string Seed, DateTimeOffset NextCodeAt);
}
