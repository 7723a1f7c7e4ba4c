using System.Text.Json;
using Microsoft.Playwright;
using Portal.Tests.EndToEnd.Clients;

namespace Portal.Tests.EndToEnd.Browser;

/// <summary>Flow 1 of the portal-UI issue: an employee gets role credentials in the browser and uses them.</summary>
[Collection(BrowserGroup.Name)]
public sealed class SelfServiceBrowserTests(BrowserE2EFixture fixture) : BrowserTestBase(fixture)
{
    private const string RoleName = "e2e-self-service-role";

    [Fact]
    public Task MyRoles_OidcEmployee_GetsCredentialsThatWorkInTheCliAndTheConsole() => InBrowserAsync(async (context, page) =>
    {
        // Arrange: an administrator trusts the portal's OIDC sign-in (aud = the portal client) for a role, with
        // sts:SetSourceIdentity because portal sessions carry the person as their source identity.
        var provider = BrowserE2EFixture.OidcProviderArn(BrowserE2EFixture.OidcIssuer);
        var audKey = new Uri(BrowserE2EFixture.OidcIssuer).Authority + ":aud";
        var trust = JsonSerializer.Serialize(new
        {
            Version = "2012-10-17",
            Statement = new[]
            {
                new
                {
                    Effect = "Allow",
                    Principal = new { Federated = provider },
                    Action = new[] { "sts:AssumeRoleWithWebIdentity", "sts:SetSourceIdentity" },
                    Condition = new { StringEquals = new Dictionary<string, string> { [audKey] = BrowserE2EFixture.PortalClientId }, StringLike = BrowserE2EFixture.OidcTestSubjects },
                },
            },
        });
        var created = await Fixture.AwsAsync(["iam", "create-role", "--role-name", RoleName, "--assume-role-policy-document", trust], BrowserE2EFixture.Root);
        Assert.True(created.ExitCode == 0, created.Describe());
        var expectedArn = $"arn:aws:sts::{BrowserE2EFixture.AccountId}:assumed-role/{RoleName}/alice@example.test";

        // Act 1: sign in at the OIDC provider and get credentials for the role.
        await page.GotoAsync(BrowserE2EFixture.PortalOrigin + BrowserE2EFixture.OidcSignInPath(BrowserE2EFixture.OidcIssuer) + "?returnUrl=/roles");
        await SignInAtOidcProviderAsync(page, "alice", "alice-pw");
        await Assertions.Expect(page.Locator("#roles-render")).ToHaveTextAsync("interactive", Slow);
        var role = page.Locator($"[data-testid=role][data-role-arn='arn:aws:iam::{BrowserE2EFixture.AccountId}:role/{RoleName}']");
        await Assertions.Expect(role).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await role.Locator("[data-testid=get-credentials]").ClickAsync();
        await page.Locator("[data-testid=issue]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=assumed-role-arn]")).ToHaveTextAsync(expectedArn, Slow);
        await page.Locator("[data-testid=toggle-secret-access-key]").ClickAsync();
        await page.Locator("[data-testid=toggle-session-token]").ClickAsync();
        var bash = page.Locator("[data-testid=format-text][data-format=Bash]");
        await Assertions.Expect(bash).Not.ToContainTextAsync("••••", new() { Timeout = 20_000 });
        var exportBlock = await bash.InnerTextAsync();

        // Act 2: the copied bash block in a real shell, then the AWS CLI.
        var cli = await RunWithExportBlockAsync(exportBlock, ["sts", "get-caller-identity"]);

        // Assert 1
        Assert.True(cli.ExitCode == 0, cli.Describe());
        using (var identity = JsonDocument.Parse(cli.StdOut))
        {
            Assert.Equal(expectedArn, identity.RootElement.GetProperty("Arn").GetString());
        }

        // Act 3: "Open console" opens a new tab that signs in with the one-time link.
        var consolePage = await context.RunAndWaitForPageAsync(() => page.Locator("[data-testid=open-console]").ClickAsync());
        await consolePage.WaitForURLAsync(BrowserE2EFixture.PortalOrigin + "/console", new() { Timeout = 20_000 });

        // Assert 2
        await Assertions.Expect(consolePage.Locator("#arn")).ToHaveTextAsync(expectedArn, Slow);
    });

    /// <summary>Runs <c>bash -c "&lt;export block&gt;; aws …"</c> in an isolated environment with no other AWS settings.</summary>
    private Task<ProcessResult> RunWithExportBlockAsync(string exportBlock, IEnumerable<string> awsArguments)
    {
        var home = Path.Combine(Fixture.RunDirectory, "self-service-home");
        Directory.CreateDirectory(home);
        var env = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["HOME"] = home,
            ["AWS_CONFIG_FILE"] = Path.Combine(home, "config"),
            ["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(home, "credentials"),
            ["AWS_EC2_METADATA_DISABLED"] = "true",
            ["AWS_DEFAULT_REGION"] = "us-east-1",
            ["AWS_PAGER"] = string.Empty,
            ["AWS_PROFILE"] = null,
            ["AWS_ACCESS_KEY_ID"] = null,
            ["AWS_SECRET_ACCESS_KEY"] = null,
            ["AWS_SESSION_TOKEN"] = null,
            ["HTTP_PROXY"] = null,
            ["HTTPS_PROXY"] = null,
            ["http_proxy"] = null,
            ["https_proxy"] = null,
        };
        var aws = string.Join(' ', awsArguments.Select(a => "'" + a + "'"));
        var script = exportBlock + "\nexec " + ClientTools.AwsCli + " " + aws + " --endpoint-url '" + BrowserE2EFixture.PortalOrigin + "' --output json\n";
        return ClientTools.RunAsync("/bin/bash", ["-c", script], env);
    }
}
