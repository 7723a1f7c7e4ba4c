using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Portal.Authentication.Oidc;
using Portal.Hosting;

namespace Portal.Tests.EndToEnd.Browser;

/// <summary>
/// axe-core on every page, as each kind of visitor sees it (anonymous, employee, administrator), dialogs open: no serious or
/// critical violation (WCAG 2.x A/AA rules axe reports with those impacts).
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class AccessibilityBrowserTests(BrowserE2EFixture fixture) : AdminBrowserTestBase(fixture)
{
    private const string RoleName = "e2e-accessibility-role";
    private static readonly string[] Blocking = ["serious", "critical"];

    [Fact]
    public Task AnonymousPages_Axe_NoSeriousOrCriticalViolations() => InBrowserAsync(async (_, page) =>
    {
        // Arrange
        var findings = new List<string>();
        var oidcCallback = BrowserE2EFixture.PortalOrigin + OidcSignInDefaults.CallbackPathPrefix
            + OidcSignInProvider.KeyOf(OidcSignInProvider.SchemeNameOf(BrowserE2EFixture.OidcIssuer));

        // Act
        await page.GotoAsync(BrowserE2EFixture.PortalOrigin + "/");
        await WaitForInteractiveAsync(page);
        await CheckAsync(page, "home", findings);
        await page.GotoAsync(BrowserE2EFixture.PortalOrigin + "/account/signin");
        await CheckAsync(page, "sign-in", findings);
        await page.GotoAsync(BrowserE2EFixture.PortalOrigin + "/account/signin?error=invalid&userName=nobody");
        await CheckAsync(page, "sign-in with a field error", findings);
        await page.GotoAsync(BrowserE2EFixture.PortalOrigin + "/account/denied");
        await CheckAsync(page, "denied", findings);
        await page.GotoAsync(oidcCallback + "?code=forged&state=forged");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Sign-in failed");
        await CheckAsync(page, "OIDC sign-in failure", findings);
        await page.SetContentAsync($"<form method=post action='{BrowserE2EFixture.PortalOrigin}/saml/acs'><input name=SAMLResponse value=Zm9yZ2Vk></form>");
        await page.Locator("form").EvaluateAsync("f => f.submit()");
        await page.WaitForURLAsync(BrowserE2EFixture.PortalOrigin + "/saml/acs");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Sign-in failed");
        await CheckAsync(page, "SAML sign-in failure", findings);

        // Assert
        AssertNoFindings(findings);
    });

    [Fact]
    public Task EmployeePages_Axe_NoSeriousOrCriticalViolations() => InBrowserAsync(async (context, page) =>
    {
        // Arrange
        await CreatePortalOidcRoleAsync(RoleName);
        var findings = new List<string>();

        // Act
        await OpenMyRolesAsync(page, "bob", "bob-pw");
        await CheckAsync(page, "my roles", findings);
        await GetCredentialsAsync(page, RoleName);
        await CheckAsync(page, "my roles, credentials panel open", findings);
        var console = await context.RunAndWaitForPageAsync(() => page.Locator("[data-testid=open-console]").ClickAsync());
        await console.WaitForURLAsync(BrowserE2EFixture.PortalOrigin + "/console");
        await Assertions.Expect(console.Locator("#arn")).ToContainTextAsync(RoleName, new() { Timeout = 20_000 });
        await CheckAsync(console, "console", findings);
        foreach (var path in new[] { "/me", "/sessions" })
        {
            await page.GotoAsync(BrowserE2EFixture.PortalOrigin + path);
            await WaitForInteractiveAsync(page);
            await CheckAsync(page, path, findings);
        }

        // Assert
        AssertNoFindings(findings);
    });

    [Fact]
    public async Task AdminPages_Axe_NoSeriousOrCriticalViolations()
    {
        // Arrange: a role to open, and the sign-in's MFA step as the administrator sees it at every later sign-in.
        await CreatePortalOidcRoleAsync(RoleName + "-admin");
        var findings = new List<string>();
        await using var admin = await Fixture.NewAdministratorContextAsync();
        await InBrowserAsync(async (_, page) =>
        {
            await page.GotoAsync(BrowserE2EFixture.PortalOrigin + "/account/signin?returnUrl=/admin");
            await page.Locator("#userName").FillAsync(FirstRunBootstrap.AdminUserName);
            await page.Locator("#password").FillAsync(BrowserE2EFixture.AdminPassword);
            await page.Locator("#local-signin button[type=submit]").ClickAsync();
            await Assertions.Expect(page.Locator("#code")).ToBeVisibleAsync();
            await CheckAsync(page, "MFA code", findings);
        });

        // Act
        var page = await admin.NewPageAsync();
        foreach (var path in new[] { "/admin", "/admin/users", "/admin/sessions", "/admin/audit", "/admin/providers", "/admin/roles" })
        {
            await page.GotoAsync(BrowserE2EFixture.PortalOrigin + path);
            await WaitForInteractiveAsync(page);
            await CheckAsync(page, path, findings);
        }

        await page.Locator("[data-testid=roles-create]").ClickAsync();
        await page.Locator("[data-testid=role-save]").ClickAsync();
        await Assertions.Expect(page.Locator(".mud-input-error").First).ToBeVisibleAsync();
        await CheckAsync(page, "/admin/roles, create form with field errors", findings);
        var row = page.Locator("[data-testid=roles-table] tbody tr").Filter(new() { HasText = RoleName + "-admin" });
        await row.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=confirm-message]")).ToBeVisibleAsync();
        await CheckAsync(page, "/admin/roles, delete confirmation", findings);
        await page.Locator("[data-testid=confirm-cancel]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=confirm-message]")).ToHaveCountAsync(0);

        await row.GetByRole(AriaRole.Link).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Role " + RoleName + "-admin");
        foreach (var tab in new[] { "Settings", "Permissions", "Trust", "Who can assume" })
        {
            await page.GetByRole(AriaRole.Tab, new() { Name = tab, Exact = true }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Tab, new() { Name = tab, Exact = true })).ToHaveAttributeAsync("aria-selected", "true");
            await CheckAsync(page, "role detail, " + tab + " tab", findings);
        }

        await page.GetByRole(AriaRole.Tab, new() { Name = "Trust", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Tab, new() { Name = "JSON", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Tab, new() { Name = "JSON", Exact = true })).ToHaveAttributeAsync("aria-selected", "true");
        await CheckAsync(page, "role detail, trust JSON tab", findings);

        // Assert
        AssertNoFindings(findings);
    }

    /// <summary>Runs axe on the page as it is now and records each serious or critical violation with its targets.</summary>
    private static async Task CheckAsync(IPage page, string what, List<string> findings)
    {
        // Judge what people see once the page settles: a floating label caught mid-transition has an in-between colour,
        // and a field scrolled under the fixed app bar would be measured against the bar's colour instead of its own.
        await page.EvaluateAsync("() => Promise.all(document.getAnimations().map(a => a.finished.catch(() => null)))");
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        await page.Mouse.MoveAsync(0, 0);
        await page.EvaluateAsync("() => Promise.all(document.getAnimations().map(a => a.finished.catch(() => null)))");
        var result = await page.RunAxe();
        foreach (var violation in result.Violations.Where(v => Blocking.Contains(v.Impact)))
        {
            var targets = string.Join(" | ", violation.Nodes.Select(n => $"{n.Target} {Shorten(n.Html)} ({string.Join("; ", n.Any.Select(c => c.Message))})"));
            findings.Add($"{what} ({page.Url}): {violation.Id} [{violation.Impact}] {violation.Help} → {targets}");
        }
    }

    private static string Shorten(string? html) => html is null || html.Length <= 160 ? html ?? string.Empty : html[..160] + "…";

    private static void AssertNoFindings(List<string> findings) =>
        Assert.True(findings.Count == 0, "axe found serious or critical violations:\n" + string.Join("\n", findings));
}
