using Bunit;
using Portal.Components.Pages.Roles;
using Portal.Tests.Core.Sts;

namespace Portal.Tests.Components.SelfService;

/// <summary>"My roles" over the real services and engine.</summary>
public sealed class MyRolesTests : SelfServiceComponentTest
{
    private async Task<IRenderedComponent<MyRoles>> RenderSignedInAsync(bool mfa = false)
    {
        SignInAlice(mfa);
        var page = Render<MyRoles>();
        page.WaitForState(() => page.FindAll("[data-testid=account]").Count > 0 || page.FindAll("[data-testid=no-roles]").Count > 0);
        return await Task.FromResult(page);
    }

    private static string RoleSelector(string arn) => $"[data-testid=role][data-role-arn='{arn}']";

    [Fact]
    public async Task Render_RolesInTwoAccounts_GroupedByAccountWithAliasAndOnlyTrustingRoles()
    {
        // Arrange
        var dev = await H.CreateRoleAsync("dev", Trust());
        var ops = await H.CreateRoleAsync("ops", Trust(), account: EngineHarness.AccountB);
        await H.CreateRoleAsync("other", PolicyJson.TrustFederated("arn:aws:iam::111122223333:oidc-provider/other.example.com", WebIdentity));

        // Act
        var page = await RenderSignedInAsync();

        // Assert
        var accounts = page.FindAll("[data-testid=account]");
        Assert.Equal([EngineHarness.AccountA, EngineHarness.AccountB], accounts.Select(a => a.GetAttribute("data-account")));
        Assert.Contains("(alpha)", accounts[0].TextContent, StringComparison.Ordinal);
        Assert.Equal([dev.Arn, ops.Arn], page.FindAll("[data-testid=role]").Select(r => r.GetAttribute("data-role-arn")));
    }

    [Fact]
    public async Task Render_RoleRequiringMfa_ShowsBadgeOnThatRoleOnly()
    {
        // Arrange
        var admin = await H.CreateRoleAsync("admin", Trust(MfaCondition));
        var dev = await H.CreateRoleAsync("dev", Trust());

        // Act
        var page = await RenderSignedInAsync();

        // Assert
        Assert.Single(page.Find(RoleSelector(admin.Arn)).QuerySelectorAll("[data-testid=mfa-required]"));
        Assert.Empty(page.Find(RoleSelector(dev.Arn)).QuerySelectorAll("[data-testid=mfa-required]"));
    }

    [Fact]
    public async Task Render_TrustLacksSetSourceIdentity_ShowsAskAnAdministratorInsteadOfGetCredentials()
    {
        // Arrange
        var role = await H.CreateRoleAsync("dev", Trust(setSourceIdentity: false));

        // Act
        var page = await RenderSignedInAsync();

        // Assert
        var row = page.Find(RoleSelector(role.Arn));
        Assert.Contains("ask an administrator", row.QuerySelector("[data-testid=needs-source-identity]")!.TextContent, StringComparison.Ordinal);
        Assert.Null(row.QuerySelector("[data-testid=get-credentials]"));
    }

    [Fact]
    public async Task Search_Query_KeepsOnlyMatchingRoles()
    {
        // Arrange
        await H.CreateRoleAsync("dev", Trust());
        var ops = await H.CreateRoleAsync("ops", Trust());
        var page = await RenderSignedInAsync();

        // Act
        page.Find("[data-testid=roles-search] input, input[data-testid=roles-search]").Input("OP");

        // Assert
        Assert.Equal([ops.Arn], page.FindAll("[data-testid=role]").Select(r => r.GetAttribute("data-role-arn")));
    }

    [Fact]
    public async Task Favourite_Toggled_SavedInBrowserStorage()
    {
        // Arrange
        var role = await H.CreateRoleAsync("dev", Trust());
        var page = await RenderSignedInAsync();

        // Act
        page.Find(RoleSelector(role.Arn) + " [data-testid=favourite]").Click();

        // Assert
        var write = Assert.Single(JSInterop.Invocations, i => i.Identifier == "portal.writeFavouriteRoles");
        Assert.Equal([role.Arn], (string[])write.Arguments[0]!);
    }

    [Fact]
    public async Task Favourites_StoredInBrowser_ListedFirstWithPressedStar()
    {
        // Arrange
        var alpha = await H.CreateRoleAsync("alpha", Trust());
        var zulu = await H.CreateRoleAsync("zulu", Trust());
        JSInterop.Setup<string[]?>("portal.readFavouriteRoles").SetResult([zulu.Arn]);

        // Act
        var page = await RenderSignedInAsync();

        // Assert
        page.WaitForAssertion(() => Assert.Equal([zulu.Arn, alpha.Arn], page.FindAll("[data-testid=role]").Select(r => r.GetAttribute("data-role-arn"))));
        Assert.Equal("true", page.Find(RoleSelector(zulu.Arn) + " [data-testid=favourite]").GetAttribute("aria-pressed"));
    }

    [Fact]
    public async Task GetCredentials_AdmittedRole_ShowsCredentialsForTheAssumedRole()
    {
        // Arrange
        var role = await H.CreateRoleAsync("dev", Trust());
        var page = await RenderSignedInAsync();
        page.Find(RoleSelector(role.Arn) + " [data-testid=get-credentials]").Click();

        // Act
        page.Find("[data-testid=issue]").Click();

        // Assert
        page.WaitForElement("[data-testid=access-key-id]");
        Assert.Equal($"arn:aws:sts::{EngineHarness.AccountA}:assumed-role/dev/alice@example.com", page.Find("[data-testid=assumed-role-arn]").TextContent);
    }

    [Fact]
    public async Task GetCredentials_MfaRoleAndFederatedPersonWithoutDevice_LinksToMfaPageAndCannotIssue()
    {
        // Arrange
        var role = await H.CreateRoleAsync("admin", Trust(MfaCondition));
        var page = await RenderSignedInAsync();

        // Act
        page.Find(RoleSelector(role.Arn) + " [data-testid=get-credentials]").Click();

        // Assert
        page.WaitForElement("[data-testid=mfa-device-required]");
        Assert.Equal("/mfa", page.Find("[data-testid=mfa-setup-link]").GetAttribute("href"));
        Assert.True(page.Find("[data-testid=issue]").HasAttribute("disabled"));
        Assert.Empty(page.FindAll("input[data-testid=mfa-code]"));
    }

    [Fact]
    public async Task GetCredentials_MfaRoleAndFederatedPersonWithDevice_WrongCodeErrorNextToFieldAndNothingIssued()
    {
        // Arrange
        var role = await H.CreateRoleAsync("admin", Trust(MfaCondition));
        var device = await EnrolAliceAsync();
        var page = await RenderSignedInAsync();
        page.Find(RoleSelector(role.Arn) + " [data-testid=get-credentials]").Click();

        // Act
        page.WaitForElement("input[data-testid=mfa-code]").Input(H.WrongCode(device));
        page.Find("[data-testid=issue]").Click();

        // Assert
        page.WaitForAssertion(() => Assert.Contains("Invalid code.", page.Find("[data-testid=get-credentials-dialog]").TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-testid=access-key-id]"));
        Assert.Empty(page.FindAll("[data-testid=issue-error]"));
    }

    [Fact]
    public async Task GetCredentials_MfaRoleAndFederatedPersonWithDevice_CorrectCodeIssued()
    {
        // Arrange
        var role = await H.CreateRoleAsync("admin", Trust(MfaCondition));
        var device = await EnrolAliceAsync();
        var page = await RenderSignedInAsync();
        page.Find(RoleSelector(role.Arn) + " [data-testid=get-credentials]").Click();

        // Act
        page.WaitForElement("input[data-testid=mfa-code]").Input(H.CodeAt(device, 0));
        page.Find("[data-testid=issue]").Click();

        // Assert
        page.WaitForElement("[data-testid=access-key-id]");
        Assert.Equal($"arn:aws:sts::{EngineHarness.AccountA}:assumed-role/admin/alice@example.com", page.Find("[data-testid=assumed-role-arn]").TextContent);
    }

    [Fact]
    public async Task GetCredentials_MfaRoleAndPersonWithMfa_Issued()
    {
        // Arrange
        var role = await H.CreateRoleAsync("admin", Trust(MfaCondition));
        var page = await RenderSignedInAsync(mfa: true);
        page.Find(RoleSelector(role.Arn) + " [data-testid=get-credentials]").Click();

        // Act
        page.Find("[data-testid=issue]").Click();

        // Assert
        page.WaitForElement("[data-testid=access-key-id]");
        Assert.Empty(page.FindAll("[data-testid=issue-error]"));
    }
}
