using Bunit;
using MudBlazor;
using OtpNet;
using Portal.Components.Pages.Mfa;
using Portal.Tests.Components.SelfService;

namespace Portal.Tests.Components.Mfa;

/// <summary>The "MFA" page over the real services and engine, for a federated person (alice, OIDC).</summary>
public sealed class MfaPageTests : SelfServiceComponentTest
{
    private const string Owner = Provider + "/alice-sub";

    private IRenderedComponent<MudDialogProvider> RenderPage(out IRenderedComponent<MfaPage> page)
    {
        SignInAlice();
        var dialogs = Render<MudDialogProvider>();
        page = Render<MfaPage>();
        var rendered = page;
        page.WaitForState(() => rendered.FindAll("[data-testid=mfa-off], [data-testid=mfa-on]").Count > 0);
        return dialogs;
    }

    /// <summary>Starts a setup and returns the app's view of it: the code for a step offset from the harness clock.</summary>
    private Func<int, string> StartEnrolment(IRenderedComponent<MfaPage> page)
    {
        page.Find("[data-testid=enrol]").Click();
        var key = page.WaitForElement("[data-testid=totp-secret]").TextContent.Replace(" ", string.Empty, StringComparison.Ordinal);
        var totp = new Totp(Base32Encoding.ToBytes(key));
        return step => totp.ComputeTotp((H.Time.GetUtcNow() + TimeSpan.FromSeconds(30 * step)).UtcDateTime);
    }

    private static void EnterCodes(IRenderedComponent<MfaPage> page, string code1, string code2)
    {
        page.Find("input[data-testid=code1]").Input(code1);
        page.Find("input[data-testid=code2]").Input(code2);
        page.Find("[data-testid=confirm-enrolment]").Click();
    }

    private static void Prove(IRenderedComponent<MfaPage> page, string button, string code)
    {
        page.Find("input[data-testid=code]").Input(code);
        page.Find($"[data-testid={button}]").Click();
    }

    [Fact]
    public void Render_NoDevice_SaysSoAndOffersSetUp()
    {
        // Act
        RenderPage(out var page);

        // Assert
        Assert.Contains("no MFA device", page.Find("[data-testid=mfa-off]").TextContent, StringComparison.Ordinal);
        Assert.Single(page.FindAll("[data-testid=enrol]"));
    }

    [Fact]
    public async Task Render_EnabledDevice_SaysOnAndOffersReplaceAndRemove()
    {
        // Arrange
        await EnrolAliceAsync();

        // Act
        RenderPage(out var page);

        // Assert
        Assert.Single(page.FindAll("[data-testid=mfa-on]"));
        Assert.Single(page.FindAll("[data-testid=replace]"));
        Assert.Single(page.FindAll("[data-testid=remove]"));
    }

    [Fact]
    public async Task Enrol_Click_ShowsServerRenderedQrWithAltTextAndGroupedKey()
    {
        // Arrange
        RenderPage(out var page);

        // Act
        page.Find("[data-testid=enrol]").Click();

        // Assert
        var qr = page.WaitForElement("img[data-testid=totp-qr]");
        Assert.StartsWith("data:image/png;base64,", qr.GetAttribute("src"), StringComparison.Ordinal);
        Assert.Contains("authenticator app", qr.GetAttribute("alt"), StringComparison.Ordinal);
        Assert.Matches("^([A-Z2-7]{4} )+[A-Z2-7]{1,4}$", page.Find("[data-testid=totp-secret]").TextContent);
        Assert.Null(await H.Mfa.FindEnabledForUserAsync(Owner));
    }

    [Fact]
    public async Task Confirm_WrongCodes_ErrorNextToTheCodesAndDeviceStaysOff()
    {
        // Arrange
        RenderPage(out var page);
        var code = StartEnrolment(page);

        // Act: two codes, but not consecutive.
        EnterCodes(page, code(-1), code(1));

        // Assert
        page.WaitForAssertion(() => Assert.Contains("Those codes do not match", page.Find("[data-testid=enrolment]").TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-testid=recovery-codes]"));
        Assert.Null(await H.Mfa.FindEnabledForUserAsync(Owner));
    }

    [Fact]
    public async Task Confirm_TwoConsecutiveCodes_ShowsRecoveryCodesOnceThenDeviceIsOn()
    {
        // Arrange
        RenderPage(out var page);
        var code = StartEnrolment(page);

        // Act
        EnterCodes(page, code(-1), code(0));
        var shown = page.WaitForElements("[data-testid=recovery-code]").Select(c => c.TextContent).ToList();
        page.Find("[data-testid=download-recovery-codes]").Click();
        page.Find("[data-testid=recovery-codes-done]").Click();

        // Assert
        Assert.Equal(10, shown.Count);
        var download = Assert.Single(JSInterop.Invocations, i => i.Identifier == "portal.downloadText");
        Assert.Equal("portal-recovery-codes.txt", download.Arguments[0]);
        Assert.All(shown, c => Assert.Contains(c, (string)download.Arguments[1]!, StringComparison.Ordinal));
        page.WaitForElement("[data-testid=mfa-on]");
        Assert.Empty(page.FindAll("[data-testid=recovery-code]"));
        Assert.NotNull(await H.Mfa.FindEnabledForUserAsync(Owner));
    }

    [Fact]
    public async Task Remove_Cancelled_KeepsTheDevice()
    {
        // Arrange
        var device = await EnrolAliceAsync();
        var dialogs = RenderPage(out var page);
        page.Find("[data-testid=remove]").Click();

        // Act
        Prove(page, "remove-device", H.CodeAt(device, 0));
        dialogs.WaitForElement("[data-testid=confirm-cancel]").Click();

        // Assert
        Assert.Single(page.FindAll("[data-testid=proof]"));
        Assert.NotNull(await H.Mfa.FindEnabledForUserAsync(Owner));
    }

    [Fact]
    public async Task Remove_ConfirmedWithCurrentCode_DeviceGone()
    {
        // Arrange
        var device = await EnrolAliceAsync();
        var dialogs = RenderPage(out var page);
        page.Find("[data-testid=remove]").Click();

        // Act
        Prove(page, "remove-device", H.CodeAt(device, 0));
        Assert.Contains("Remove your MFA device?", dialogs.WaitForElement("[data-testid=confirm-message]").TextContent, StringComparison.Ordinal);
        dialogs.Find("[data-testid=confirm-ok]").Click();

        // Assert
        page.WaitForElement("[data-testid=mfa-off]");
        Assert.Null(await H.Mfa.FindEnabledForUserAsync(Owner));
    }

    [Fact]
    public async Task Remove_WrongCode_ErrorNextToTheCodeAndDeviceKept()
    {
        // Arrange
        var device = await EnrolAliceAsync();
        var dialogs = RenderPage(out var page);
        page.Find("[data-testid=remove]").Click();

        // Act
        Prove(page, "remove-device", H.WrongCode(device));
        dialogs.WaitForElement("[data-testid=confirm-ok]").Click();

        // Assert
        page.WaitForAssertion(() => Assert.Contains("Invalid code.", page.Find("[data-testid=proof]").TextContent, StringComparison.Ordinal));
        Assert.NotNull(await H.Mfa.FindEnabledForUserAsync(Owner));
    }

    [Fact]
    public async Task Replace_WrongProof_NoNewDeviceOffered()
    {
        // Arrange
        var device = await EnrolAliceAsync();
        RenderPage(out var page);
        page.Find("[data-testid=replace]").Click();

        // Act
        Prove(page, "start-replacement", H.WrongCode(device));

        // Assert
        page.WaitForAssertion(() => Assert.Contains("Invalid code.", page.Find("[data-testid=proof]").TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-testid=totp-qr]"));
    }

    [Fact]
    public async Task Replace_ProvenAndConfirmed_NewDeviceReplacesTheOld()
    {
        // Arrange
        var old = await EnrolAliceAsync();
        RenderPage(out var page);
        page.Find("[data-testid=replace]").Click();
        Prove(page, "start-replacement", H.CodeAt(old, 0));
        var key = page.WaitForElement("[data-testid=totp-secret]").TextContent.Replace(" ", string.Empty, StringComparison.Ordinal);
        var totp = new Totp(Base32Encoding.ToBytes(key));
        H.Time.Advance(TimeSpan.FromSeconds(30));

        // Act
        EnterCodes(page, totp.ComputeTotp(H.Time.GetUtcNow().UtcDateTime.AddSeconds(-30)), totp.ComputeTotp(H.Time.GetUtcNow().UtcDateTime));

        // Assert
        page.WaitForElements("[data-testid=recovery-code]");
        var current = await H.Mfa.FindEnabledForUserAsync(Owner);
        Assert.NotNull(current);
        Assert.NotEqual(old.SerialNumber, current.SerialNumber);
        Assert.Single(await H.Mfa.ListForUserAsync(Owner));
    }

    [Fact]
    public async Task Replace_AbandonedAfterProof_OldDeviceKeepsWorking()
    {
        // Arrange
        var old = await EnrolAliceAsync();
        RenderPage(out var page);
        page.Find("[data-testid=replace]").Click();
        Prove(page, "start-replacement", H.CodeAt(old, 0));
        page.WaitForElement("[data-testid=replacement-note]");

        // Act
        page.Find("[data-testid=cancel-enrolment]").Click();

        // Assert
        page.WaitForElement("[data-testid=mfa-on]");
        H.Time.Advance(TimeSpan.FromSeconds(30));
        Assert.True((await H.Mfa.VerifyAsync(old.SerialNumber, Owner, H.CodeAt(old, 0))).Succeeded);
        Assert.Equal(old.SerialNumber, Assert.Single(await H.Mfa.ListForUserAsync(Owner)).SerialNumber);
    }
}
