using Bunit;
using Portal.Components.Admin.Providers;
using Portal.Core.Iam;
using Portal.Services.Admin;
using Portal.Tests.Core.Sts;

namespace Portal.Tests.Components.Admin.Providers;

/// <summary>/admin/providers handlers: each change re-checks the administrator and is audited with them (SECURITY-CASES 104e, 104g).</summary>
public sealed class ProvidersPageTests : AdminComponentTest
{
    private const string Issuer = "https://idp.example.com";

    [Fact]
    public async Task Delete_AdministratorRoleRevokedWhilePageOpen_RefusedWithMessageAndProviderStays()
    {
        // Arrange
        var arn = await CreateOidcProviderAsync();
        var dialogs = RenderWithDialogs<ProvidersPage>(out var page);
        ClickDelete(page);
        RevokeAdministrator();

        // Act
        dialogs.WaitForElement("[data-testid=confirm-ok]").Click();

        // Assert
        page.WaitForAssertion(() => Assert.Equal(RolesAdminService.NoLongerAdministrator, page.Find("[data-testid=providers-error]").TextContent.Trim()));
        Assert.NotNull(await H.Directory.FindProviderAsync(EngineHarness.Account(EngineHarness.AccountA), arn));
        Assert.DoesNotContain(H.Audit.Records, r => r.Action == ProvidersAdminService.DeleteAuditAction);
    }

    [Fact]
    public async Task Delete_Confirmed_ProviderDeletedAndAuditedWithTheAdministrator()
    {
        // Arrange
        var arn = await CreateOidcProviderAsync();
        var dialogs = RenderWithDialogs<ProvidersPage>(out var page);
        ClickDelete(page);

        // Act
        dialogs.WaitForElement("[data-testid=confirm-ok]").Click();

        // Assert
        page.WaitForElement("[data-testid=providers-empty]");
        Assert.Null(await H.Directory.FindProviderAsync(EngineHarness.Account(EngineHarness.AccountA), arn));
        var record = Assert.Single(H.Audit.Records, r => r.Action == ProvidersAdminService.DeleteAuditAction);
        Assert.Equal((Administrator, arn, (string?)null), (record.Principal, record.Resource, record.After));
        Assert.StartsWith("OIDC " + Issuer, record.Before, StringComparison.Ordinal);
    }

    private async Task<string> CreateOidcProviderAsync()
    {
        var created = await H.Directory.CreateOidcProviderAsync(EngineHarness.Account(EngineHarness.AccountA), Issuer, ["portal"], []);
        return created.Value!.Arn;
    }

    private static void ClickDelete(IRenderedComponent<ProvidersPage> page)
    {
        page.WaitForElement("[data-testid=providers-table]");
        page.FindAll("[data-testid=providers-table] tbody tr button").Single(b => b.TextContent.Trim() == "Delete").Click();
    }
}
