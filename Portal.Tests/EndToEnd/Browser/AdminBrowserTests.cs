using Microsoft.Playwright;
using Portal.Services.Admin;

namespace Portal.Tests.EndToEnd.Browser;

/// <summary>Flow 2 of the portal-UI issue: an administrator grants a group a role with the visual builder; the employee sees it at once.</summary>
[Collection(BrowserGroup.Name)]
public sealed class AdminBrowserTests(BrowserE2EFixture fixture) : AdminBrowserTestBase(fixture)
{
    private const string RoleName = "e2e-visual-builder-role";

    [Fact]
    public Task CreateRoleWithVisualTrust_GroupMember_SeesTheRoleWithoutRestart() => InAdminAndEmployeeBrowsersAsync(async (admin, employee) =>
    {
        // Arrange: bob (group "staff" at the OIDC IdP) has no such role yet.
        await OpenMyRolesAsync(employee, "bob", "bob-pw");
        await Assertions.Expect(MyRole(employee, RoleName)).ToHaveCountAsync(0);
        var provider = BrowserE2EFixture.OidcProviderArn(BrowserE2EFixture.OidcIssuer);

        // Act 1: the administrator creates the role.
        await admin.GotoAsync(BrowserE2EFixture.PortalOrigin + "/admin/roles");
        await WaitForInteractiveAsync(admin);
        await admin.Locator("[data-testid=roles-create]").ClickAsync();
        await admin.Locator("input[data-testid=role-name]").FillAsync(RoleName);
        await admin.Locator("input[data-testid=role-description]").FillAsync("Granted to staff with the visual builder");
        await admin.Locator("[data-testid=role-save]").ClickAsync();
        await admin.WaitForURLAsync($"{BrowserE2EFixture.PortalOrigin}/admin/roles/{BrowserE2EFixture.AccountId}/{RoleName}");

        // Act 2: on its Trust tab, the builder trusts the OIDC provider for the group "staff", and saves.
        await admin.GetByRole(AriaRole.Tab, new() { Name = "Trust", Exact = true }).ClickAsync();
        await admin.Locator(".mud-input-control.mud-select:has([data-testid=trust-provider])").ClickAsync();
        await admin.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = provider }).ClickAsync();
        await admin.Locator("input[data-testid=trust-groups]").FillAsync("staff");
        var expected = RolesTrustBuilder.Build(new TrustBuilderModel { ProviderArn = provider, Audiences = [BrowserE2EFixture.PortalClientId], Groups = ["staff"] });
        await Assertions.Expect(admin.Locator("[data-testid=trust-json]")).ToHaveTextAsync(expected);
        // A new provider principal is a high-risk change: it is confirmed with an authenticator code (SECURITY-CASES 104g).
        await Assertions.Expect(admin.Locator("[data-testid=trust-high-risk]")).ToHaveTextAsync(HighRiskConfirmation.TrustMessage);
        await admin.Locator("input[data-testid=trust-code]").FillAsync(await AdministratorSignIn.NextCodeAsync());
        await admin.Locator("[data-testid=trust-save]").ClickAsync();
        await Assertions.Expect(admin.GetByText("Trust policy saved.")).ToBeVisibleAsync();

        // Act 3: the employee reloads "My roles" (same Portal process, no restart).
        await employee.ReloadAsync();
        await Assertions.Expect(employee.Locator("#roles-render")).ToHaveTextAsync("interactive", Slow);

        // Assert
        var role = MyRole(employee, RoleName);
        await Assertions.Expect(role).ToBeVisibleAsync();
        await Assertions.Expect(role.Locator("[data-testid=role-name]")).ToHaveTextAsync(RoleName);
    });
}
