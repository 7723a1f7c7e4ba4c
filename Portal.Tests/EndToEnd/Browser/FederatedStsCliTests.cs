using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Portal.Tests.EndToEnd.Clients;

namespace Portal.Tests.EndToEnd.Browser;

/// <summary>
/// AssumeRoleWithSAML and AssumeRoleWithWebIdentity through Debian's AWS CLI, with a SAML response and an ID token
/// issued by the real IdPs to a browser.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class FederatedStsCliTests(BrowserE2EFixture fixture) : BrowserTestBase(fixture)
{
    [Fact]
    public Task AssumeRoleWithSaml_ResponseFromSimpleSamlPhp_AwsCliGetsRoleCredentials() => InBrowserAsync(async (_, page) =>
    {
        // Arrange: IdP-initiated sign-in to "AWS"; the auto-posted form never leaves the browser.
        var posted = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await page.RouteAsync("https://signin.aws.amazon.com/**", async route =>
        {
            posted.TrySetResult(route.Request.PostData ?? string.Empty);
            await route.FulfillAsync(new() { Status = 200, ContentType = "text/plain", Body = "captured" });
        });
        await page.GotoAsync(BrowserE2EFixture.SamlOrigin + "/saml2/idp/SSOService.php?spentityid=urn:amazon:webservices");
        await SignInAtSimpleSamlPhpAsync(page, "alice", "alice-pw");
        var form = QueryHelpers.ParseQuery(await posted.Task.WaitAsync(TimeSpan.FromSeconds(20)));
        var samlResponse = form["SAMLResponse"].ToString();
        Assert.False(string.IsNullOrEmpty(samlResponse));

        // Act
        var run = await Fixture.AwsAsync(
            ["sts", "assume-role-with-saml", "--role-arn", BrowserE2EFixture.SamlRoleArn, "--principal-arn", BrowserE2EFixture.SamlProviderArn, "--saml-assertion", samlResponse],
            credentials: null);

        // Assert
        Assert.True(run.ExitCode == 0, run.Describe());
        using var result = JsonDocument.Parse(run.StdOut);
        Assert.Equal($"arn:aws:sts::{BrowserE2EFixture.AccountId}:assumed-role/{BrowserE2EFixture.SamlRoleName}/alice", result.RootElement.GetProperty("AssumedRoleUser").GetProperty("Arn").GetString());
        Assert.Equal("https://signin.aws.amazon.com/saml", result.RootElement.GetProperty("Audience").GetString());
        await AssertCallerAsync(result.RootElement, $"assumed-role/{BrowserE2EFixture.SamlRoleName}/alice");
    });

    [Fact]
    public Task AssumeRoleWithWebIdentity_IdTokenFromOidcProvider_AwsCliGetsRoleCredentials() => InBrowserAsync(async (_, page) =>
    {
        // Arrange: authorization code + PKCE for the public client "sts-cli"; the browser's redirect is intercepted.
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var redirected = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);

        // A route does not see the targets of HTTP redirects (the IdP answers with 303), the request event does. The
        // code reaches Portal, which has no such path (404) and could not redeem it without the verifier anyway.
        page.Request += (_, request) =>
        {
            if (request.Url.StartsWith(BrowserE2EFixture.StsRedirectUri + "?", StringComparison.Ordinal))
            {
                redirected.TrySetResult(request.Url);
            }
        };
        var authorize = QueryHelpers.AddQueryString(BrowserE2EFixture.OidcIssuer + "/auth", new Dictionary<string, string?>
        {
            ["client_id"] = BrowserE2EFixture.StsClientId,
            ["response_type"] = "code",
            ["scope"] = "openid",
            ["redirect_uri"] = BrowserE2EFixture.StsRedirectUri,
            ["code_challenge"] = challenge,
            ["code_challenge_method"] = "S256",
            ["state"] = Base64Url(RandomNumberGenerator.GetBytes(16)),
            ["nonce"] = Base64Url(RandomNumberGenerator.GetBytes(16)),
        });
        await page.GotoAsync(authorize);
        await SignInAtOidcProviderAsync(page, "alice", "alice-pw");
        var code = QueryHelpers.ParseQuery(new Uri(await redirected.Task.WaitAsync(TimeSpan.FromSeconds(20))).Query)["code"].ToString();
        Assert.False(string.IsNullOrEmpty(code));
        var idToken = await RedeemAsync(code, verifier);

        // Act
        var run = await Fixture.AwsAsync(
            ["sts", "assume-role-with-web-identity", "--role-arn", BrowserE2EFixture.WebIdentityRoleArn, "--role-session-name", "e2e-oidc", "--web-identity-token", idToken],
            credentials: null);

        // Assert
        Assert.True(run.ExitCode == 0, run.Describe());
        using var result = JsonDocument.Parse(run.StdOut);
        Assert.Equal("e2e-user-alice", result.RootElement.GetProperty("SubjectFromWebIdentityToken").GetString());
        Assert.Equal(BrowserE2EFixture.StsClientId, result.RootElement.GetProperty("Audience").GetString());
        await AssertCallerAsync(result.RootElement, $"assumed-role/{BrowserE2EFixture.WebIdentityRoleName}/e2e-oidc");
    });

    private async Task AssertCallerAsync(JsonElement assumeResult, string expectedArnSuffix)
    {
        var identity = await Fixture.AwsAsync(["sts", "get-caller-identity"], AwsCredentials.FromResult(assumeResult));
        Assert.True(identity.ExitCode == 0, identity.Describe());
        using var caller = JsonDocument.Parse(identity.StdOut);
        Assert.Equal($"arn:aws:sts::{BrowserE2EFixture.AccountId}:{expectedArnSuffix}", caller.RootElement.GetProperty("Arn").GetString());
    }

    private static async Task<string> RedeemAsync(string code, string verifier)
    {
        using var http = new HttpClient();
        using var body = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = BrowserE2EFixture.StsRedirectUri,
            ["client_id"] = BrowserE2EFixture.StsClientId,
            ["code_verifier"] = verifier,
        });
        using var response = await http.PostAsync(new Uri(BrowserE2EFixture.OidcIssuer + "/token"), body);
        var json = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"token endpoint: {(int)response.StatusCode} {json}");
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("id_token").GetString()!;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
