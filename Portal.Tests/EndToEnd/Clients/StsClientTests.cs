using System.Net;
using System.Text.Json;
using System.Xml.Linq;

namespace Portal.Tests.EndToEnd.Clients;

/// <summary>
/// The STS steps that need nothing but the bootstrap root key, driven through the real AWS CLI, boto3 and the JS SDK
/// against a Portal process: GetCallerIdentity, GetSessionToken, GetFederationToken, temporary credentials in use, a
/// presigned GetCallerIdentity URL (STS-SPEC §5.6), and the error codes each client reports (STS-SPEC §2, §5.7).
/// </summary>
[Collection(RealClientsGroup.Name)]
public sealed class StsClientTests : IDisposable
{
    private const string AllowAll = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""";
    /// <summary>Truncated JSON: a MalformedPolicyDocument, not a ValidationError (STS-SPEC §1.0.5).</summary>
    public const string MalformedPolicy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",";

    private static readonly XNamespace Sts = "https://sts.amazonaws.com/doc/2011-06-15/";
    private readonly PortalProcessFixture _portal;
    private readonly ClientSandbox _sandbox;

    public StsClientTests(PortalProcessFixture portal)
    {
        _portal = portal;
        _sandbox = new ClientSandbox(portal);
    }

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public Task AwsCli_RootSessionAndFederationTokens_IssueWorkingTemporaryCredentials() => RootTemporaryCredentialStepsAsync(_sandbox.Cli());

    [Fact]
    public Task Boto3_RootSessionAndFederationTokens_IssueWorkingTemporaryCredentials() => RootTemporaryCredentialStepsAsync(_sandbox.Boto3());

    [Fact]
    public Task JsSdk_RootSessionAndFederationTokens_IssueWorkingTemporaryCredentials() => RootTemporaryCredentialStepsAsync(_sandbox.Js());

    [Fact]
    public async Task AwsCli_RejectedRequests_ReportAwsErrorCodes()
    {
        var cli = _sandbox.Cli();

        await SharedRejectionsAsync(cli);

        // Act: botocore refuses DurationSeconds < 900 before sending (RECIPE.md 1.1); the server side of 899 is
        // asserted through boto3's raw signed request and the JS/.NET clients.
        var duration = await cli.CallAsync("sts", "GetSessionToken", new { DurationSeconds = 899 }, CallAs.Keys(PortalProcessFixture.Root));

        // Assert
        duration.RequireError("aws-cli GetSessionToken DurationSeconds=899", "ParamValidation", kind: "client");
    }

    [Fact]
    public async Task Boto3_RejectedRequests_ReportAwsErrorCodes()
    {
        var boto = _sandbox.Boto3();

        await SharedRejectionsAsync(boto);

        // Act: the client-side check, then the same request signed by botocore but sent raw so the server decides.
        var clientSide = await boto.CallAsync("sts", "GetSessionToken", new { DurationSeconds = 899 }, CallAs.Keys(PortalProcessFixture.Root));
        var serverSide = await boto.CallAsync("sts", "raw:GetSessionToken", new { DurationSeconds = 899 }, CallAs.Keys(PortalProcessFixture.Root));

        // Assert: STS-SPEC §1.0.3, a value below the model minimum is ValidationError.
        clientSide.RequireError("boto3 GetSessionToken DurationSeconds=899", "ParamValidation", kind: "client");
        serverSide.RequireError("boto3 raw signed GetSessionToken DurationSeconds=899", "ValidationError");
        Assert.Equal(400, serverSide.Status);
    }

    [Fact]
    public async Task JsSdk_RejectedRequests_ReportAwsErrorCodes()
    {
        var js = _sandbox.Js();

        await SharedRejectionsAsync(js);

        // Act: the JS SDK does not validate ranges, so 899 reaches Portal (RECIPE.md 8.9).
        var duration = await js.CallAsync("sts", "GetSessionToken", new { DurationSeconds = 899 }, CallAs.Keys(PortalProcessFixture.Root));

        // Assert
        duration.RequireError("js-sdk GetSessionToken DurationSeconds=899", "ValidationError");
        Assert.Equal(400, duration.Status);
    }

    [Fact]
    public async Task Boto3_PresignedGetCallerIdentity_IsVerifiedByPortal()
    {
        // Arrange: presigned with the root key and with GetSessionToken credentials (X-Amz-Security-Token in the URL).
        var boto = _sandbox.Boto3();
        var root = CallAs.Keys(PortalProcessFixture.Root);
        var session = AwsCredentials.FromResult((await boto.CallAsync("sts", "GetSessionToken", new { DurationSeconds = 900 }, root)).Require("boto3 GetSessionToken"));
        var rootUrl = (await boto.CallAsync("sts", "presign:GetCallerIdentity", null, root)).Require("boto3 presign (root)").GetProperty("Url").GetString()!;
        var sessionUrl = (await boto.CallAsync("sts", "presign:GetCallerIdentity", null, CallAs.Keys(session))).Require("boto3 presign (session)").GetProperty("Url").GetString()!;
        Assert.StartsWith(_portal.Endpoint + "/?Action=GetCallerIdentity", rootUrl, StringComparison.Ordinal);
        using var http = new HttpClient();

        // Act
        var (rootStatus, rootXml) = await GetAsync(http, rootUrl);
        var (sessionStatus, sessionXml) = await GetAsync(http, sessionUrl);
        var (tamperedStatus, tamperedXml) = await GetAsync(http, FlipLastSignatureDigit(rootUrl));
        var (otherActionStatus, otherActionXml) = await GetAsync(http, rootUrl.Replace("Action=GetCallerIdentity", "Action=GetSessionToken", StringComparison.Ordinal));

        // Assert: the URL proves the signer's identity (STS-SPEC §5.6); any change to it breaks the signature
        // (SECURITY-CASES 81, 85).
        Assert.True(rootStatus == HttpStatusCode.OK, rootXml.ToString());
        Assert.Equal($"arn:aws:iam::{PortalProcessFixture.AccountId}:root", rootXml.Descendants(Sts + "Arn").Single().Value);
        Assert.True(sessionStatus == HttpStatusCode.OK, sessionXml.ToString());
        Assert.Equal(PortalProcessFixture.AccountId, sessionXml.Descendants(Sts + "Account").Single().Value);
        Assert.Equal(HttpStatusCode.Forbidden, tamperedStatus);
        Assert.Equal("SignatureDoesNotMatch", tamperedXml.Descendants(Sts + "Code").Single().Value);
        Assert.Equal(HttpStatusCode.Forbidden, otherActionStatus);
        Assert.Equal("SignatureDoesNotMatch", otherActionXml.Descendants(Sts + "Code").Single().Value);
    }

    /// <summary>GetCallerIdentity, GetSessionToken and GetFederationToken with the root key, then each session in use.</summary>
    private static async Task RootTemporaryCredentialStepsAsync(IExternalClient client)
    {
        var root = CallAs.Keys(PortalProcessFixture.Root);
        var name = client.Name;
        var federatedName = "fed-" + name.Replace("-", string.Empty, StringComparison.Ordinal);

        // Act
        var rootIdentity = (await client.CallAsync("sts", "GetCallerIdentity", null, root)).Require($"{name} GetCallerIdentity (root)");
        var sessionResult = (await client.CallAsync("sts", "GetSessionToken", new { DurationSeconds = 900 }, root)).Require($"{name} GetSessionToken");
        var session = AwsCredentials.FromResult(sessionResult);
        var sessionIdentity = (await client.CallAsync("sts", "GetCallerIdentity", null, CallAs.Keys(session))).Require($"{name} GetCallerIdentity (GetSessionToken credentials)");
        var federationResult = (await client.CallAsync("sts", "GetFederationToken", new { Name = federatedName, Policy = AllowAll, DurationSeconds = 900 }, root)).Require($"{name} GetFederationToken");
        var federated = AwsCredentials.FromResult(federationResult);
        var federatedIdentity = (await client.CallAsync("sts", "GetCallerIdentity", null, CallAs.Keys(federated))).Require($"{name} GetCallerIdentity (federation credentials)");
        var sessionCannotFederate = await client.CallAsync("sts", "GetFederationToken", new { Name = federatedName, DurationSeconds = 900 }, CallAs.Keys(session));

        // Assert: identities per STS-SPEC §4.7; temporary keys are ASIA (§4.1); sessions may not mint sessions (§1.0.2).
        Assert.Equal($"arn:aws:iam::{PortalProcessFixture.AccountId}:root", rootIdentity.GetProperty("Arn").GetString());
        Assert.Equal(PortalProcessFixture.AccountId, rootIdentity.GetProperty("Account").GetString());
        Assert.StartsWith("ASIA", session.AccessKeyId, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(session.SessionToken));
        AssertExpiresWithin(sessionResult, TimeSpan.FromSeconds(900));
        Assert.Equal(PortalProcessFixture.AccountId, sessionIdentity.GetProperty("Account").GetString());
        Assert.Equal($"arn:aws:iam::{PortalProcessFixture.AccountId}:root", sessionIdentity.GetProperty("Arn").GetString());
        var federatedArn = $"arn:aws:sts::{PortalProcessFixture.AccountId}:federated-user/{federatedName}";
        Assert.Equal(federatedArn, federationResult.GetProperty("FederatedUser").GetProperty("Arn").GetString());
        Assert.Equal(federatedArn, federatedIdentity.GetProperty("Arn").GetString());
        sessionCannotFederate.RequireError($"{name} GetFederationToken with session credentials", "AccessDenied");
    }

    /// <summary>The rejections every client reports the same way: wrong secret, malformed policy, root assuming a role.</summary>
    private static async Task SharedRejectionsAsync(IExternalClient client)
    {
        var root = CallAs.Keys(PortalProcessFixture.Root);
        var name = client.Name;

        // Act
        var wrongSecret = await client.CallAsync("sts", "GetCallerIdentity", null, CallAs.Keys(PortalProcessFixture.Root.WithWrongSecret()));
        var malformed = await client.CallAsync("sts", "GetFederationToken", new { Name = "malformed", Policy = MalformedPolicy }, root);
        var rootAssumes = await client.CallAsync("sts", "AssumeRole", new { RoleArn = $"arn:aws:iam::{PortalProcessFixture.AccountId}:role/any", RoleSessionName = "root-session" }, root);

        // Assert: STS-SPEC §5.7 (signature), §1.5 (policy), §1.0.2 (roles may not be assumed by root).
        wrongSecret.RequireError($"{name} GetCallerIdentity with a wrong secret", "SignatureDoesNotMatch");
        malformed.RequireError($"{name} GetFederationToken with a malformed policy", "MalformedPolicyDocument");
        Assert.True(malformed.Exception is null or "MalformedPolicyDocumentException", $"{name}: the error maps to the modeled exception.\n{malformed.Raw}");
        rootAssumes.RequireError($"{name} AssumeRole as root", "AccessDenied");
    }

    private static void AssertExpiresWithin(JsonElement result, TimeSpan duration)
    {
        var expiration = DateTimeOffset.Parse(result.GetProperty("Credentials").GetProperty("Expiration").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        var remaining = expiration - DateTimeOffset.UtcNow;
        Assert.InRange(remaining, duration - TimeSpan.FromMinutes(2), duration + TimeSpan.FromSeconds(5));
    }

    private static async Task<(HttpStatusCode Status, XDocument Xml)> GetAsync(HttpClient http, string url)
    {
        using var response = await http.GetAsync(new Uri(url));
        return (response.StatusCode, XDocument.Parse(await response.Content.ReadAsStringAsync()));
    }

    private static string FlipLastSignatureDigit(string url)
    {
        var last = url[^1];
        return url[..^1] + (last == '0' ? '1' : '0');
    }
}
