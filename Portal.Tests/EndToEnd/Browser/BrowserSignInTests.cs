using Microsoft.Playwright;

namespace Portal.Tests.EndToEnd.Browser;

/// <summary>Sign-in through real IdPs in headless Chromium, ending on Portal's /me page.</summary>
[Collection(BrowserGroup.Name)]
public sealed class BrowserSignInTests(BrowserE2EFixture fixture) : BrowserTestBase(fixture)
{
    [Fact]
    public Task SamlSignIn_ThroughSimpleSamlPhp_MeShowsNameEmailAndGroups() => InBrowserAsync(async (_, page) =>
    {
        // Arrange
        await page.GotoAsync(BrowserE2EFixture.PortalOrigin + BrowserE2EFixture.SamlSignInPath + "?returnUrl=/me");
        Assert.StartsWith(BrowserE2EFixture.SamlOrigin + "/", page.Url, StringComparison.Ordinal);

        // Act
        await SignInAtSimpleSamlPhpAsync(page, "alice", "alice-pw");

        // Assert
        var groups = await ReadMePageAsync(page, "Alice Admin");
        Assert.Equal(["portal-admins", "staff"], groups);
        await Assertions.Expect(page.Locator("#me-email")).ToHaveTextAsync("alice@example.test");
        await Assertions.Expect(page.Locator("#me-provider")).ToHaveTextAsync(BrowserE2EFixture.SamlProviderArn);
        await Assertions.Expect(page.Locator("#me-method")).ToHaveTextAsync("saml");
    });

    [Fact]
    public Task OidcSignIn_ThroughOidcProvider_MeShowsNameEmailAndGroups() => InBrowserAsync(async (_, page) =>
    {
        // Arrange
        await page.GotoAsync(BrowserE2EFixture.PortalOrigin + BrowserE2EFixture.OidcSignInPath(BrowserE2EFixture.OidcIssuer) + "?returnUrl=/me");
        Assert.StartsWith(BrowserE2EFixture.OidcIssuer + "/interaction/", page.Url, StringComparison.Ordinal);

        // Act
        await SignInAtOidcProviderAsync(page, "alice", "alice-pw");

        // Assert
        var groups = await ReadMePageAsync(page, "Alice Admin");
        Assert.Equal(["portal-admins", "staff"], groups);
        await Assertions.Expect(page.Locator("#me-email")).ToHaveTextAsync("alice@example.test");
        await Assertions.Expect(page.Locator("#me-provider")).ToHaveTextAsync(BrowserE2EFixture.OidcProviderArn(BrowserE2EFixture.OidcIssuer));
        await Assertions.Expect(page.Locator("#me-method")).ToHaveTextAsync("oidc");
    });

    [Fact]
    public Task OidcSignIn_SecondProviderRegisteredAtRuntime_WorksWithoutRestart() => InBrowserAsync(async (context, page) =>
    {
        // Arrange: the second IdP runs, but Portal does not know it yet.
        await Fixture.StartSecondOidcProviderAsync();
        var signIn = BrowserE2EFixture.PortalOrigin + BrowserE2EFixture.OidcSignInPath(BrowserE2EFixture.SecondOidcIssuer) + "?returnUrl=/me";
        var before = await context.APIRequest.GetAsync(signIn, new() { MaxRedirects = 0 });
        Assert.False(
            before.Headers.TryGetValue("location", out var location) && location.StartsWith(BrowserE2EFixture.SecondOidcIssuer, StringComparison.Ordinal),
            "The second IdP must not be usable before it is registered.");

        // Act
        await Fixture.RegisterOidcProviderAsync(BrowserE2EFixture.SecondOidcIssuer, "E2E OIDC 2");
        await page.GotoAsync(signIn);
        await SignInAtOidcProviderAsync(page, "bob", "bob-pw");

        // Assert
        var groups = await ReadMePageAsync(page, "Bob User (IdP 2)");
        Assert.Equal(["staff"], groups);
        await Assertions.Expect(page.Locator("#me-provider")).ToHaveTextAsync(BrowserE2EFixture.OidcProviderArn(BrowserE2EFixture.SecondOidcIssuer));
    });

    [Fact]
    public Task SamlAcs_ReplayedResponse_RejectedWithoutNewAuthCookie() => InBrowserAsync(async (context, page) =>
    {
        // Arrange: a real sign-in, with the SAMLResponse form post captured on its way to the ACS.
        string? captured = null;
        await page.RouteAsync("**/saml/acs", async route =>
        {
            captured = route.Request.PostData;
            await route.ContinueAsync();
        });
        await page.GotoAsync(BrowserE2EFixture.PortalOrigin + BrowserE2EFixture.SamlSignInPath + "?returnUrl=/me");
        await SignInAtSimpleSamlPhpAsync(page, "bob", "bob-pw");
        await ReadMePageAsync(page, "Bob User");
        Assert.NotNull(captured);
        Assert.Contains("SAMLResponse=", captured, StringComparison.Ordinal);
        var cookieBefore = await AuthCookieAsync(context);
        Assert.NotNull(cookieBefore);

        // Act: the same form post again, with the same cookies (SECURITY-CASES: assertion replay at the ACS).
        var replay = await context.APIRequest.PostAsync(BrowserE2EFixture.PortalOrigin + "/saml/acs", new()
        {
            Headers = new Dictionary<string, string> { ["Content-Type"] = "application/x-www-form-urlencoded" },
            Data = captured,
            MaxRedirects = 0,
        });

        // Assert
        Assert.Equal(400, replay.Status);
        Assert.Contains("Sign-in failed", await replay.TextAsync(), StringComparison.Ordinal);
        var setCookies = replay.HeadersArray.Where(h => h.Name.Equals("set-cookie", StringComparison.OrdinalIgnoreCase)).Select(h => h.Value);
        Assert.DoesNotContain(setCookies, c => c.StartsWith("portal.auth=", StringComparison.Ordinal));
        Assert.Equal(cookieBefore, await AuthCookieAsync(context));
    });

    private static async Task<string?> AuthCookieAsync(IBrowserContext context) =>
        (await context.CookiesAsync([BrowserE2EFixture.PortalOrigin])).FirstOrDefault(c => c.Name == "portal.auth")?.Value;
}
