using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;

namespace Portal.Tests.EndToEnd.Clients;

/// <summary>
/// The AWS SDK for .NET (AWSSDK.SecurityToken, in-process) against the Portal process: the root-key STS steps and the
/// error codes. The SDK does no client-side range checks, so DurationSeconds=899 reaches the server (RECIPE.md 4).
/// </summary>
[Collection(RealClientsGroup.Name)]
public sealed class DotNetSdkStsTests
{
    // One below the model minimum of 900 (STS-SPEC §1.0.3); not a literal, which the SDK's analyzer rejects at build time.
    private static readonly int TooShortDuration = int.Parse("899", System.Globalization.CultureInfo.InvariantCulture);
    private readonly PortalProcessFixture _portal;

    public DotNetSdkStsTests(PortalProcessFixture portal) => _portal = portal;

    [Fact]
    public async Task DotNetSdk_RootSessionAndFederationTokens_IssueWorkingTemporaryCredentials()
    {
        // Arrange
        using var root = Client(PortalProcessFixture.Root);

        // Act
        var rootIdentity = await root.GetCallerIdentityAsync(new GetCallerIdentityRequest());
        var session = await root.GetSessionTokenAsync(new GetSessionTokenRequest { DurationSeconds = 900 });
        using var sessionClient = Client(session.Credentials);
        var sessionIdentity = await sessionClient.GetCallerIdentityAsync(new GetCallerIdentityRequest());
        var federation = await root.GetFederationTokenAsync(new GetFederationTokenRequest
        {
            Name = "fed-dotnet",
            DurationSeconds = 900,
            Policy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""",
        });
        using var federatedClient = Client(federation.Credentials);
        var federatedIdentity = await federatedClient.GetCallerIdentityAsync(new GetCallerIdentityRequest());

        // Assert: STS-SPEC §4.7 identities; §4.1 temporary keys are ASIA.
        Assert.Equal($"arn:aws:iam::{PortalProcessFixture.AccountId}:root", rootIdentity.Arn);
        Assert.StartsWith("ASIA", session.Credentials.AccessKeyId, StringComparison.Ordinal);
        Assert.InRange(session.Credentials.Expiration!.Value.ToUniversalTime() - DateTime.UtcNow, TimeSpan.FromSeconds(780), TimeSpan.FromSeconds(905));
        Assert.Equal(PortalProcessFixture.AccountId, sessionIdentity.Account);
        var federatedArn = $"arn:aws:sts::{PortalProcessFixture.AccountId}:federated-user/fed-dotnet";
        Assert.Equal(federatedArn, federation.FederatedUser.Arn);
        Assert.Equal(federatedArn, federatedIdentity.Arn);
    }

    [Fact]
    public async Task DotNetSdk_RejectedRequests_ReportAwsErrorCodes()
    {
        // Arrange
        using var root = Client(PortalProcessFixture.Root);
        using var wrongSecret = Client(PortalProcessFixture.Root.WithWrongSecret());

        // Act
        var badSignature = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() => wrongSecret.GetCallerIdentityAsync(new GetCallerIdentityRequest()));
        var shortDuration = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() => root.GetSessionTokenAsync(new GetSessionTokenRequest { DurationSeconds = TooShortDuration }));
        var malformed = await Assert.ThrowsAsync<MalformedPolicyDocumentException>(() => root.GetFederationTokenAsync(new GetFederationTokenRequest { Name = "malformed", Policy = StsClientTests.MalformedPolicy }));
        var rootAssumes = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() => root.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = $"arn:aws:iam::{PortalProcessFixture.AccountId}:role/any", RoleSessionName = "root-session" }));

        // Assert: STS-SPEC §5.7, §1.0.3, §1.5, §1.0.2.
        Assert.Equal("SignatureDoesNotMatch", badSignature.ErrorCode);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, badSignature.StatusCode);
        Assert.Equal("ValidationError", shortDuration.ErrorCode);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, shortDuration.StatusCode);
        Assert.Equal("MalformedPolicyDocument", malformed.ErrorCode);
        Assert.Equal("AccessDenied", rootAssumes.ErrorCode);
    }

    private AmazonSecurityTokenServiceClient Client(AwsCredentials credentials) =>
        new(credentials.SessionToken is null
                ? new BasicAWSCredentials(credentials.AccessKeyId, credentials.SecretAccessKey)
                : new SessionAWSCredentials(credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken),
            Config());

    private AmazonSecurityTokenServiceClient Client(Credentials credentials) =>
        Client(new AwsCredentials(credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken));

    private AmazonSecurityTokenServiceConfig Config() => new()
    {
        ServiceURL = _portal.Endpoint,
        AuthenticationRegion = PortalProcessFixture.Region,
        MaxErrorRetry = 0,
    };
}
