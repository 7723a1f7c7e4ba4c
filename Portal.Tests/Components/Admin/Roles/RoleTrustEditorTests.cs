using Bunit;
using Portal.Components.Admin.Roles;
using Portal.Services.Admin;
using Portal.Tests.Core.Sts;

namespace Portal.Tests.Components.Admin.Roles;

/// <summary>The trust editor asks for an authenticator code before a change that lets new people in (SECURITY-CASES 104g).</summary>
public sealed class RoleTrustEditorTests : AdminComponentTest
{
    private const string Saml = "arn:aws:iam::111122223333:saml-provider/Corp";

    private static string AccountRoot => PolicyJson.TrustAws($"arn:aws:iam::{EngineHarness.AccountB}:root");

    private static string SamlTrust => PolicyJson.TrustFederated(Saml, "sts:AssumeRoleWithSAML");

    [Fact]
    public async Task Edit_NewFederatedPrincipal_ShowsTheCodeFieldWithTheReason()
    {
        // Arrange
        var page = await RenderEditorAsync();

        // Act
        EnterJson(page, SamlTrust);

        // Assert
        page.WaitForAssertion(() => Assert.Contains(HighRiskConfirmation.TrustMessage, page.Find("[data-testid=trust-high-risk]").TextContent, StringComparison.Ordinal));
        Assert.NotEmpty(page.FindAll("input[data-testid=trust-code]"));
    }

    [Fact]
    public async Task Edit_SamePeople_ShowsNoCodeField()
    {
        // Arrange
        var page = await RenderEditorAsync();

        // Act
        EnterJson(page, PolicyJson.TrustAws($"arn:aws:iam::{EngineHarness.AccountA}:root"));

        // Assert
        Assert.Empty(page.FindAll("input[data-testid=trust-code]"));
        Assert.Empty(page.FindAll("[data-testid=trust-high-risk]"));
    }

    [Fact]
    public async Task Save_HighRiskByAdministratorWithoutDevice_ToldToEnrolAndNothingChanged()
    {
        // Arrange
        var page = await RenderEditorAsync();
        EnterJson(page, SamlTrust);
        page.WaitForElement("input[data-testid=trust-code]").Input("123456");

        // Act
        page.Find("[data-testid=trust-save]").Click();

        // Assert
        page.WaitForAssertion(() => Assert.Contains(
            HighRiskConfirmation.NoDeviceMessage,
            page.Find(".mud-input-control:has([data-testid=trust-code]) .mud-input-helper-text.mud-input-error").TextContent,
            StringComparison.Ordinal));
        Assert.Equal("/mfa", page.Find("[data-testid=trust-enrol-mfa]").GetAttribute("href"));
        Assert.Equal(AccountRoot, (await Services.GetService<RolesAdminService>()!.GetRoleAsync(EngineHarness.AccountA, "deploy"))!.Role.TrustPolicy);
    }

    private async Task<IRenderedComponent<RoleTrustEditor>> RenderEditorAsync()
    {
        var role = await H.CreateRoleAsync("deploy", AccountRoot);
        return Render<RoleTrustEditor>(p => p.Add(e => e.Role, role));
    }

    private static void EnterJson(IRenderedComponent<RoleTrustEditor> page, string json)
    {
        page.FindAll(".mud-tab").Single(t => t.TextContent.Contains("JSON", StringComparison.Ordinal)).Click();
        page.WaitForElement("textarea").Input(json);
    }
}
