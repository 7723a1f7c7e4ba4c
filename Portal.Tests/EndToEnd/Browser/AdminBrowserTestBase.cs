using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Portal.Tests.EndToEnd.Clients;

namespace Portal.Tests.EndToEnd.Browser;

/// <summary>
/// Browser tests with two people at once: the administrator (own context, signed in with password and TOTP) and an
/// employee (own context, signed in at the OIDC IdP). Both pages are screenshotted when a test fails.
/// </summary>
public abstract class AdminBrowserTestBase(BrowserE2EFixture fixture) : BrowserTestBase(fixture)
{
    /// <summary>Runs <paramref name="body"/> with (administrator page, employee page).</summary>
    protected async Task InAdminAndEmployeeBrowsersAsync(Func<IPage, IPage, Task> body, [CallerMemberName] string testName = "")
    {
        ArgumentNullException.ThrowIfNull(body);
        await using var adminContext = await Fixture.NewAdministratorContextAsync();
        await using var employeeContext = await Fixture.Browser.NewContextAsync();
        employeeContext.SetDefaultTimeout(20_000);
        var admin = await adminContext.NewPageAsync();
        var employee = await employeeContext.NewPageAsync();
        try
        {
            await body(admin, employee);
        }
        catch (Exception ex)
        {
            var shots = string.Join(", ", [await ScreenshotAsync(admin, testName + "-admin"), await ScreenshotAsync(employee, testName + "-employee")]);
            throw new InvalidOperationException($"{testName} failed (admin at {admin.Url}, employee at {employee.Url}); screenshots {shots}.\nIdP output:\n{Fixture.IdpOutput}", ex);
        }
    }

    /// <summary>
    /// Waits until an interactive page's circuit has rendered: Blazor's FocusOnNavigate (Routes.razor) focuses the h1 from
    /// JS, which marks it tabindex=-1; a prerendered page has no such attribute and ignores clicks.
    /// </summary>
    protected static Task WaitForInteractiveAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return Assertions.Expect(page.Locator("h1[tabindex='-1']")).ToBeAttachedAsync(new() { Timeout = 20_000 });
    }

    /// <summary>Opens /roles as <paramref name="user"/> of the OIDC IdP (sign-in on first use) and waits until it is interactive.</summary>
    protected static async Task OpenMyRolesAsync(IPage page, string user, string password)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GotoAsync(BrowserE2EFixture.PortalOrigin + BrowserE2EFixture.OidcSignInPath(BrowserE2EFixture.OidcIssuer) + "?returnUrl=/roles");
        if (page.Url.StartsWith(BrowserE2EFixture.OidcIssuer, StringComparison.Ordinal))
        {
            await SignInAtOidcProviderAsync(page, user, password);
        }

        await Assertions.Expect(page.Locator("#roles-render")).ToHaveTextAsync("interactive", Slow);
    }

    /// <summary>The "My roles" entry of a role.</summary>
    protected static ILocator MyRole(IPage page, string roleName)
    {
        ArgumentNullException.ThrowIfNull(page);
        return page.Locator($"[data-testid=role][data-role-arn='arn:aws:iam::{BrowserE2EFixture.AccountId}:role/{roleName}']");
    }

    /// <summary>Creates (with the AWS CLI, as root) a role that people signed in at the portal through the OIDC IdP may use.</summary>
    protected async Task CreatePortalOidcRoleAsync(string roleName)
    {
        var provider = BrowserE2EFixture.OidcProviderArn(BrowserE2EFixture.OidcIssuer);
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
                    Condition = new { StringEquals = new Dictionary<string, string> { [new Uri(BrowserE2EFixture.OidcIssuer).Authority + ":aud"] = BrowserE2EFixture.PortalClientId }, StringLike = BrowserE2EFixture.OidcTestSubjects },
                },
            },
        });
        var created = await Fixture.AwsAsync(["iam", "create-role", "--role-name", roleName, "--assume-role-policy-document", trust], BrowserE2EFixture.Root);
        Assert.True(created.ExitCode == 0, created.Describe());
    }

    /// <summary>Opens the role's credentials panel, issues, reveals the secret and token, and reads the three values.</summary>
    protected static async Task<AwsCredentials> GetCredentialsAsync(IPage page, string roleName)
    {
        ArgumentNullException.ThrowIfNull(page);
        await MyRole(page, roleName).Locator("[data-testid=get-credentials]").ClickAsync();
        await page.Locator("[data-testid=issue]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=access-key-id]")).ToHaveTextAsync(new Regex("^ASIA"), Slow);
        await page.Locator("[data-testid=toggle-secret-access-key]").ClickAsync();
        await page.Locator("[data-testid=toggle-session-token]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=secret-access-key]")).Not.ToContainTextAsync("••••");
        await Assertions.Expect(page.Locator("[data-testid=session-token]")).Not.ToContainTextAsync("••••");
        return new AwsCredentials(
            (await page.Locator("[data-testid=access-key-id]").InnerTextAsync()).Trim(),
            (await page.Locator("[data-testid=secret-access-key]").InnerTextAsync()).Trim(),
            (await page.Locator("[data-testid=session-token]").InnerTextAsync()).Trim());
    }

    private static async Task<string> ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(BrowserE2EFixture.ScreenshotDirectory);
        var path = Path.Combine(BrowserE2EFixture.ScreenshotDirectory, name + ".png");
        try
        {
            await page.ScreenshotAsync(new() { Path = path, FullPage = true });
            return path;
        }
        catch (PlaywrightException)
        {
            return "(none for " + name + ")";
        }
    }
}
