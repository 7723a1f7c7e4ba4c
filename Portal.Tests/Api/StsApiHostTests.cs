using System.Net;
using System.Text;
using System.Xml.Linq;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Iam;
using Portal.Core.Identity;
using Portal.Core.Signing;

namespace Portal.Tests.Api;

public sealed class StsApiHostTests : IClassFixture<PortalAppFactory>
{
    private static readonly XNamespace Sts = "https://sts.amazonaws.com/doc/2011-06-15/";
    private readonly PortalAppFactory _factory;

    public StsApiHostTests(PortalAppFactory factory) => _factory = factory;

    [Fact]
    public async Task Healthz_AfterStartup_IsOk()
    {
        // Arrange
        var client = _factory.CreateClient();

        // Act
        var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative));

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task GetCallerIdentity_SignedWithBootstrapRootKey_ReturnsRootArn()
    {
        // Act
        var (status, xml, response) = await SendAsync("Action=GetCallerIdentity&Version=2011-06-15", new(PortalAppFactory.RootAccessKeyId, PortalAppFactory.RootSecret));

        // Assert
        Assert.Equal(HttpStatusCode.OK, status);
        var result = xml.Root!.Element(Sts + "GetCallerIdentityResult")!;
        Assert.Equal($"arn:aws:iam::{PortalAppFactory.AccountId}:root", result.Element(Sts + "Arn")!.Value);
        Assert.Equal(PortalAppFactory.AccountId, result.Element(Sts + "Account")!.Value);
        var requestId = xml.Root.Element(Sts + "ResponseMetadata")!.Element(Sts + "RequestId")!.Value;
        Assert.Equal(requestId, response.Headers.GetValues("x-amzn-RequestId").Single());
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
    }

    [Fact]
    public async Task AssumeRole_UserTrustedByRole_IssuesCredentialsThatSignGetCallerIdentity()
    {
        // Arrange: a user with a key, a role that trusts the user.
        var directory = _factory.Services.GetRequiredService<IamDirectory>();
        _ = _factory.CreateClient();
        var account = AccountId.Parse(PortalAppFactory.AccountId);
        var userName = "alice" + Guid.NewGuid().ToString("N")[..6];
        var user = (await directory.CreateUserAsync(account, userName)).Value!;
        var key = (await directory.CreateAccessKeyAsync(account, user.Id)).Value!;
        var roleName = "dev" + Guid.NewGuid().ToString("N")[..6];
        var trust = $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"{{user.Arn}}"},"Action":"sts:AssumeRole"}]}""";
        var role = (await directory.CreateRoleAsync(account, roleName, trust)).Value!;

        // Act
        var body = "Action=AssumeRole&Version=2011-06-15&RoleArn=" + Uri.EscapeDataString(role.Arn) + "&RoleSessionName=s1";
        var (status, xml, _) = await SendAsync(body, new(key.Key.AccessKeyId, key.SecretAccessKey));

        // Assert
        Assert.Equal(HttpStatusCode.OK, status);
        var creds = xml.Root!.Element(Sts + "AssumeRoleResult")!.Element(Sts + "Credentials")!;
        var temp = new SigV4Credentials(creds.Element(Sts + "AccessKeyId")!.Value, creds.Element(Sts + "SecretAccessKey")!.Value, creds.Element(Sts + "SessionToken")!.Value);
        var (idStatus, idXml, _) = await SendAsync("Action=GetCallerIdentity&Version=2011-06-15", temp);
        Assert.Equal(HttpStatusCode.OK, idStatus);
        Assert.Equal($"arn:aws:sts::{PortalAppFactory.AccountId}:assumed-role/{roleName}/s1", idXml.Root!.Descendants(Sts + "Arn").Single().Value);
    }

    [Fact]
    public async Task AssumeRole_RootCaller_IsAccessDeniedInAwsErrorEnvelope()
    {
        // Act
        var (status, xml, _) = await SendAsync($"Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A{PortalAppFactory.AccountId}%3Arole%2Fx&RoleSessionName=s1", new(PortalAppFactory.RootAccessKeyId, PortalAppFactory.RootSecret));

        // Assert
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("ErrorResponse", xml.Root!.Name.LocalName);
        var error = xml.Root.Element(Sts + "Error")!;
        Assert.Equal("Sender", error.Element(Sts + "Type")!.Value);
        Assert.Equal("AccessDenied", error.Element(Sts + "Code")!.Value);
        Assert.Equal("Roles may not be assumed by root accounts.", error.Element(Sts + "Message")!.Value);
        Assert.NotEmpty(xml.Root.Element(Sts + "RequestId")!.Value);
    }

    [Theory]
    [InlineData("Version=2011-06-15", 400, "MissingAction")]
    [InlineData("Action=Nope&Version=2011-06-15", 400, "InvalidAction")]
    [InlineData("Action=GetCallerIdentity", 400, "MissingParameter")]
    [InlineData("Action=GetCallerIdentity&Version=2011-06-15", 403, "MissingAuthenticationToken")]
    [InlineData("Action=GetCallerIdentity&Action=AssumeRole&Version=2011-06-15", 400, "ValidationError")]
    [InlineData("Action=GetCallerIdentity&Version=2011-06-15&x=%zz", 400, "MalformedQueryString")]
    public async Task Post_MalformedOrUnsignedRequest_AnswersAwsErrorWithoutServerError(string body, int expectedStatus, string expectedCode)
    {
        // Arrange
        var client = _factory.CreateClient();

        // Act
        using var content = new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded");
        var response = await client.PostAsync(new Uri("/", UriKind.Relative), content);
        var xml = XDocument.Parse(await response.Content.ReadAsStringAsync());

        // Assert
        Assert.Equal(expectedStatus, (int)response.StatusCode);
        Assert.Equal(expectedCode, xml.Root!.Element(Sts + "Error")!.Element(Sts + "Code")!.Value);
    }

    private async Task<(HttpStatusCode Status, XDocument Xml, HttpResponseMessage Response)> SendAsync(string body, SigV4Credentials credentials)
    {
        var client = _factory.CreateClient();
        var bytes = Encoding.UTF8.GetBytes(body);
        var headers = new List<KeyValuePair<string, string>>
        {
            new("Host", client.BaseAddress!.Authority),
            new("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
        };
        var signed = SigV4Signer.SignHeaders("POST", "/", string.Empty, headers, bytes, credentials, "us-east-1", "sts", DateTimeOffset.UtcNow);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new ByteArrayContent(bytes) };
        foreach (var (name, value) in signed)
        {
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
            else if (!name.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        var response = await client.SendAsync(request);
        return (response.StatusCode, XDocument.Parse(await response.Content.ReadAsStringAsync()), response);
    }
}
