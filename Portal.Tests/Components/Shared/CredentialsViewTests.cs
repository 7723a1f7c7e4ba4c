using Bunit;
using Portal.Components.Shared;
using Portal.Core.Sts;
using Portal.Services;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Components.Shared;

public class CredentialsViewTests : PortalComponentTest
{
    private const string KeyId = "ASIAQNZGKMVX4EXAMPLE";
    private const string Secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private const string Token = "IQoJb3JpZ2luX2VjEXAMPLE+TOKEN/abc==";

    [Fact]
    public void Render_Initially_ShowsKeyIdAndMasksSecretAndToken()
    {
        // Act
        var cut = RenderView();

        // Assert
        Assert.Equal(KeyId, cut.Find("[data-testid=access-key-id]").TextContent);
        Assert.DoesNotContain(Secret, cut.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, cut.Markup, StringComparison.Ordinal);
        Assert.Equal("Reveal", cut.Find("[data-testid=toggle-secret-access-key]").TextContent.Trim());
    }

    [Fact]
    public void RevealSecret_Clicked_ShowsSecretAndHideMasksItAgain()
    {
        // Arrange
        var cut = RenderView();

        // Act
        cut.Find("[data-testid=toggle-secret-access-key]").Click();
        var revealed = cut.Find("[data-testid=secret-access-key]").TextContent;
        cut.Find("[data-testid=toggle-secret-access-key]").Click();

        // Assert
        Assert.Equal(Secret, revealed);
        Assert.DoesNotContain(Secret, cut.Markup, StringComparison.Ordinal);
        Assert.Equal("false", cut.Find("[data-testid=toggle-secret-access-key]").GetAttribute("aria-pressed"));
    }

    [Fact]
    public void RevealToken_Clicked_ShowsTokenButNotSecret()
    {
        // Arrange
        var cut = RenderView();

        // Act
        cut.Find("[data-testid=toggle-session-token]").Click();

        // Assert
        Assert.Equal(Token, cut.Find("[data-testid=session-token]").TextContent);
        Assert.DoesNotContain(Secret, cut.Markup, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("copy-access-key-id", KeyId)]
    [InlineData("copy-secret-access-key", Secret)]
    [InlineData("copy-session-token", Token)]
    public void Copy_FieldButton_CallsCopyTextWithExactValue(string button, string expected)
    {
        // Arrange
        var cut = RenderView();

        // Act
        cut.Find($"[data-testid={button}]").Click();

        // Assert
        var invocation = Assert.Single(JSInterop.Invocations, i => i.Identifier == "portal.copyText");
        Assert.Equal(expected, Assert.Single(invocation.Arguments));
    }

    [Fact]
    public void Tabs_EachFormatRevealed_RendersExactFormatText()
    {
        // Arrange
        var cut = RenderView(region: "eu-west-1");
        var export = CredentialExport.Create(CreateValidCredentials(), "eu-west-1").Export!;
        cut.Find("[data-testid=toggle-secret-access-key]").Click();
        cut.Find("[data-testid=toggle-session-token]").Click();

        foreach (var (format, index) in CredentialFormats.All.Select((f, i) => (f, i)))
        {
            // Act
            cut.FindAll(".mud-tab")[index].Click();

            // Assert
            var pre = cut.Find("[data-testid=format-text]");
            Assert.Equal(format.ToString(), pre.GetAttribute("data-format"));
            Assert.Equal(CredentialFormats.Render(export, format), pre.TextContent);
        }
    }

    [Fact]
    public void Tabs_SecretsHidden_FormatTextMasksThem()
    {
        // Arrange
        var cut = RenderView();

        // Act
        var text = cut.Find("[data-testid=format-text]").TextContent;

        // Assert
        Assert.StartsWith($"export AWS_ACCESS_KEY_ID='{KeyId}'\nexport AWS_SECRET_ACCESS_KEY='••", text, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, text, StringComparison.Ordinal);
    }

    [Fact]
    public void CopyFormat_SecretsHidden_CopiesRealText()
    {
        // Arrange
        var cut = RenderView();
        var expected = CredentialFormats.Render(CredentialExport.Create(CreateValidCredentials()).Export!, CredentialFormat.Bash);

        // Act
        cut.Find("[data-testid=copy-format]").Click();

        // Assert
        var invocation = Assert.Single(JSInterop.Invocations, i => i.Identifier == "portal.copyText");
        Assert.Equal(expected, Assert.Single(invocation.Arguments));
    }

    [Fact]
    public void Download_DotEnvTab_SendsFileNameAndText()
    {
        // Arrange
        var cut = RenderView();
        var export = CredentialExport.Create(CreateValidCredentials()).Export!;
        cut.FindAll(".mud-tab")[CredentialFormats.All.ToList().IndexOf(CredentialFormat.DotEnv)].Click();

        // Act
        cut.Find("[data-testid=download-format]").Click();

        // Assert
        var invocation = Assert.Single(JSInterop.Invocations, i => i.Identifier == "portal.downloadText");
        Assert.Equal(
            ["credentials-ASIAQNZGKMVX4EXAMPLE.env", CredentialFormats.Render(export, CredentialFormat.DotEnv), "text/plain"],
            invocation.Arguments);
    }

    [Fact]
    public void Countdown_OneSecondPasses_TextCountsDown()
    {
        // Arrange
        var cut = RenderView();
        Assert.Equal("Expires in 1:00:00", cut.Find("[data-testid=countdown]").TextContent);

        // Act
        Time.Advance(TimeSpan.FromSeconds(1));

        // Assert
        cut.WaitForAssertion(() => Assert.Equal("Expires in 0:59:59", cut.Find("[data-testid=countdown]").TextContent));
        Assert.Equal(string.Empty, cut.Find("[data-testid=countdown-announcement]").TextContent);
    }

    [Fact]
    public void Countdown_ReachesExpiry_ShowsExpiredAndDisablesCopy()
    {
        // Arrange
        var cut = RenderView(expiresIn: TimeSpan.FromSeconds(3));

        // Act
        Time.Advance(TimeSpan.FromSeconds(3));

        // Assert
        cut.WaitForAssertion(() => Assert.Equal("Credentials expired", cut.Find("[data-testid=countdown]").TextContent));
        Assert.Equal("Credentials have expired.", cut.Find("[data-testid=countdown-announcement]").TextContent);
        foreach (var button in new[] { "copy-access-key-id", "copy-secret-access-key", "copy-session-token", "copy-format", "download-format" })
        {
            Assert.True(cut.Find($"[data-testid={button}]").HasAttribute("disabled"), button);
        }
    }

    [Fact]
    public void Countdown_UnderFiveMinutes_Announces()
    {
        // Arrange
        var cut = RenderView(expiresIn: TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));

        // Act
        Time.Advance(TimeSpan.FromSeconds(1));

        // Assert
        cut.WaitForAssertion(() => Assert.Equal(
            "Credentials expire in 5 minutes or less.", cut.Find("[data-testid=countdown-announcement]").TextContent));
    }

    [Fact]
    public void Copy_AfterExpiryBeforeNextTick_DoesNotCopy()
    {
        // Arrange: the clock passes expiry between ticks (a suspended laptop); the click itself must re-check.
        var cut = RenderView(expiresIn: TimeSpan.FromMilliseconds(500));
        Time.SetUtcNow(Now + TimeSpan.FromMilliseconds(600));

        // Act
        cut.Find("[data-testid=copy-secret-access-key]").Click();

        // Assert
        Assert.DoesNotContain(JSInterop.Invocations, i => i.Identifier == "portal.copyText");
    }

    [Fact]
    public void Render_UnsafeSecret_ShowsErrorAndNoValues()
    {
        // Arrange
        var credentials = CreateValidCredentials() with { SecretAccessKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCY'$(id)'" };

        // Act
        var cut = Render<CredentialsView>(p => p.Add(c => c.Credentials, credentials));

        // Assert
        Assert.Contains("cannot be shown", cut.Find("[data-testid=credentials-error]").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("$(id)", cut.Markup, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=format-text]"));
    }

    private static IssuedCredentials CreateValidCredentials(TimeSpan? expiresIn = null) =>
        new(KeyId, Secret, Token, Now + (expiresIn ?? TimeSpan.FromHours(1)));

    private IRenderedComponent<CredentialsView> RenderView(TimeSpan? expiresIn = null, string? region = null) =>
        Render<CredentialsView>(p => p
            .Add(c => c.Credentials, CreateValidCredentials(expiresIn))
            .Add(c => c.Region, region));
}
