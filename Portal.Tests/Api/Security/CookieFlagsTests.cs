using Microsoft.AspNetCore.Mvc.Testing;
using Portal.Tests.Api.Account;

namespace Portal.Tests.Api.Security;

/// <summary>
/// SECURITY-CASES 104i (and 104b's cookie half): the portal's cookies are HttpOnly, Secure over HTTPS, and SameSite as decided.
/// <para>
/// Why the signed-in cookie (<c>portal.auth</c>) stays <c>SameSite=Lax</c> rather than the <c>Strict</c> 104b suggests:
/// the SAML ACS is a cross-site POST and the OIDC callback a cross-site navigation; the 302 that ends them belongs to a
/// redirect chain that started on another site, so a Strict cookie set there is not sent on the landing page, and every
/// link from mail or chat would also arrive signed out. Strict therefore needs a same-origin relay page at the end of the
/// SAML and OIDC handlers (and on the sign-in challenge), and the browser suite cannot prove it: its IdPs listen on
/// 127.0.0.1 like the portal, which is the same site (SameSite ignores ports). What Strict adds over Lax is the cookie on
/// cross-site top-level GETs only. Lax already withholds it from cross-site POSTs, frames, fetches and WebSocket
/// handshakes, so cross-site WebSocket hijacking carries no cookie even before the Origin check (BlazorOriginCheckTests);
/// the portal's GETs change nothing (changes are antiforgery-checked POSTs or circuit events), and no page can be framed
/// (104c). The password-only cookie (<c>portal.partial</c>) is only ever used same-origin and is Strict.
/// </para>
/// </summary>
public sealed class CookieFlagsTests(AdminAppFactory app, AccountAppFixture account) : IClassFixture<AdminAppFactory>, IClassFixture<AccountAppFixture>
{
    private static readonly Uri Https = new("https://localhost");

    [Fact]
    public async Task SignIn_OverHttps_AuthCookieIsSecureHttpOnlyLax()
    {
        // Arrange
        using var client = app.Factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = Https, AllowAutoRedirect = false });

        // Act
        using var response = await client.GetAsync(new Uri(AdminAppFactory.SignInPath + "?as=" + TestPerson.Administrator, UriKind.Relative));

        // Assert
        var cookie = Attributes(SetCookie(response, "portal.auth"));
        Assert.Contains("secure", cookie);
        Assert.Contains("httponly", cookie);
        Assert.Contains("samesite=lax", cookie);
        Assert.Contains("path=/", cookie);
    }

    [Fact]
    public async Task PasswordStep_OverHttps_PartialCookieIsSecureHttpOnlyStrict()
    {
        // Arrange
        var (user, password) = await account.CreateUserAsync();
        using var client = account.Factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = Https, AllowAutoRedirect = false });

        // Act
        using var response = await AccountAppFixture.SignInAsync(client, user.Name, password);

        // Assert
        var cookie = Attributes(SetCookie(response, "portal.partial"));
        Assert.Contains("secure", cookie);
        Assert.Contains("httponly", cookie);
        Assert.Contains("samesite=strict", cookie);
    }

    private static string SetCookie(HttpResponseMessage response, string name) =>
        Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(name + "=", StringComparison.Ordinal));

    private static string[] Attributes(string setCookie) =>
        setCookie.Split(';').Skip(1).Select(a => a.Trim().ToLowerInvariant()).ToArray();
}
