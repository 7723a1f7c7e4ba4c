using System.Text.Json;
using System.Web;
using Microsoft.Playwright;
using Portal.Tests.EndToEnd.Clients;

namespace Portal.Tests.EndToEnd.Browser;

/// <summary>
/// Flow 3 of the portal-UI issue: a federated person sets up the portal's TOTP on /mfa from the QR code (decoded by
/// zbarimg, codes from oathtool), then a role whose trust requires MFA asks for a code before it issues credentials.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class MfaBrowserTests(BrowserE2EFixture fixture) : BrowserTestBase(fixture)
{
    private const string RoleName = "e2e-mfa-step-up-role";
    private const string ZbarImg = "/usr/bin/zbarimg";
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(30);

    [Fact]
    public Task Mfa_OidcPersonEnrolsFromQrCode_MfaRoleAsksForCodeThenIssues() => InBrowserAsync(async (_, page) =>
    {
        // Arrange: a role that trusts the portal's OIDC sign-in only with MFA.
        await CreateMfaRoleAsync();
        var roleArn = $"arn:aws:iam::{BrowserE2EFixture.AccountId}:role/{RoleName}";
        await page.GotoAsync(BrowserE2EFixture.PortalOrigin + BrowserE2EFixture.OidcSignInPath(BrowserE2EFixture.OidcIssuer) + "?returnUrl=/mfa");
        await SignInAtOidcProviderAsync(page, "bob", "bob-pw");
        await Assertions.Expect(page.Locator("#mfa-render")).ToHaveTextAsync("interactive", Slow);

        // Act 1: set up a device from the QR code: zbarimg reads the PNG the page shows, oathtool computes the current
        // and the next step's code (-N), so nothing waits for the authenticator's next code.
        await page.Locator("[data-testid=enrol]").ClickAsync();
        var qr = page.Locator("img[data-testid=totp-qr]");
        await Assertions.Expect(qr).ToBeVisibleAsync();
        Assert.Contains("authenticator app", await qr.GetAttributeAsync("alt"), StringComparison.Ordinal);
        var otpauth = await DecodeQrAsync(await qr.GetAttributeAsync("src"));
        var query = HttpUtility.ParseQueryString(new Uri(otpauth).Query);
        var secret = Assert.Single(query.GetValues("secret") ?? []);
        var enrolledAt = DateTimeOffset.UtcNow;
        await page.Locator("input[data-testid=code1]").FillAsync(await ClientTools.TotpAsync(secret, enrolledAt));
        await page.Locator("input[data-testid=code2]").FillAsync(await ClientTools.TotpAsync(secret, enrolledAt + Step));
        await page.Locator("[data-testid=confirm-enrolment]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=recovery-code]")).ToHaveCountAsync(10, new() { Timeout = 20_000 });
        await page.Locator("[data-testid=recovery-codes-done]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=mfa-on]")).ToBeVisibleAsync();

        // Act 2: the MFA role asks for a code and issues nothing without one.
        await page.GotoAsync(BrowserE2EFixture.PortalOrigin + "/roles");
        await Assertions.Expect(page.Locator("#roles-render")).ToHaveTextAsync("interactive", Slow);
        var role = page.Locator($"[data-testid=role][data-role-arn='{roleArn}']");
        await role.Locator("[data-testid=get-credentials]").ClickAsync();
        var codeField = page.Locator("input[data-testid=mfa-code]");
        await Assertions.Expect(codeField).ToBeVisibleAsync();
        await page.Locator("[data-testid=issue]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=get-credentials-dialog]")).ToContainTextAsync("Enter a code from your MFA device");
        Assert.Equal(0, await page.Locator("[data-testid=assumed-role-arn]").CountAsync());

        // Act 3: a fresh code, for a step after the two the enrolment used.
        await codeField.FillAsync(await FreshCodeAsync(secret, enrolledAt));
        await page.Locator("[data-testid=issue]").ClickAsync();

        // Assert
        Assert.StartsWith("otpauth://totp/Portal:", otpauth, StringComparison.Ordinal);
        Assert.Equal(["Portal"], query.GetValues("issuer") ?? []);
        await Assertions.Expect(page.Locator("[data-testid=assumed-role-arn]"))
            .ToHaveTextAsync($"arn:aws:sts::{BrowserE2EFixture.AccountId}:assumed-role/{RoleName}/bob@example.test", Slow);
    });

    private async Task CreateMfaRoleAsync()
    {
        var audKey = new Uri(BrowserE2EFixture.OidcIssuer).Authority + ":aud";
        var trust = JsonSerializer.Serialize(new
        {
            Version = "2012-10-17",
            Statement = new[]
            {
                new
                {
                    Effect = "Allow",
                    Principal = new { Federated = BrowserE2EFixture.OidcProviderArn(BrowserE2EFixture.OidcIssuer) },
                    Action = new[] { "sts:AssumeRoleWithWebIdentity", "sts:SetSourceIdentity" },
                    Condition = new Dictionary<string, Dictionary<string, string>>
                    {
                        ["StringEquals"] = new() { [audKey] = BrowserE2EFixture.PortalClientId },
                        ["StringLike"] = BrowserE2EFixture.OidcTestSubjects,
                        ["Bool"] = new() { ["aws:MultiFactorAuthPresent"] = "true" },
                    },
                },
            },
        });
        var created = await Fixture.AwsAsync(["iam", "create-role", "--role-name", RoleName, "--assume-role-policy-document", trust], BrowserE2EFixture.Root);
        Assert.True(created.ExitCode == 0, created.Describe());
    }

    /// <summary>The QR code's text, decoded by zbarimg from the PNG in the img's data URI.</summary>
    private async Task<string> DecodeQrAsync(string? dataUri)
    {
        const string Prefix = "data:image/png;base64,";
        Assert.NotNull(dataUri);
        Assert.StartsWith(Prefix, dataUri, StringComparison.Ordinal);
        Assert.True(File.Exists(ZbarImg), $"zbarimg is missing at {ZbarImg}. Install zbar-tools with .ci/install-deps.");
        var png = Path.Combine(Fixture.RunDirectory, "mfa-qr.png");
        await File.WriteAllBytesAsync(png, Convert.FromBase64String(dataUri[Prefix.Length..]));
        var run = await ClientTools.RunAsync(ZbarImg, ["--raw", "-q", png], new Dictionary<string, string?>());
        Assert.True(run.ExitCode == 0, run.Describe());
        return run.StdOut.Trim();
    }

    /// <summary>
    /// The enrolment accepted steps n and n+1 (n = the step of <paramref name="enrolledAt"/>), and each step is accepted
    /// once (SECURITY-CASES 100), so the step-up needs step n+2 or later, which the server accepts from step n+1 on
    /// (RFC 6238 §5.2: one step of clock drift). The test waits for that instant (at most one step), not a fixed time.
    /// </summary>
    private static async Task<string> FreshCodeAsync(string secret, DateTimeOffset enrolledAt)
    {
        var enrolledStep = enrolledAt.ToUnixTimeSeconds() / 30;
        var now = DateTimeOffset.UtcNow;
        var step = Math.Max(now.ToUnixTimeSeconds() / 30, enrolledStep + 2);
        var serverReadyAt = DateTimeOffset.FromUnixTimeSeconds((step - 1) * 30);
        if (serverReadyAt > now)
        {
            await Task.Delay(serverReadyAt - now);
        }

        return await ClientTools.TotpAsync(secret, DateTimeOffset.FromUnixTimeSeconds(step * 30).AddSeconds(1));
    }
}
