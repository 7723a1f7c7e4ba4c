using System.Text.Json;
using Microsoft.Playwright;
using OtpNet;
using Portal.Bench.Http;
using Portal.Core.Identity;
using Portal.Core.Signing;

namespace Portal.Bench.Ui;

/// <summary>
/// Prepares a fresh Portal the way an operator does, through its own surfaces only: the break-glass administrator signs
/// in (password, then TOTP enrolment) and registers the OIDC IdP on /admin/providers; the role is created through the
/// IAM API with the bootstrap root key.
/// </summary>
internal static class PortalUiSetup
{
    /// <summary>The administrator's password, passed to Portal as Bootstrap:AdminPassword (a throw-away database).</summary>
    public const string AdminPassword = "UiBench-Admin-Password-1";

    /// <summary>The role the timed person gets credentials for.</summary>
    public const string RoleName = "ui-bench-role";

    /// <summary>The IdP's name on the sign-in button.</summary>
    public const string DisplayName = "Bench OIDC";

    private static readonly TimeSpan TotpStep = TimeSpan.FromSeconds(30);

    private static readonly string[] TrustedActions = ["sts:AssumeRoleWithWebIdentity", "sts:SetSourceIdentity"];

    /// <summary>The role's ARN in the bootstrap account.</summary>
    public static string RoleArn => $"arn:aws:iam::{PortalProcess.AccountId}:role/{RoleName}";

    /// <summary>Signs the administrator in and registers <paramref name="idp"/> for portal sign-in on /admin/providers.</summary>
    public static async Task RegisterIdpAsync(IBrowser browser, string origin, OidcTestIdp idp)
    {
        await using var context = await browser.NewContextAsync().ConfigureAwait(false);
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync().ConfigureAwait(false);
        await page.GotoAsync(origin + "/account/signin?returnUrl=/admin").ConfigureAwait(false);
        await page.Locator("#userName").FillAsync("admin").ConfigureAwait(false);
        await page.Locator("#password").FillAsync(AdminPassword).ConfigureAwait(false);
        await page.Locator("#local-signin button[type=submit]").ClickAsync().ConfigureAwait(false);

        // First sign-in: TOTP enrolment with two consecutive codes (RFC 6238 §4, 30 s steps; SECURITY-CASES 102b).
        var secret = await page.Locator("#totp-secret").InnerTextAsync().ConfigureAwait(false);
        var totp = new Totp(Base32Encoding.ToBytes(secret));
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        await page.Locator("#code1").FillAsync(totp.ComputeTotp(now)).ConfigureAwait(false);
        await page.Locator("#code2").FillAsync(totp.ComputeTotp(now.AddSeconds(30))).ConfigureAwait(false);
        await page.Locator("button[type=submit]").ClickAsync().ConfigureAwait(false);
        await Assertions.Expect(page.Locator("#recovery-codes li")).ToHaveCountAsync(10).ConfigureAwait(false);

        await page.GotoAsync(origin + "/admin/providers").ConfigureAwait(false);
        await WaitInteractiveAsync(page).ConfigureAwait(false);
        await page.Locator("[data-testid=providers-add-oidc]").ClickAsync().ConfigureAwait(false);
        await FillAsync(page, "oidc-issuer", idp.Issuer).ConfigureAwait(false);
        await FillAsync(page, "oidc-client-ids", OidcTestIdp.PortalClientId).ConfigureAwait(false);
        await FillAsync(page, "oidc-display-name", DisplayName).ConfigureAwait(false);
        await FillAsync(page, "oidc-signin-client", OidcTestIdp.PortalClientId).ConfigureAwait(false);
        await FillAsync(page, "oidc-secret", OidcTestIdp.PortalClientSecret).ConfigureAwait(false);
        await FillAsync(page, "oidc-groups", "groups").ConfigureAwait(false);

        // Registering an IdP is high risk (SECURITY-CASES 104g): confirmed with a code for a step after the enrolment's.
        await FillAsync(page, "providers-code", await CodeAfterAsync(totp, StepOf(now) + 1).ConfigureAwait(false)).ConfigureAwait(false);
        await page.Locator("[data-testid=oidc-save]").ClickAsync().ConfigureAwait(false);
        await Assertions.Expect(page.Locator("[data-testid=providers-table]")).ToContainTextAsync(Arn.OidcProviderName(idp.Issuer)).ConfigureAwait(false);
    }

    /// <summary>
    /// Creates the role through the IAM API. Its trust admits exactly the IdP's test user signing in to the portal:
    /// the portal client as audience and alice's subject, with sts:SetSourceIdentity because portal sessions carry the
    /// person as their source identity (as in Portal.Tests' SelfServiceBrowserTests).
    /// </summary>
    public static async Task CreateRoleAsync(PortalApiClient client, OidcTestIdp idp)
    {
        var name = Arn.OidcProviderName(idp.Issuer);
        var trust = JsonSerializer.Serialize(new
        {
            Version = "2012-10-17",
            Statement = new[]
            {
                new
                {
                    Effect = "Allow",
                    Principal = new { Federated = $"arn:aws:iam::{PortalProcess.AccountId}:oidc-provider/{name}" },
                    Action = TrustedActions,
                    Condition = new
                    {
                        StringEquals = new Dictionary<string, string> { [name + ":aud"] = OidcTestIdp.PortalClientId, [name + ":sub"] = OidcTestIdp.Subject },
                    },
                },
            },
        });
        var root = new SigV4Credentials(PortalProcess.RootAccessKeyId, PortalProcess.RootSecretAccessKey);
        await client.IamAsync(root, ("Action", "CreateRole"), ("RoleName", RoleName), ("AssumeRolePolicyDocument", trust)).ConfigureAwait(false);
        await client.IamAsync(root, ("Action", "PutRolePolicy"), ("RoleName", RoleName), ("PolicyName", "read"), ("PolicyDocument", HttpBenchCommand.RolePolicy)).ConfigureAwait(false);
    }

    /// <summary>
    /// Waits until the page's circuit has rendered: FocusOnNavigate (Routes.razor) marks the focused h1 tabindex=-1
    /// from JS; a prerendered page has no such attribute and ignores clicks.
    /// </summary>
    public static Task WaitInteractiveAsync(IPage page) =>
        Assertions.Expect(page.Locator("h1[tabindex='-1']")).ToBeAttachedAsync(new() { Timeout = 30_000 });

    /// <summary>
    /// The first code for a step after <paramref name="lastStep"/> that the portal accepts now: it allows one step of drift
    /// (RFC 6238 §5.2) and refuses a step already used (SECURITY-CASES 100), so this waits for the clock when needed.
    /// </summary>
    private static async Task<string> CodeAfterAsync(Totp totp, long lastStep)
    {
        while (true)
        {
            var current = StepOf(TimeProvider.System.GetUtcNow().UtcDateTime);
            var step = Math.Max(lastStep + 1, current);
            if (step <= current + 1)
            {
                return totp.ComputeTotp(DateTime.UnixEpoch + (step * TotpStep));
            }

            var wait = DateTime.UnixEpoch + ((step - 1) * TotpStep) - TimeProvider.System.GetUtcNow().UtcDateTime;
            await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero).ConfigureAwait(false);
        }
    }

    private static long StepOf(DateTime utc) => (long)((utc - DateTime.UnixEpoch) / TotpStep);

    private static async Task FillAsync(IPage page, string testId, string value)
    {
        var field = page.Locator($":is(input,textarea)[data-testid={testId}], [data-testid={testId}] :is(input,textarea)").First;
        await field.FillAsync(value).ConfigureAwait(false);

        // MudTextField binds on change, which the browser raises when the field loses focus.
        await field.BlurAsync().ConfigureAwait(false);
    }
}
