using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Portal.Components.Shared;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Components.Shared;

public class ConfirmDialogTests : PortalComponentTest
{
    [Fact]
    public async Task ShowAsync_Confirmed_ReturnsTrue()
    {
        // Arrange
        var (provider, result) = await ShowAsync();

        // Act
        provider.Find("[data-testid=confirm-ok]").Click();

        // Assert
        Assert.True(await result);
    }

    [Fact]
    public async Task ShowAsync_Cancelled_ReturnsFalse()
    {
        // Arrange
        var (provider, result) = await ShowAsync();

        // Act
        provider.Find("[data-testid=confirm-cancel]").Click();

        // Assert
        Assert.False(await result);
        Assert.Empty(provider.FindAll("[data-testid=confirm-ok]"));
    }

    [Fact]
    public async Task ShowAsync_Destructive_ShowsTitleMessageAndErrorColouredConfirm()
    {
        // Act
        var (provider, _) = await ShowAsync();

        // Assert
        Assert.Contains("Delete role?", provider.Find(".mud-dialog-title").TextContent, StringComparison.Ordinal);
        Assert.Equal("Role deploy will be deleted.", provider.Find("[data-testid=confirm-message]").TextContent);
        var confirm = provider.Find("[data-testid=confirm-ok]");
        Assert.Equal("Delete", confirm.TextContent.Trim());
        Assert.Contains("mud-button-filled-error", confirm.ClassName, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShowAsync_NotDestructive_UsesPrimaryColour()
    {
        // Act
        var (provider, _) = await ShowAsync(destructive: false);

        // Assert
        var confirm = provider.Find("[data-testid=confirm-ok]");
        Assert.Contains("mud-button-filled-primary", confirm.ClassName, StringComparison.Ordinal);
    }

    private async Task<(IRenderedComponent<MudDialogProvider> Provider, Task<bool> Result)> ShowAsync(bool destructive = true)
    {
        var provider = Render<MudDialogProvider>();
        var dialogs = Services.GetRequiredService<IDialogService>();
        Task<bool>? result = null;

        // A statement lambda: the Func<Task> overload would wait for the dialog to close, which needs the click below.
        await provider.InvokeAsync(() => { result = ConfirmDialog.ShowAsync(dialogs, "Delete role?", "Role deploy will be deleted.", "Delete", destructive); });
        provider.WaitForElement("[data-testid=confirm-ok]");
        return (provider, result!);
    }
}
