using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Iam;
using Portal.Core.Identity;

namespace Portal.Tests.Api.Oidc;

/// <summary>AssumeRoleWithWebIdentity through the STS Query API, validated against the database's OIDC providers.</summary>
public sealed class WebIdentityApiTests : IClassFixture<OidcPortalFixture>
{
    private static readonly XNamespace Sts = "https://sts.amazonaws.com/doc/2011-06-15/";
    private readonly OidcPortalFixture _portal;

    public WebIdentityApiTests(OidcPortalFixture portal) => _portal = portal;

    [Fact]
    public async Task AssumeRoleWithWebIdentity_TokenOfRegisteredProvider_ReturnsCredentialsAndProviderArn()
    {
        // Arrange
        var (issuer, roleArn) = await ArrangeAsync();

        // Act
        var (status, xml) = await AssumeAsync(roleArn, issuer.IssueIdToken());

        // Assert
        Assert.Equal(HttpStatusCode.OK, status);
        var result = xml.Root!.Element(Sts + "AssumeRoleWithWebIdentityResult")!;
        Assert.Equal(OidcPortalFixture.ProviderArn(issuer), result.Element(Sts + "Provider")!.Value);
        Assert.Equal(issuer.Subject, result.Element(Sts + "SubjectFromWebIdentityToken")!.Value);
        Assert.Equal(issuer.ClientId, result.Element(Sts + "Audience")!.Value);
        Assert.StartsWith("ASIA", result.Element(Sts + "Credentials")!.Element(Sts + "AccessKeyId")!.Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AssumeRoleWithWebIdentity_TrustPolicySubjectDiffers_AccessDenied()
    {
        // Arrange: the trust policy names another subject (SECURITY-CASES 77a).
        var (issuer, roleArn) = await ArrangeAsync(subject: "someone-else");

        // Act
        var (status, xml) = await AssumeAsync(roleArn, issuer.IssueIdToken());

        // Assert
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("AccessDenied", ErrorCode(xml));
    }

    [Theory]
    [InlineData("none")]
    [InlineData("HS256")]
    public async Task AssumeRoleWithWebIdentity_UnsignedOrHmacToken_InvalidIdentityToken(string algorithm)
    {
        // Arrange: SECURITY-CASES 65, 66 and 79.
        var (issuer, roleArn) = await ArrangeAsync();
        issuer.SignIdToken = algorithm == "none" ? RsaTestKey.SignNone : issuer.Key.SignHs256WithPublicKey;

        // Act
        var (status, xml) = await AssumeAsync(roleArn, issuer.IssueIdToken());

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("InvalidIdentityToken", ErrorCode(xml));
    }

    [Fact]
    public async Task AssumeRoleWithWebIdentity_UnregisteredIssuer_InvalidIdentityTokenWithoutContactingIt()
    {
        // Arrange: SECURITY-CASES 75, a well-formed token from an issuer the account never registered.
        var (_, roleArn) = await ArrangeAsync();
        var stranger = _portal.NewIssuer();
        var strangerHost = new Uri(stranger.Issuer).Host;

        // Act
        var (status, xml) = await AssumeAsync(roleArn, stranger.IssueIdToken());

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("InvalidIdentityToken", ErrorCode(xml));
        Assert.DoesNotContain(_portal.Idp.Requests, r => r.StartsWith(strangerHost, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task AssumeRoleWithWebIdentity_TokenForUnregisteredClient_InvalidIdentityToken()
    {
        // Arrange: SECURITY-CASES 76a.
        var (issuer, roleArn) = await ArrangeAsync();

        // Act
        var (status, xml) = await AssumeAsync(roleArn, issuer.IssueIdToken(mutate: c => c["aud"] = "client-2"));

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("InvalidIdentityToken", ErrorCode(xml));
    }

    /// <summary>A provider registered for the STS API only, and a role trusting it for its client and the given subject.</summary>
    private async Task<(FakeOidcIssuer Issuer, string RoleArn)> ArrangeAsync(string subject = "user-0001")
    {
        var issuer = _portal.NewIssuer();
        await _portal.RegisterAsync(issuer, signIn: false);
        var host = new Uri(issuer.Issuer).Host;
        var trust = new JsonObject
        {
            ["Version"] = "2012-10-17",
            ["Statement"] = new JsonArray(new JsonObject
            {
                ["Effect"] = "Allow",
                ["Principal"] = new JsonObject { ["Federated"] = OidcPortalFixture.ProviderArn(issuer) },
                ["Action"] = "sts:AssumeRoleWithWebIdentity",
                ["Condition"] = new JsonObject
                {
                    ["StringEquals"] = new JsonObject { [host + ":aud"] = issuer.ClientId, [host + ":sub"] = subject },
                },
            }),
        };
        var directory = _portal.Services.GetRequiredService<IamDirectory>();
        var role = await directory.CreateRoleAsync(AccountId.Parse(PortalAppFactory.AccountId), "web" + Guid.NewGuid().ToString("N")[..8], trust.ToJsonString());
        return (issuer, role.Value!.Arn);
    }

    private async Task<(HttpStatusCode Status, XDocument Xml)> AssumeAsync(string roleArn, string token)
    {
        using var client = _portal.Factory.CreateClient();
        var body = "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleSessionName=web-session&RoleArn=" + Uri.EscapeDataString(roleArn)
            + "&WebIdentityToken=" + Uri.EscapeDataString(token);
        using var content = new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded");
        using var response = await client.PostAsync(new Uri("/", UriKind.Relative), content);
        return (response.StatusCode, XDocument.Parse(await response.Content.ReadAsStringAsync()));
    }

    private static string ErrorCode(XDocument xml) => xml.Root!.Element(Sts + "Error")!.Element(Sts + "Code")!.Value;
}
