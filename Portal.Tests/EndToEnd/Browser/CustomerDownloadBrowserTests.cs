using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Core.Downloads;
using Portal.Core.Persistence;
using Portal.Hosting;
using Portal.Tests.EndToEnd.Clients;

namespace Portal.Tests.EndToEnd.Browser;

/// <summary>
/// Flow 4 of the portal-UI issue: an administrator creates a federation profile; a customer of the allowed IdP group
/// downloads GetFederationToken credentials (a file, and a single-use link that works once) that the AWS CLI accepts and
/// that allow exactly what the profile's rendered policy and its IAM user both allow (STS-SPEC §1.5).
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class CustomerDownloadBrowserTests(BrowserE2EFixture fixture) : AdminBrowserTestBase(fixture)
{
    private const string BrokerName = "e2e-download-broker";
    private const string ProfileName = "E2E customer data";
    private const string CustomerGroup = "staff";
    private const string Bucket = "customer-data";

    /// <summary>bob at the OIDC IdP: the customer. His e-mail is the federated-user name and his prefix in the bucket.</summary>
    private const string CustomerEmail = "bob@example.test";

    private const string Template = """
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": "s3:GetObject",
                    "Resource": "arn:aws:s3:::customer-data/${portal:email}/*"
                }
            ]
        }
        """;

    private static string FederatedUserArn => $"arn:aws:sts::{BrowserE2EFixture.AccountId}:federated-user/{CustomerEmail}";

    [Fact]
    public Task FederationProfile_CustomerDownloadsFileAndSingleUseLink_CliAndSimulatorShowTheFederatedUser() => InAdminAndEmployeeBrowsersAsync(async (admin, customer) =>
    {
        // Arrange: the bounding IAM user may read the whole bucket and call GetFederationToken; the administrator creates
        // the profile in the UI for the customer's IdP group.
        await CreateBrokerAsync();
        await CreateProfileInTheUiAsync(admin);
        await AssertCreationAuditedAsync();

        // Act 1: the customer signs in at the IdP, opens /downloads and downloads the credentials file.
        await customer.GotoAsync(BrowserE2EFixture.PortalOrigin + BrowserE2EFixture.OidcSignInPath(BrowserE2EFixture.OidcIssuer) + "?returnUrl=/downloads");
        if (customer.Url.StartsWith(BrowserE2EFixture.OidcIssuer, StringComparison.Ordinal))
        {
            await SignInAtOidcProviderAsync(customer, "bob", "bob-pw");
        }

        await Assertions.Expect(customer.Locator("#downloads-render")).ToHaveTextAsync("interactive", Slow);
        var profile = customer.Locator("[data-testid=download-profile]").Filter(new() { Has = customer.Locator("[data-testid=download-profile-name]", new() { HasTextString = ProfileName }) });
        await Assertions.Expect(profile).ToHaveCountAsync(1);
        var download = await customer.RunAndWaitForDownloadAsync(() => profile.Locator("[data-testid=download-file]").ClickAsync());
        var fileText = await SaveAsync(download, "download-file.ini");
        await Assertions.Expect(profile.Locator("[data-testid=download-result]")).ToContainTextAsync(FederatedUserArn);

        // Act 2: a single-use link, opened once (the file) and again (410).
        await profile.Locator("[data-testid=create-link]").ClickAsync();
        var linkLocator = profile.Locator("[data-testid=download-link]");
        await Assertions.Expect(linkLocator).ToContainTextAsync("/downloads/link/");
        var link = (await linkLocator.InnerTextAsync()).Trim();
        var linkDownload = await customer.RunAndWaitForDownloadAsync(() => FollowLinkAsync(customer, link));
        var linkFileText = await SaveAsync(linkDownload, "download-link.ini");
        var second = await customer.GotoAsync(link);

        // Assert 1: the second use is refused with the 410 page.
        Assert.NotNull(second);
        Assert.Equal((int)HttpStatusCode.Gone, second.Status);
        await Assertions.Expect(customer.Locator("[data-testid=download-link-error]")).ToHaveTextAsync("This download link has already been used.");

        // Assert 2: both files are AWS CLI credentials files of the customer's federated user, and differ (two issuances).
        var fileCredentials = await AssertCallerIsCustomerAsync(fileText, "download-file.ini");
        var linkCredentials = await AssertCallerIsCustomerAsync(linkFileText, "download-link.ini");
        Assert.NotEqual(fileCredentials.AccessKeyId, linkCredentials.AccessKeyId);

        // Assert 3: the console's simulator, signed in with the downloaded credentials, allows exactly the rendered policy.
        var simulator = await customer.Context.NewPageAsync();
        await SignInToConsoleAsync(simulator, fileCredentials);
        Assert.Equal("allowed", await SimulateAsync(simulator, "s3:GetObject", $"arn:aws:s3:::{Bucket}/{CustomerEmail}/report.csv"));
        Assert.Equal("denied", await SimulateAsync(simulator, "s3:GetObject", $"arn:aws:s3:::{Bucket}/alice@example.test/report.csv"));
        Assert.Equal("denied", await SimulateAsync(simulator, "s3:PutObject", $"arn:aws:s3:::{Bucket}/{CustomerEmail}/report.csv"));
        Assert.Equal("denied", await SimulateAsync(simulator, "sts:GetFederationToken", "*"));
    });

    /// <summary>Creates (with the AWS CLI, as root) the IAM user whose permissions bound every download.</summary>
    private async Task CreateBrokerAsync()
    {
        var policy = JsonSerializer.Serialize(new
        {
            Version = "2012-10-17",
            Statement = new object[]
            {
                new { Effect = "Allow", Action = "s3:GetObject", Resource = $"arn:aws:s3:::{Bucket}/*" },
                new { Effect = "Allow", Action = "sts:GetFederationToken", Resource = "*" },
            },
        });
        foreach (var arguments in new[]
        {
            new[] { "iam", "create-user", "--user-name", BrokerName },
            ["iam", "put-user-policy", "--user-name", BrokerName, "--policy-name", "downloads", "--policy-document", policy],
        })
        {
            var run = await Fixture.AwsAsync(arguments, BrowserE2EFixture.Root);
            Assert.True(run.ExitCode == 0, run.Describe());
        }
    }

    private static async Task CreateProfileInTheUiAsync(IPage admin)
    {
        await admin.GotoAsync(BrowserE2EFixture.PortalOrigin + "/admin/federation-profiles");
        await WaitForInteractiveAsync(admin);
        await admin.Locator("[data-testid=profiles-create]").ClickAsync();
        await Assertions.Expect(admin.Locator(".mud-input-control:has([data-testid=profile-account]) input")).ToHaveValueAsync(BrowserE2EFixture.AccountId);
        await admin.Locator("input[data-testid=profile-name]").FillAsync(ProfileName);
        await admin.Locator("input[data-testid=profile-description]").FillAsync("Your files in the customer-data bucket");
        await admin.Locator("input[data-testid=profile-user]").FillAsync(BrokerName);
        await admin.Locator("textarea[data-testid=profile-template]").FillAsync(Template);
        await admin.Locator("textarea[data-testid=profile-groups]").FillAsync(CustomerGroup);
        await admin.Locator("[data-testid=profile-save]").ClickAsync();
        await Assertions.Expect(admin.Locator("[data-testid=profiles-table] [data-testid=profile-row-name]").Filter(new() { HasTextString = ProfileName })).ToHaveCountAsync(1);
    }

    /// <summary>The UI's save is audited with the signed-in administrator and the values the profile was created with.</summary>
    private async Task AssertCreationAuditedAsync()
    {
        await using var db = await Fixture.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var events = await db.AuditEvents.AsNoTracking().Where(e => e.Action == FederationProfileAudit.CreateAction).ToListAsync();
        var created = Assert.Single(events, e => e.Message!.Contains(ProfileName, StringComparison.Ordinal));
        Assert.Equal("Allow", created.Decision);
        Assert.EndsWith(":user/" + FirstRunBootstrap.AdminUserName, created.Principal, StringComparison.Ordinal);
        using var message = JsonDocument.Parse(created.Message!);
        Assert.Equal(BrokerName, message.RootElement.GetProperty("after").GetProperty("userName").GetString());
    }

    /// <summary>
    /// Follows the link as a click on it would: <c>page.goto</c> cannot be used, because a navigation that ends in a
    /// download is aborted rather than completed.
    /// </summary>
    private static async Task FollowLinkAsync(IPage page, string link) =>
        await page.EvaluateAsync("url => { const a = document.createElement('a'); a.href = url; document.body.appendChild(a); a.click(); a.remove(); }", link);

    private async Task<string> SaveAsync(IDownload download, string fileName)
    {
        Assert.Null(await download.FailureAsync());
        Assert.StartsWith("credentials-ASIA", download.SuggestedFilename, StringComparison.Ordinal);
        var path = Path.Combine(Fixture.RunDirectory, fileName);
        await download.SaveAsAsync(path);
        return await File.ReadAllTextAsync(path);
    }

    /// <summary>Runs <c>sts get-caller-identity</c> with nothing but the downloaded file and returns the keys it holds.</summary>
    private async Task<AwsCredentials> AssertCallerIsCustomerAsync(string fileText, string fileName)
    {
        var lines = fileText.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var profile = lines[0].TrimStart('[').TrimEnd(']');
        var values = lines.Skip(1).Select(l => l.Split('=', 2, StringSplitOptions.TrimEntries)).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        var run = await Fixture.AwsWithCredentialsFileAsync(["sts", "get-caller-identity"], Path.Combine(Fixture.RunDirectory, fileName), profile);
        Assert.True(run.ExitCode == 0, run.Describe());
        using var identity = JsonDocument.Parse(run.StdOut);
        Assert.Equal(FederatedUserArn, identity.RootElement.GetProperty("Arn").GetString());
        Assert.Equal(BrowserE2EFixture.AccountId, identity.RootElement.GetProperty("Account").GetString());
        return new AwsCredentials(values["aws_access_key_id"], values["aws_secret_access_key"], values["aws_session_token"]);
    }

    /// <summary>getSigninToken with the credentials, then the login link opened in the browser and confirmed (SECURITY-CASES 97e).</summary>
    private static async Task SignInToConsoleAsync(IPage page, AwsCredentials credentials)
    {
        var session = JsonSerializer.Serialize(new { sessionId = credentials.AccessKeyId, sessionKey = credentials.SecretAccessKey, sessionToken = credentials.SessionToken });
        var response = await page.Context.APIRequest.GetAsync(
            BrowserE2EFixture.PortalOrigin + "/federation?Action=getSigninToken&Session=" + Uri.EscapeDataString(session));
        var body = await response.TextAsync();
        Assert.True(response.Ok, body);
        using var token = JsonDocument.Parse(body);
        var signinToken = token.RootElement.GetProperty("SigninToken").GetString()!;
        await page.GotoAsync(BrowserE2EFixture.PortalOrigin + "/federation?Action=login&Destination=%2Fconsole&SigninToken=" + Uri.EscapeDataString(signinToken));
        await Assertions.Expect(page.Locator("#signin-arn")).ToHaveTextAsync(FederatedUserArn);
        await page.Locator("#signin-continue").ClickAsync();
        await page.WaitForURLAsync(BrowserE2EFixture.PortalOrigin + "/console");
        await Assertions.Expect(page.Locator("#arn")).ToHaveTextAsync(FederatedUserArn);
    }

    /// <summary>Submits the console's policy simulator and returns the decision cell's class: "allowed" or "denied".</summary>
    private static async Task<string> SimulateAsync(IPage page, string action, string resource)
    {
        await page.Locator("input[name=action]").FillAsync(action);
        await page.Locator("input[name=resource]").FillAsync(resource);
        await page.Locator("button[type=submit]").ClickAsync();
        var row = page.Locator("#simulation tr");
        await Assertions.Expect(row.Locator("td").Nth(0)).ToHaveTextAsync(action);
        await Assertions.Expect(row.Locator("td").Nth(1)).ToHaveTextAsync(resource);
        return (await row.Locator("td").Nth(2).GetAttributeAsync("class"))!;
    }
}
