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
        var device = await EnrolAdministratorAsync();
        var dialogs = RenderWithDialogs<ProvidersPage>(out var page);
        ClickDelete(page);
        dialogs.WaitForElement("input[data-testid=providers-code]").Input(H.CodeAt(device, 0));
        RevokeAdministrator();

        // Act
        dialogs.Find("[data-testid=confirm-ok]").Click();

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
        var device = await EnrolAdministratorAsync();
        var dialogs = RenderWithDialogs<ProvidersPage>(out var page);
        ClickDelete(page);
        dialogs.WaitForElement("input[data-testid=providers-code]").Input(H.CodeAt(device, 0));

        // Act
        dialogs.Find("[data-testid=confirm-ok]").Click();

        // Assert
        page.WaitForElement("[data-testid=providers-empty]");
        Assert.Null(await H.Directory.FindProviderAsync(EngineHarness.Account(EngineHarness.AccountA), arn));
        var record = Assert.Single(H.Audit.Records, r => r.Action == ProvidersAdminService.DeleteAuditAction);
        Assert.Equal((Administrator, arn, (string?)null), (record.Principal, record.Resource, record.After));
        Assert.StartsWith("OIDC " + Issuer, record.Before, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_WrongCode_RefusedUnderTheFieldAndProviderStays()
    {
        // Arrange
        var arn = await CreateOidcProviderAsync();
        var device = await EnrolAdministratorAsync();
        var dialogs = RenderWithDialogs<ProvidersPage>(out var page);
        ClickDelete(page);
        dialogs.WaitForElement("input[data-testid=providers-code]").Input(H.WrongCode(device));

        // Act
        dialogs.Find("[data-testid=confirm-ok]").Click();

        // Assert
        dialogs.WaitForAssertion(() => Assert.NotEmpty(CodeError(dialogs)));
        Assert.NotNull(await H.Directory.FindProviderAsync(EngineHarness.Account(EngineHarness.AccountA), arn));
        Assert.DoesNotContain(H.Audit.Records, r => r.Action == ProvidersAdminService.DeleteAuditAction);
        Assert.Contains(H.Audit.Records, r => r.Action == HighRiskConfirmation.AuditAction && r.Resource == arn);
    }

    [Fact]
    public async Task RegisterOidc_Opened_AsksForTheAuthenticatorCode()
    {
        // Arrange
        RenderWithDialogs<ProvidersPage>(out var page);

        // Act
        page.WaitForElement("[data-testid=providers-add-oidc]").Click();

        // Assert
        page.WaitForAssertion(() => Assert.Equal(HighRiskConfirmation.ProviderMessage, page.Find("[data-testid=providers-high-risk]").TextContent.Trim()));
        Assert.NotEmpty(page.FindAll("input[data-testid=providers-code]"));
    }

    [Fact]
    public async Task RegisterOidc_WrongCode_RefusedUnderTheFieldAndNothingRegistered()
    {
        // Arrange
        var device = await EnrolAdministratorAsync();
        RenderWithDialogs<ProvidersPage>(out var page);
        FillOidcForm(page);
        page.Find("input[data-testid=providers-code]").Input(H.WrongCode(device));

        // Act
        page.Find("form").Submit();

        // Assert
        page.WaitForAssertion(() => Assert.NotEmpty(CodeError(page)));
        Assert.Empty(await H.Directory.ListProvidersAsync(EngineHarness.Account(EngineHarness.AccountA), IamDirectory.OidcProviderKind));
        Assert.Equal("secret", page.Find("input[data-testid=oidc-secret]").GetAttribute("value"));
    }

    [Fact]
    public async Task RegisterOidc_AdministratorWithoutDevice_ToldToEnrolAndNothingRegistered()
    {
        // Arrange
        RenderWithDialogs<ProvidersPage>(out var page);
        FillOidcForm(page);
        page.Find("input[data-testid=providers-code]").Input("123456");

        // Act
        page.Find("form").Submit();

        // Assert
        page.WaitForAssertion(() => Assert.Contains(HighRiskConfirmation.NoDeviceMessage, CodeError(page), StringComparison.Ordinal));
        Assert.Equal("/mfa", page.Find("[data-testid=providers-enrol-mfa]").GetAttribute("href"));
        Assert.Empty(await H.Directory.ListProvidersAsync(EngineHarness.Account(EngineHarness.AccountA), IamDirectory.OidcProviderKind));
    }

    [Fact]
    public async Task RegisterOidc_ValidCode_RegisteredAndAuditedWithTheAdministrator()
    {
        // Arrange
        var device = await EnrolAdministratorAsync();
        RenderWithDialogs<ProvidersPage>(out var page);
        FillOidcForm(page);
        page.Find("input[data-testid=providers-code]").Input(H.CodeAt(device, 0));

        // Act
        page.Find("form").Submit();

        // Assert
        page.WaitForElement("[data-testid=providers-table]");
        var record = Assert.Single(H.Audit.Records, r => r.Action == ProvidersAdminService.RegisterAuditAction);
        Assert.Equal((Portal.Core.Audit.AuditDecision.Allow, Administrator), (record.Decision, record.Principal));
    }

    private static void FillOidcForm(IRenderedComponent<ProvidersPage> page)
    {
        page.WaitForElement("[data-testid=providers-add-oidc]").Click();
        page.WaitForElement("input[data-testid=oidc-issuer]").Change(Issuer);
        page.Find("textarea[data-testid=oidc-client-ids]").Change("portal");
        page.Find("input[data-testid=oidc-signin-client]").Change("portal");
        page.Find("input[data-testid=oidc-secret]").Change("secret");
    }

    private static string CodeError<T>(IRenderedComponent<T> rendered)
        where T : Microsoft.AspNetCore.Components.IComponent =>
        rendered.Find(".mud-input-control:has([data-testid=providers-code]) .mud-input-helper-text.mud-input-error").TextContent;

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
