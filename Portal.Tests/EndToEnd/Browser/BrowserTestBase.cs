using System.Runtime.CompilerServices;
using Microsoft.Playwright;

namespace Portal.Tests.EndToEnd.Browser;

/// <summary>Runs a test body in a fresh browser context (own cookies) and keeps a screenshot when it fails.</summary>
public abstract class BrowserTestBase
{
    protected static readonly LocatorAssertionsToHaveTextOptions Slow = new() { Timeout = 20_000 };

    protected BrowserTestBase(BrowserE2EFixture fixture)
    {
        ArgumentNullException.ThrowIfNull(fixture);
        Fixture = fixture;
    }

    protected BrowserE2EFixture Fixture { get; }

    protected async Task InBrowserAsync(Func<IBrowserContext, IPage, Task> body, [CallerMemberName] string testName = "")
    {
        ArgumentNullException.ThrowIfNull(body);
        await using var context = await Fixture.Browser.NewContextAsync();
        context.SetDefaultTimeout(20_000);
        var page = await context.NewPageAsync();
        try
        {
            await body(context, page);
        }
        catch (Exception ex)
        {
            Directory.CreateDirectory(BrowserE2EFixture.ScreenshotDirectory);
            var path = Path.Combine(BrowserE2EFixture.ScreenshotDirectory, testName + ".png");
            try
            {
                await page.ScreenshotAsync(new() { Path = path, FullPage = true });
            }
            catch (PlaywrightException)
            {
                path = "(no screenshot: the page was gone)";
            }

            throw new InvalidOperationException($"{testName} failed at {page.Url}; screenshot {path}.\nIdP output:\n{Fixture.IdpOutput}", ex);
        }
    }

    /// <summary>Fills SimpleSAMLphp's login form.</summary>
    protected static async Task SignInAtSimpleSamlPhpAsync(IPage page, string user, string password)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.Locator("#username").FillAsync(user);
        await page.Locator("#password").FillAsync(password);
        await page.Locator("button[type=submit]").First.ClickAsync();
    }

    /// <summary>Fills oidc-provider's login page (Idps/oidc/server.mjs).</summary>
    protected static async Task SignInAtOidcProviderAsync(IPage page, string user, string password)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.Locator("#username").FillAsync(user);
        await page.Locator("#password").FillAsync(password);
        await page.Locator("#signin").ClickAsync();
    }

    /// <summary>Waits until /me is interactive and shows the person, then returns the groups listed.</summary>
    protected static async Task<IReadOnlyList<string>> ReadMePageAsync(IPage page, string expectedName)
    {
        ArgumentNullException.ThrowIfNull(page);
        await Assertions.Expect(page.Locator("#me-render")).ToHaveTextAsync("interactive", Slow);
        await Assertions.Expect(page.Locator("#me-name")).ToHaveTextAsync(expectedName);
        Assert.Equal(BrowserE2EFixture.PortalOrigin + "/me", page.Url);
        return await page.Locator("#me-groups .me-group").AllInnerTextsAsync();
    }
}
