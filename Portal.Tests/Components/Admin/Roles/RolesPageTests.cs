using Bunit;
using Portal.Components.Admin.Roles;
using Portal.Services.Admin;
using Portal.Tests.Core.Sts;

namespace Portal.Tests.Components.Admin.Roles;

/// <summary>/admin/roles over the real service: empty state, create-form errors, and the delete confirmation.</summary>
public sealed class RolesPageTests : AdminComponentTest
{
    private const string RoleName = "deploy";

    [Fact]
    public void Render_AccountWithoutRoles_ShowsTheEmptyStateWithTheNextStep()
    {
        // Act
        RenderWithDialogs<RolesPage>(out var page);

        // Assert
        var empty = page.WaitForElement("[data-testid=roles-empty]");
        Assert.Contains("Trust tab", empty.TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=roles-table]"));
    }

    [Fact]
    public void Create_EmptyName_ShowsTheErrorUnderTheNameAndNoServerError()
    {
        // Arrange
        RenderWithDialogs<RolesPage>(out var page);
        page.WaitForElement("[data-testid=roles-create]").Click();

        // Act
        page.Find("form").Submit();

        // Assert
        var fieldError = page.Find(".mud-input-control:has([data-testid=role-name]) .mud-input-helper-text.mud-input-error");
        Assert.Contains("Enter a role name.", fieldError.TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=role-error]"));
    }

    [Fact]
    public async Task Create_NameTaken_ShowsTheServiceErrorWithTheForm()
    {
        // Arrange
        await H.CreateRoleAsync(RoleName, PolicyJson.TrustAws($"arn:aws:iam::{EngineHarness.AccountB}:root"));
        RenderWithDialogs<RolesPage>(out var page);
        page.WaitForElement("[data-testid=roles-create]").Click();
        page.Find("input[data-testid=role-name]").Change(RoleName);

        // Act
        page.Find("form").Submit();

        // Assert
        page.WaitForAssertion(() => Assert.Contains(RoleName, page.Find("[data-testid=role-error]").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Delete_Cancelled_RoleStays()
    {
        // Arrange
        await H.CreateRoleAsync(RoleName, PolicyJson.TrustAws($"arn:aws:iam::{EngineHarness.AccountB}:root"));
        var dialogs = RenderWithDialogs<RolesPage>(out var page);
        ClickDelete(page);

        // Act
        dialogs.WaitForElement("[data-testid=confirm-cancel]").Click();

        // Assert
        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("[data-testid=confirm-ok]")));
        Assert.NotNull(await H.Directory.FindRoleAsync(EngineHarness.Account(EngineHarness.AccountA), RoleName));
        Assert.Single(page.FindAll("[data-testid=roles-table] tbody tr"));
    }

    [Fact]
    public async Task Delete_Confirmed_RoleDeletedAndEmptyStateShown()
    {
        // Arrange
        await H.CreateRoleAsync(RoleName, PolicyJson.TrustAws($"arn:aws:iam::{EngineHarness.AccountB}:root"));
        var dialogs = RenderWithDialogs<RolesPage>(out var page);
        ClickDelete(page);
        Assert.Contains($"Delete role {RoleName}?", dialogs.WaitForElement("[data-testid=confirm-message]").TextContent, StringComparison.Ordinal);

        // Act
        dialogs.Find("[data-testid=confirm-ok]").Click();

        // Assert
        page.WaitForElement("[data-testid=roles-empty]");
        Assert.Null(await H.Directory.FindRoleAsync(EngineHarness.Account(EngineHarness.AccountA), RoleName));
    }

    [Fact]
    public async Task Delete_AdministratorRoleRevokedWhilePageOpen_RefusedWithMessageAndRoleStays()
    {
        // Arrange: SECURITY-CASES 104e, the circuit outlives the person's administrator role.
        await H.CreateRoleAsync(RoleName, PolicyJson.TrustAws($"arn:aws:iam::{EngineHarness.AccountB}:root"));
        var dialogs = RenderWithDialogs<RolesPage>(out var page);
        ClickDelete(page);
        RevokeAdministrator();

        // Act
        dialogs.WaitForElement("[data-testid=confirm-ok]").Click();

        // Assert
        page.WaitForAssertion(() => Assert.Equal(RolesAdminService.NoLongerAdministrator, page.Find("[data-testid=roles-message]").TextContent.Trim()));
        Assert.NotNull(await H.Directory.FindRoleAsync(EngineHarness.Account(EngineHarness.AccountA), RoleName));
        Assert.DoesNotContain(H.Audit.Records, r => r.Action == RolesAdminService.DeleteRoleAuditAction);
    }

    [Fact]
    public async Task Create_AdministratorRoleRevokedWhilePageOpen_RefusedWithMessageAndNoRole()
    {
        // Arrange
        RenderWithDialogs<RolesPage>(out var page);
        page.WaitForElement("[data-testid=roles-create]").Click();
        page.Find("input[data-testid=role-name]").Change(RoleName);
        RevokeAdministrator();

        // Act
        page.Find("form").Submit();

        // Assert
        page.WaitForAssertion(() => Assert.Contains(RolesAdminService.NoLongerAdministrator, page.Find("[data-testid=role-error]").TextContent, StringComparison.Ordinal));
        Assert.Null(await H.Directory.FindRoleAsync(EngineHarness.Account(EngineHarness.AccountA), RoleName));
    }

    [Fact]
    public async Task Delete_Confirmed_AuditedWithTheActingAdministrator()
    {
        // Arrange
        await H.CreateRoleAsync(RoleName, PolicyJson.TrustAws($"arn:aws:iam::{EngineHarness.AccountB}:root"));
        var dialogs = RenderWithDialogs<RolesPage>(out var page);
        ClickDelete(page);

        // Act
        dialogs.WaitForElement("[data-testid=confirm-ok]").Click();

        // Assert
        page.WaitForElement("[data-testid=roles-empty]");
        var record = Assert.Single(H.Audit.Records, r => r.Action == RolesAdminService.DeleteRoleAuditAction);
        Assert.Equal(Administrator, record.Principal);
        Assert.Contains(EngineHarness.AccountB, record.Before, StringComparison.Ordinal);
    }

    private static void ClickDelete(IRenderedComponent<RolesPage> page)
    {
        page.WaitForElement("[data-testid=roles-table]");
        page.FindAll("[data-testid=roles-table] tbody tr button").Single(b => b.TextContent.Trim() == "Delete").Click();
    }
}
