using Bunit;
using Portal.Components.Admin.Users;
using Portal.Core.Identity;

namespace Portal.Tests.Components.Admin.Users;

public class AdminUsersTests : AdminComponentTest
{
    private const string UserName = "departing-contractor";

    [Fact]
    public async Task DeleteUser_Confirmed_RemovesTheUserAndClosesItsDetails()
    {
        // Arrange
        var account = (await H.Directory.ListAccountsAsync())[0];
        var created = await H.Directory.CreateUserAsync(AccountId.Parse(account.Id), UserName);
        Assert.True(created.Succeeded);
        var dialogs = RenderWithDialogs<AdminUsers>(out var page);
        page.WaitForElement("[data-testid=users-table]").QuerySelectorAll("tbody tr").Single(r => r.TextContent.Contains(UserName, StringComparison.Ordinal)).Click();

        // Act
        page.WaitForElement("[data-testid=delete-user]").Click();
        dialogs.WaitForElement("[data-testid=confirm-ok]").Click();

        // Assert: the user is gone from the directory, the list, and the details panel (no stale panel for a deleted user).
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=delete-user]")));
        Assert.DoesNotContain(UserName, page.Markup, StringComparison.Ordinal);
        Assert.Null(await H.Directory.FindUserAsync(AccountId.Parse(account.Id), UserName));
    }
}
