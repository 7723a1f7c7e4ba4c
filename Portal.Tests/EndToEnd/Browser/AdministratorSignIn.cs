using Microsoft.Playwright;
using OtpNet;
using Portal.Hosting;

namespace Portal.Tests.EndToEnd.Browser;

/// <summary>Signs the break-glass administrator in the way a person does: the sign-in form, then TOTP enrolment.</summary>
internal static class AdministratorSignIn
{
    /// <summary>One TOTP step (RFC 6238 §4, X = 30 s).</summary>
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(30);

    /// <summary>Signs in in a throw-away context and returns its storage state (the full portal cookie).</summary>
    public static async Task<string> SignInAsync(IBrowser browser, string password)
    {
        await using var context = await browser.NewContextAsync();
        context.SetDefaultTimeout(20_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync(BrowserE2EFixture.PortalOrigin + "/account/signin?returnUrl=/admin");
        await page.Locator("#userName").FillAsync(FirstRunBootstrap.AdminUserName);
        await page.Locator("#password").FillAsync(password);
        await page.Locator("#local-signin button[type=submit]").ClickAsync();

        // First sign-in of this user: the MFA page offers enrolment (two consecutive codes, SECURITY-CASES 102b).
        var secret = await page.Locator("#totp-secret").InnerTextAsync();
        var totp = new Totp(Base32Encoding.ToBytes(secret));
        var now = DateTime.UtcNow;
        await page.Locator("#code1").FillAsync(totp.ComputeTotp(now));
        await page.Locator("#code2").FillAsync(totp.ComputeTotp(now + Step));
        lock (Gate)
        {
            _totp = totp;
            _lastStep = StepOf(now + Step);
        }

        await page.Locator("button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator("#recovery-codes li")).ToHaveCountAsync(10);
        return await context.StorageStateAsync();
    }

    /// <summary>
    /// A code from the administrator's authenticator for confirming a high-risk change (SECURITY-CASES 104g). Each step is
    /// accepted once (case 100), so, as a person would, this waits for the next code when the current one was used.
    /// </summary>
    public static async Task<string> NextCodeAsync()
    {
        while (true)
        {
            TimeSpan wait;
            lock (Gate)
            {
                var totp = _totp ?? throw new InvalidOperationException("The administrator has not signed in yet.");
                var current = StepOf(DateTime.UtcNow);
                var step = Math.Max(_lastStep + 1, current);
                if (step <= current + 1)
                {
                    _lastStep = step;
                    return totp.ComputeTotp(DateTime.UnixEpoch + (step * Step));
                }

                wait = DateTime.UnixEpoch + ((step - 1) * Step) - DateTime.UtcNow;
            }

            await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero);
        }
    }

    private static long StepOf(DateTime utc) => (long)((utc - DateTime.UnixEpoch) / Step);

    private static readonly Lock Gate = new();
    private static Totp? _totp;
    private static long _lastStep;
}
