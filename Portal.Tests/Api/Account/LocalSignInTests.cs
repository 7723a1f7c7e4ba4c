using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using OtpNet;
using Portal.Authentication;
using static Portal.Tests.Api.Account.AccountAppFixture;

namespace Portal.Tests.Api.Account;

/// <summary>Break-glass sign-in through the real host: password step, partial cookie, TOTP enrolment and verification.</summary>
public sealed partial class LocalSignInTests : IClassFixture<AccountAppFixture>
{
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(30);
    private readonly AccountAppFixture _app;

    public LocalSignInTests(AccountAppFixture app) => _app = app;

    [Theory]
    [InlineData("wrong-password", false, "")]
    [InlineData("right", true, "")]
    [InlineData("right", false, "999999999999")]
    public async Task SignIn_WrongPasswordUnknownUserOrAccount_GenericErrorAndNoCookie(string passwordKind, bool unknownUser, string account)
    {
        // Arrange
        var (user, password) = await _app.CreateUserAsync();
        var client = _app.CreateClient();

        // Act
        var response = await SignInAsync(client, unknownUser ? "nosuchuser" : user.Name, passwordKind == "right" ? password : "wrong", account: account);
        var page = await client.GetStringAsync(response.Headers.Location);

        // Assert
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/signin?error=invalid", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Null(CookieValue(response, "portal.partial"));
        Assert.Null(CookieValue(response, "portal.auth"));
        Assert.Contains("Incorrect user name or password.", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_AfterFiveFailures_RefusesTheRightPassword()
    {
        // Arrange
        var (user, password) = await _app.CreateUserAsync();
        var client = _app.CreateClient();
        for (var i = 0; i < 4; i++)
        {
            await SignInAsync(client, user.Name, "wrong");
        }

        var locking = await SignInAsync(client, user.Name, "wrong");

        // Act
        var response = await SignInAsync(client, user.Name, password);
        var page = await client.GetStringAsync(response.Headers.Location);

        // Assert
        Assert.StartsWith("/account/signin?error=locked", locking.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.StartsWith("/account/signin?error=locked", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Null(CookieValue(response, "portal.partial"));
        Assert.Contains("Too many failed sign-ins", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_RightPassword_SetsOnlyThePartialCookieAndRedirectsToMfa()
    {
        // Arrange
        var (user, password) = await _app.CreateUserAsync();
        var client = _app.CreateClient();

        // Act
        var response = await SignInAsync(client, user.Name, password, "/account/profile");

        // Assert
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/mfa?returnUrl=%2Faccount%2Fprofile", response.Headers.Location!.OriginalString);
        Assert.Null(_app.TicketOf(response, PortalAuthenticationDefaults.CookieScheme));
        var partial = _app.TicketOf(response, PortalAuthenticationDefaults.PartialScheme)!;
        Assert.Equal(["pwd"], Amr(partial));
        Assert.False(IsAdministrator(partial.Principal));
    }

    [Fact]
    public async Task ProtectedPageAndBlazorHub_WithPartialCookieOnly_AreNotAuthenticated()
    {
        // Arrange: SECURITY-CASES 103, password step only; a fully signed-in client as the control.
        var (user, password) = await _app.CreateUserAsync(administrator: true);
        var client = _app.CreateClient();
        await SignInAsync(client, user.Name, password);
        var (other, otherPassword) = await _app.CreateUserAsync();
        var control = _app.CreateClient();
        await EnrolAsync(control, other.Name, otherPassword);
        lock (_app.Requests)
        {
            _app.Requests.Clear();
        }

        // Act
        var page = await client.GetAsync(new Uri("/account/profile", UriKind.Relative));
        await client.PostAsync(new Uri("/_blazor/negotiate?negotiateVersion=1", UriKind.Relative), null);
        await control.PostAsync(new Uri("/_blazor/negotiate?negotiateVersion=1", UriKind.Relative), null);

        // Assert
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("http://localhost/account/signin", page.Headers.Location!.ToString(), StringComparison.Ordinal);
        List<(string Path, bool Authenticated)> hub;
        lock (_app.Requests)
        {
            hub = _app.Requests.Where(r => r.Path == "/_blazor/negotiate").ToList();
        }

        Assert.Equal([false, true], hub.Select(r => r.Authenticated));
    }

    [Fact]
    public async Task SignInSteps_WrongPasswordThenSuccess_AreAuditedWithReasons()
    {
        // Arrange
        var (user, password) = await _app.CreateUserAsync();
        var client = _app.CreateClient();

        // Act
        await SignInAsync(client, user.Name, "wrong");
        await SignInAsync(client, user.Name, password, "/account/profile");
        var (html, token) = await GetFormAsync(client, "/account/mfa?returnUrl=%2Faccount%2Fprofile");
        var totp = new Totp(Base32Encoding.ToBytes(SecretPattern().Match(html).Groups[1].Value));
        var now = _app.Time.GetUtcNow().UtcDateTime;
        await PostAsync(client, "/account/mfa/enrol", token, ("code1", totp.ComputeTotp(now)), ("code2", totp.ComputeTotp(now + Step)), ("returnUrl", "/account/profile"));

        // Assert: the writer commits before WriteAsync returns, so the rows are there.
        var dbFactory = _app.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<Portal.Core.Persistence.PortalDbContext>>();
        await using var db = await dbFactory.CreateDbContextAsync();
        var events = db.AuditEvents.Where(e => e.Action.StartsWith("signin.local") && (e.Principal == user.Name || e.Principal == user.Arn)).ToList();
        Assert.Contains(events, e => e.Action == "signin.local.password" && e.Decision == "Deny" && e.Reason == "Invalid");
        Assert.Contains(events, e => e.Action == "signin.local" && e.Decision == "Allow");
    }

    [Fact]
    public async Task Enrol_TwoConsecutiveCodes_IssuesFullCookieWithMfaAndAdministratorRole()
    {
        // Arrange
        var (user, password) = await _app.CreateUserAsync(administrator: true);
        var client = _app.CreateClient();
        await SignInAsync(client, user.Name, password, "/account/profile");
        var (html, token) = await GetFormAsync(client, "/account/mfa?returnUrl=%2Faccount%2Fprofile");
        var totp = new Totp(Base32Encoding.ToBytes(SecretPattern().Match(html).Groups[1].Value));
        var now = _app.Time.GetUtcNow().UtcDateTime;

        // Act
        var response = await PostAsync(client, "/account/mfa/enrol", token, ("code1", totp.ComputeTotp(now)), ("code2", totp.ComputeTotp(now + Step)), ("returnUrl", "/account/profile"));
        var codesPage = await response.Content.ReadAsStringAsync();
        var profile = await client.GetAsync(new Uri("/account/profile", UriKind.Relative));

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(10, RecoveryCodePattern().Count(codesPage));
        Assert.Contains("no-store", response.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        var full = _app.TicketOf(response, PortalAuthenticationDefaults.CookieScheme)!;
        Assert.Equal(["pwd", "mfa"], Amr(full));
        Assert.True(IsAdministrator(full.Principal));
        Assert.Equal(user.Id, full.Principal.FindFirst(PortalClaimTypes.UserId)!.Value);
        Assert.Contains("portal.partial=;", string.Join('\n', response.Headers.GetValues("Set-Cookie")), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, profile.StatusCode);
        Assert.Contains(user.Name, await profile.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("src=\"data:image/png;base64,", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enrol_WrongSecondCode_StaysPartial()
    {
        // Arrange: case 102b, the device is only enabled by two consecutive codes.
        var (user, password) = await _app.CreateUserAsync();
        var client = _app.CreateClient();
        await SignInAsync(client, user.Name, password);
        var (html, token) = await GetFormAsync(client, "/account/mfa");
        var totp = new Totp(Base32Encoding.ToBytes(SecretPattern().Match(html).Groups[1].Value));
        var code = totp.ComputeTotp(_app.Time.GetUtcNow().UtcDateTime);

        // Act
        var response = await PostAsync(client, "/account/mfa/enrol", token, ("code1", code), ("code2", code));

        // Assert
        Assert.Equal("/account/mfa?error=enrol", response.Headers.Location!.OriginalString);
        Assert.Null(CookieValue(response, "portal.auth"));
    }

    [Fact]
    public async Task Verify_ReplayedCodeRefused_FreshCodeAcceptedWithoutAdministratorRole()
    {
        // Arrange: an enrolled non-administrator signs in again.
        var (user, password) = await _app.CreateUserAsync();
        var client = _app.CreateClient();
        var totp = await EnrolAsync(client, user.Name, password);
        var enrolledAt = _app.Time.GetUtcNow().UtcDateTime;
        var second = _app.CreateClient();
        await SignInAsync(second, user.Name, password);
        var (_, token) = await GetFormAsync(second, "/account/mfa");

        // Act: the second enrolment code (step n+1) again (case 100), then a code of a later step.
        var replay = await PostAsync(second, "/account/mfa", token, ("code", totp.ComputeTotp(enrolledAt + Step)));
        _app.Time.Advance(3 * Step);
        var fresh = await PostAsync(second, "/account/mfa", token, ("code", totp.ComputeTotp(_app.Time.GetUtcNow().UtcDateTime)), ("returnUrl", "/account/profile"));

        // Assert
        Assert.Equal("/account/mfa?error=invalid", replay.Headers.Location!.OriginalString);
        Assert.Null(CookieValue(replay, "portal.auth"));
        Assert.Equal("/account/profile", fresh.Headers.Location!.OriginalString);
        var full = _app.TicketOf(fresh, PortalAuthenticationDefaults.CookieScheme)!;
        Assert.Equal(["pwd", "mfa"], Amr(full));
        Assert.False(IsAdministrator(full.Principal));
    }

    [Fact]
    public async Task Verify_WithoutPartialCookie_RedirectsToSignIn()
    {
        // Arrange
        var client = _app.CreateClient();
        var (_, token) = await GetFormAsync(client, "/account/signin");

        // Act
        var response = await PostAsync(client, "/account/mfa", token, ("code", "123456"));

        // Assert
        Assert.Equal("/account/signin", response.Headers.Location!.OriginalString);
        Assert.Null(CookieValue(response, "portal.auth"));
    }

    [Theory]
    [InlineData("https://evil.test/")]
    [InlineData("//evil.test/")]
    [InlineData("/\\evil.test/")]
    [InlineData("\\\\evil.test/")]
    public async Task SignIn_OffSiteReturnUrl_IsDropped(string returnUrl)
    {
        // Arrange
        var (user, password) = await _app.CreateUserAsync();
        var client = _app.CreateClient();

        // Act
        var response = await SignInAsync(client, user.Name, password, returnUrl);

        // Assert
        Assert.Equal("/account/mfa", response.Headers.Location!.OriginalString);
    }

    [Theory]
    [InlineData("/account/signin")]
    [InlineData("/account/mfa")]
    [InlineData("/account/mfa/enrol")]
    [InlineData("/account/signout")]
    public async Task Post_WithoutAntiforgeryToken_IsRejected(string path)
    {
        // Arrange: SECURITY-CASES 104a, a cross-site form post carries cookies but no token.
        var (user, password) = await _app.CreateUserAsync();
        var client = _app.CreateClient();
        await GetFormAsync(client, "/account/signin");

        // Act
        var response = await PostAsync(client, path, token: null, ("userName", user.Name), ("password", password), ("code", "123456"));

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(CookieValue(response, "portal.partial"));
    }

    [Fact]
    public async Task SignOut_AfterFullSignIn_ClearsTheCookie()
    {
        // Arrange
        var (user, password) = await _app.CreateUserAsync();
        var client = _app.CreateClient();
        await EnrolAsync(client, user.Name, password);
        var (_, token) = await GetFormAsync(client, "/account/profile");

        // Act
        var response = await PostAsync(client, "/account/signout", token);
        var profile = await client.GetAsync(new Uri("/account/profile", UriKind.Relative));

        // Assert
        Assert.Equal("/account/signin?signedOut=1", response.Headers.Location!.OriginalString);
        Assert.Contains("portal.auth=;", string.Join('\n', response.Headers.GetValues("Set-Cookie")), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, profile.StatusCode);
    }

    [Fact]
    public async Task BootstrapAdmin_ConfiguredPassword_SignsInAndMustEnrol()
    {
        // Arrange
        var client = _app.CreateClient();

        // Act
        var response = await SignInAsync(client, "admin", AdminPassword);
        var (html, _) = await GetFormAsync(client, response.Headers.Location!.OriginalString);

        // Assert
        Assert.Equal("/account/mfa", response.Headers.Location!.OriginalString);
        Assert.Matches(SecretPattern(), html);
        Assert.Contains("otpauth://totp/", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AccountPages_CarryNoStoreAndNoFramingHeaders()
    {
        // Arrange
        var client = _app.CreateClient();

        // Act
        var response = await client.GetAsync(new Uri("/account/signin", UriKind.Relative));

        // Assert: cases 102g and 104c.
        Assert.True(response.Headers.CacheControl!.NoStore);
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Fact]
    public async Task SignIn_MorePostsThanThePerIpLimit_AreThrottled()
    {
        // Arrange
        using var isolated = new PortalAppFactory();
        using var limited = isolated.WithWebHostBuilder(builder => builder.UseSetting("LocalSignIn:PermitsPerMinutePerIp", "2"));
        var client = _app.CreateClient(limited);
        await SignInAsync(client, "nosuchuser", "x");
        await SignInAsync(client, "nosuchuser", "x");

        // Act
        var response = await SignInAsync(client, "nosuchuser", "x");

        // Assert
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
    }

    private async Task<Totp> EnrolAsync(HttpClient client, string userName, string password)
    {
        await SignInAsync(client, userName, password);
        var (html, token) = await GetFormAsync(client, "/account/mfa");
        var totp = new Totp(Base32Encoding.ToBytes(SecretPattern().Match(html).Groups[1].Value));
        var now = _app.Time.GetUtcNow().UtcDateTime;
        var response = await PostAsync(client, "/account/mfa/enrol", token, ("code1", totp.ComputeTotp(now)), ("code2", totp.ComputeTotp(now + Step)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return totp;
    }

    [GeneratedRegex("<code id=\"totp-secret\">([A-Z2-7]+)</code>")]
    private static partial Regex SecretPattern();

    [GeneratedRegex("<li><code>[A-Z0-9]{5}-[A-Z0-9]{5}</code></li>")]
    private static partial Regex RecoveryCodePattern();
}
