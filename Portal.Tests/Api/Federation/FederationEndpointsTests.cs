using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Credentials;

namespace Portal.Tests.Api.Federation;

public sealed class FederationEndpointsTests : IClassFixture<FederationHost>
{
    private const string ConsoleCookie = "PortalConsole=";
    private readonly FederationHost _host;

    public FederationEndpointsTests(FederationHost host) => _host = host;

    // ---- getSigninToken ---------------------------------------------------------------------------------------------

    [Fact]
    public async Task GetSigninToken_RoleCredentials_ReturnsJsonSigninTokenNotCached()
    {
        // Arrange
        var creds = await _host.AssumeRoleAsync();
        var browser = _host.CreateBrowser();

        // Act
        var response = await browser.GetAsync(SigninTokenUri(creds.SessionJson(), "&SessionDuration=43200"));

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("SigninToken").GetString()));
    }

    [Fact]
    public async Task GetSigninToken_PostedForm_ReturnsSigninToken()
    {
        // Arrange (STS-SPEC §6: GET and POST form are both supported)
        var creds = await _host.AssumeRoleAsync();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["Action"] = "getSigninToken", ["Session"] = creds.SessionJson() });

        // Act
        var response = await _host.CreateBrowser().PostAsync(new Uri("/federation", UriKind.Relative), form);

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task GetSigninToken_WrongSecret_IsForbiddenInvalidClientTokenId()
    {
        // Arrange
        var creds = await _host.AssumeRoleAsync();

        // Act
        var (status, code) = await GetSigninTokenErrorAsync(creds.SessionJson(secret: "wrongSecretwrongSecretwrongSecretwrong000"));

        // Assert
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("InvalidClientTokenId", code);
    }

    [Fact]
    public async Task GetSigninToken_ForgedSessionToken_IsForbiddenInvalidClientTokenId()
    {
        // Arrange
        var creds = await _host.AssumeRoleAsync();
        var forged = creds with { SessionToken = creds.SessionToken[..^4] + "AAAA" };

        // Act
        var (status, code) = await GetSigninTokenErrorAsync(forged.SessionJson());

        // Assert
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("InvalidClientTokenId", code);
    }

    [Fact]
    public async Task GetSigninToken_ExpiredCredentials_IsForbiddenExpiredToken()
    {
        // Arrange
        var creds = await _host.AssumeRoleAsync(durationSeconds: 900);
        _host.Time.Advance(TimeSpan.FromSeconds(901));

        // Act
        var (status, code) = await GetSigninTokenErrorAsync(creds.SessionJson());

        // Assert
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("ExpiredToken", code);
    }

    [Fact]
    public async Task GetSigninToken_RevokedCredentials_IsForbiddenAccessDenied()
    {
        // Arrange
        var creds = await _host.AssumeRoleAsync();
        await RevokeAsync(creds);

        // Act
        var (status, code) = await GetSigninTokenErrorAsync(creds.SessionJson());

        // Assert
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("AccessDenied", code);
    }

    [Fact]
    public async Task GetSigninToken_GetSessionTokenCredentials_IsForbiddenAccessDenied()
    {
        // Arrange (STS-SPEC §1.0.2)
        var creds = await _host.GetSessionTokenAsync();

        // Act
        var (status, code) = await GetSigninTokenErrorAsync(creds.SessionJson());

        // Assert
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("AccessDenied", code);
    }

    [Theory]
    [InlineData("899")]
    [InlineData("43201")]
    [InlineData("twelve-hours")]
    public async Task GetSigninToken_SessionDurationOutsideRange_IsBadRequest(string duration)
    {
        // Arrange (SECURITY-CASES 97a)
        var creds = await _host.AssumeRoleAsync();

        // Act
        var (status, code) = await GetSigninTokenErrorAsync(creds.SessionJson(), "&SessionDuration=" + duration);

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("ValidationError", code);
    }

    [Fact]
    public async Task GetSigninToken_RoleChainedCredentialsWithTwelveHourSession_IsBadRequest()
    {
        // Arrange (STS-SPEC §6.1, SECURITY-CASES 97b)
        var creds = await _host.AssumeRoleByChainingAsync();

        // Act
        var (status, code) = await GetSigninTokenErrorAsync(creds.SessionJson(), "&SessionDuration=43200");

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("ValidationError", code);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("[1,2]")]
    [InlineData("{\"sessionId\":\"ASIAX\"}")]
    public async Task GetSigninToken_MalformedSessionJson_IsBadRequestNeverServerError(string session)
    {
        // Act
        var (status, code) = await GetSigninTokenErrorAsync(session);

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(code is "InvalidParameterValue" or "MissingParameter", code);
    }

    [Theory]
    [InlineData("/federation", "MissingAction")]
    [InlineData("/federation?Action=GetSigninToken", "InvalidAction")]
    [InlineData("/federation?Action=login&Action=getSigninToken", "ValidationError")]
    [InlineData("/federation?Action=getSigninToken&Session=%zz", "InvalidParameterValue")]
    [InlineData("/federation?Action=getSigninToken", "MissingParameter")]
    public async Task Federation_BadActionOrParameters_IsBadRequest(string uri, string expectedCode)
    {
        // Act
        var response = await _host.CreateBrowser().GetAsync(new Uri(uri, UriKind.Relative));

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(expectedCode, json.RootElement.GetProperty("Error").GetProperty("Code").GetString());
    }

    // ---- login ------------------------------------------------------------------------------------------------------

    [Fact]
    public async Task Login_FreshToken_RedirectsWithHardenedCookieAndConsoleShowsArn()
    {
        // Arrange
        var creds = await _host.AssumeRoleAsync();
        var browser = _host.CreateBrowser();
        var token = await SigninTokenAsync(creds);

        // Act
        var response = await browser.GetAsync(LoginUri(token, "/console"));

        // Assert
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("/console", response.Headers.Location!.OriginalString);
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.True(response.Headers.CacheControl!.NoStore);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(ConsoleCookie, StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);

        var console = await browser.GetAsync(new Uri("/console", UriKind.Relative));
        var html = await console.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, console.StatusCode);
        Assert.Contains(creds.Arn, html, StringComparison.Ordinal);
        Assert.Contains(" UTC", html, StringComparison.Ordinal);
        Assert.Equal("DENY", console.Headers.GetValues("X-Frame-Options").Single());
        Assert.Contains("frame-ancestors 'none'", console.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("no-store", console.Headers.CacheControl!.ToString());
    }

    [Fact]
    public async Task Login_DestinationOnAllowedOrigin_RedirectsThere()
    {
        // Arrange
        var creds = await _host.AssumeRoleAsync();
        var token = await SigninTokenAsync(creds);

        // Act
        var response = await _host.CreateBrowser().GetAsync(LoginUri(token, FederationHost.AllowedOrigin + "/home?tab=1"));

        // Assert
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal(FederationHost.AllowedOrigin + "/home?tab=1", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Login_SecondRedemption_IsForbiddenWithoutCookie()
    {
        // Arrange (SECURITY-CASES 97d)
        var creds = await _host.AssumeRoleAsync();
        var token = await SigninTokenAsync(creds);
        Assert.Equal(HttpStatusCode.Found, (await _host.CreateBrowser().GetAsync(LoginUri(token, "/console"))).StatusCode);

        // Act
        var response = await _host.CreateBrowser().GetAsync(LoginUri(token, "/console"));

        // Assert
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(SetsConsoleCookie(response));
    }

    [Fact]
    public async Task Login_TokenOlderThanFifteenMinutes_IsForbidden()
    {
        // Arrange (SECURITY-CASES 97c)
        var creds = await _host.AssumeRoleAsync();
        var token = await SigninTokenAsync(creds);
        _host.Time.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(1));

        // Act
        var response = await _host.CreateBrowser().GetAsync(LoginUri(token, "/console"));

        // Assert
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("expired", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(SetsConsoleCookie(response));
    }

    [Fact]
    public async Task Login_TamperedToken_IsForbidden()
    {
        // Arrange
        var creds = await _host.AssumeRoleAsync();
        var token = await SigninTokenAsync(creds);
        var i = token.Length / 2;
        var tampered = token[..i] + (token[i] == 'x' ? 'y' : 'x') + token[(i + 1)..];

        // Act
        var response = await _host.CreateBrowser().GetAsync(LoginUri(tampered, "/console"));

        // Assert
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(SetsConsoleCookie(response));
    }

    [Theory]
    [InlineData("https%3A%2F%2Fevil.test")]
    [InlineData("HTTPS%3A%2F%2Fevil.test%2Fconsole")]
    [InlineData("%2F%2Fevil.test")]
    [InlineData("%2F%2F%2Fevil.test")]
    [InlineData("%2F%5Cevil.test")]
    [InlineData("%5C%5Cevil.test")]
    [InlineData("%2F%255Cevil.test")]
    [InlineData("%2F%252F%252Fevil.test")]
    [InlineData("%2F%09%2Fevil.test")]
    [InlineData("%09%2F%2Fevil.test")]
    [InlineData("%20%2F%2Fevil.test")]
    [InlineData("https%3Aevil.test")]
    [InlineData("https%3A%2Fevil.test")]
    [InlineData("%0d%0aLocation:%20https://evil.test")]
    [InlineData("%2Fconsole%0d%0aSet-Cookie:%20x=1")]
    [InlineData("javascript:alert(1)")]
    [InlineData("JaVaScRiPt%3Aalert(1)")]
    [InlineData("data:text/html,%3Cscript%3Ealert(1)%3C%2Fscript%3E")]
    [InlineData("https%3A%2F%2Fconsole.portal.test.evil.test%2F")]
    [InlineData("https%3A%2F%2Fconsole.portal.test%40evil.test%2F")]
    [InlineData("https%3A%2F%2Fuser%3Apass%40console.portal.test%2F")]
    [InlineData("http%3A%2F%2Fconsole.portal.test%2F")]
    [InlineData("https%3A%2F%2Fconsole.portal.test%3A8443%2F")]
    [InlineData("https%3A%2F%2Fconsole.portal.test%5C%40evil.test%2F")]
    [InlineData("%EF%BC%8F%EF%BC%8Fevil.test")]
    [InlineData("evil.test")]
    [InlineData("")]
    public async Task Login_DestinationOutsidePortalAndAllowList_IsBadRequestAndTokenStaysUnused(string encodedDestination)
    {
        // Arrange (SECURITY-CASES 98)
        var creds = await _host.AssumeRoleAsync();
        var token = await SigninTokenAsync(creds);
        var browser = _host.CreateBrowser();

        // Act
        var response = await browser.GetAsync(new Uri($"/federation?Action=login&SigninToken={Uri.EscapeDataString(token)}&Destination={encodedDestination}", UriKind.Relative));

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.False(SetsConsoleCookie(response));
        Assert.Equal(HttpStatusCode.Found, (await browser.GetAsync(LoginUri(token, "/console"))).StatusCode);
    }

    [Theory]
    [InlineData("https://evil.test/")]
    [InlineData("//evil.test")]
    [InlineData("javascript:alert(1)")]
    public async Task Login_IssuerOutsidePortalAndAllowList_IsBadRequest(string issuer)
    {
        // Arrange (SECURITY-CASES 98: Issuer is where "session expired" sends the user)
        var creds = await _host.AssumeRoleAsync();
        var token = await SigninTokenAsync(creds);

        // Act
        var response = await _host.CreateBrowser().GetAsync(LoginUri(token, "/console", issuer));

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(SetsConsoleCookie(response));
    }

    // ---- console ----------------------------------------------------------------------------------------------------

    [Fact]
    public async Task Console_WithoutSession_IsUnauthorized()
    {
        // Act
        var response = await _host.CreateBrowser().GetAsync(new Uri("/console", UriKind.Relative));

        // Assert
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Console_CredentialsRevokedAfterLogin_StopsWorkingOnNextRequest()
    {
        // Arrange
        var creds = await _host.AssumeRoleAsync();
        var browser = await SignedInBrowserAsync(creds);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(new Uri("/console", UriKind.Relative))).StatusCode);
        await RevokeAsync(creds);

        // Act
        var response = await browser.GetAsync(new Uri("/console", UriKind.Relative));

        // Assert
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain(creds.Arn, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Console_CredentialsExpiredAfterLogin_StopsWorking()
    {
        // Arrange
        var creds = await _host.AssumeRoleAsync(durationSeconds: 900);
        var browser = await SignedInBrowserAsync(creds);
        _host.Time.Advance(TimeSpan.FromSeconds(900));

        // Act
        var response = await browser.GetAsync(new Uri("/console", UriKind.Relative));

        // Assert: the cookie itself expires with the credentials (401) or the re-check refuses them (403).
        Assert.True(response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, response.StatusCode.ToString());
    }

    [Fact]
    public async Task Console_Simulator_AnswersAllowedWithDecidingStatementAndDenied()
    {
        // Arrange
        const string policy = """{"Version":"2012-10-17","Statement":[{"Sid":"ReadReports","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::reports/*"}]}""";
        var creds = await _host.AssumeRoleAsync(policy);
        var browser = await SignedInBrowserAsync(creds);

        // Act
        var allowed = await browser.GetStringAsync(new Uri("/console?action=s3:GetObject&resource=" + Uri.EscapeDataString("arn:aws:s3:::reports/q1.csv"), UriKind.Relative));
        var denied = await browser.GetStringAsync(new Uri("/console?action=s3:PutObject&resource=" + Uri.EscapeDataString("arn:aws:s3:::reports/q1.csv"), UriKind.Relative));

        // Assert
        Assert.Contains("class=\"allowed\"", Simulation(allowed), StringComparison.Ordinal);
        Assert.Contains("ReadReports", Simulation(allowed), StringComparison.Ordinal);
        Assert.Contains("class=\"denied\"", Simulation(denied), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/console?action=not-an-action")]
    [InlineData("/console?action=s3:Get%3Cscript%3E")]
    [InlineData("/console?resource=arn:aws:s3:::x")]
    [InlineData("/console?action=s3:GetObject&action=s3:PutObject")]
    public async Task Console_SimulatorBadInput_IsBadRequest(string uri)
    {
        // Arrange
        var creds = await _host.AssumeRoleAsync();
        var browser = await SignedInBrowserAsync(creds);

        // Act
        var response = await browser.GetAsync(new Uri(uri, UriKind.Relative));

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Logs_FullSigninFlow_NeverContainTokensOrSecrets()
    {
        // Arrange
        var creds = await _host.AssumeRoleAsync();
        var browser = _host.CreateBrowser();

        // Act
        var token = await SigninTokenAsync(creds);
        await browser.GetAsync(LoginUri(token, "/console"));
        await browser.GetAsync(LoginUri(token, "/console"));
        await browser.GetAsync(new Uri("/console", UriKind.Relative));
        await GetSigninTokenErrorAsync(creds.SessionJson(secret: "wrongSecretwrongSecretwrongSecretwrong000"));

        // Assert
        Assert.NotEmpty(_host.Logs.Messages);
        foreach (var message in _host.Logs.Messages)
        {
            Assert.DoesNotContain(creds.SecretAccessKey, message, StringComparison.Ordinal);
            Assert.DoesNotContain(creds.SessionToken[..40], message, StringComparison.Ordinal);
            Assert.DoesNotContain(Uri.EscapeDataString(creds.SessionToken[..40]), message, StringComparison.Ordinal);
            Assert.DoesNotContain(token[..40], message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Login_FromAnotherSite_ShowsWhoTheSessionIsAndConsumesNothing()
    {
        // Arrange (SECURITY-CASES 97e: login CSRF)
        var creds = await _host.AssumeRoleAsync();
        var token = await SigninTokenAsync(creds);
        var browser = _host.CreateBrowser(sameOrigin: false);

        // Act
        var response = await browser.GetAsync(LoginUri(token, "/console"));
        var page = await response.Content.ReadAsStringAsync();

        // Assert: a confirmation naming the ARN, no console cookie, no redirect; the token is still usable.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(creds.Arn, page, StringComparison.Ordinal);
        Assert.Contains("method=\"post\"", page, StringComparison.Ordinal);
        Assert.Null(response.Headers.Location);
        Assert.False(SetsConsoleCookie(response));
        Assert.Equal(HttpStatusCode.Found, (await _host.CreateBrowser().GetAsync(LoginUri(token, "/console"))).StatusCode);
    }

    [Fact]
    public async Task Login_ConfirmedWithItsForm_SignsInAndRedirects()
    {
        // Arrange
        var creds = await _host.AssumeRoleAsync();
        var token = await SigninTokenAsync(creds);
        var browser = _host.CreateBrowser(sameOrigin: false);
        var page = await (await browser.GetAsync(LoginUri(token, "/console"))).Content.ReadAsStringAsync();
        var fields = System.Text.RegularExpressions.Regex.Matches(page, "<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">")
            .ToDictionary(m => System.Net.WebUtility.HtmlDecode(m.Groups[1].Value), m => System.Net.WebUtility.HtmlDecode(m.Groups[2].Value));

        // Act
        using var form = new FormUrlEncodedContent(fields);
        var response = await browser.PostAsync(new Uri("/federation", UriKind.Relative), form);

        // Assert
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("/console", response.Headers.Location!.OriginalString);
        Assert.True(SetsConsoleCookie(response));
    }

    [Fact]
    public async Task Login_PostWithoutAntiforgeryToken_IsRefusedAndConsumesNothing()
    {
        // Arrange: a forged cross-site form post of the login.
        var creds = await _host.AssumeRoleAsync();
        var token = await SigninTokenAsync(creds);
        var browser = _host.CreateBrowser(sameOrigin: false);

        // Act
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["Action"] = "login", ["SigninToken"] = token, ["Destination"] = "/console" });
        var response = await browser.PostAsync(new Uri("/federation", UriKind.Relative), form);

        // Assert
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(SetsConsoleCookie(response));
        Assert.Equal(HttpStatusCode.Found, (await _host.CreateBrowser().GetAsync(LoginUri(token, "/console"))).StatusCode);
    }

    // ---- helpers ----------------------------------------------------------------------------------------------------

    private static Uri SigninTokenUri(string sessionJson, string extra = "") =>
        new("/federation?Action=getSigninToken&Session=" + Uri.EscapeDataString(sessionJson) + extra, UriKind.Relative);

    private static Uri LoginUri(string token, string destination, string? issuer = null) =>
        new("/federation?Action=login&SigninToken=" + Uri.EscapeDataString(token) + "&Destination=" + Uri.EscapeDataString(destination)
            + (issuer is null ? string.Empty : "&Issuer=" + Uri.EscapeDataString(issuer)), UriKind.Relative);

    private async Task<string> SigninTokenAsync(TempCredentials creds)
    {
        var response = await _host.CreateBrowser().GetAsync(SigninTokenUri(creds.SessionJson()));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("SigninToken").GetString()!;
    }

    private async Task<(HttpStatusCode Status, string? Code)> GetSigninTokenErrorAsync(string sessionJson, string extra = "")
    {
        var response = await _host.CreateBrowser().GetAsync(SigninTokenUri(sessionJson, extra));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, json.RootElement.GetProperty("Error").GetProperty("Code").GetString());
    }

    private async Task<HttpClient> SignedInBrowserAsync(TempCredentials creds)
    {
        var browser = _host.CreateBrowser();
        var response = await browser.GetAsync(LoginUri(await SigninTokenAsync(creds), "/console"));
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        return browser;
    }

    private Task RevokeAsync(TempCredentials creds) =>
        _host.Services.GetRequiredService<RevocationList>().RevokePrincipalAsync(creds.RoleArn, CancellationToken.None);

    private static bool SetsConsoleCookie(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith(ConsoleCookie, StringComparison.Ordinal));

    private static string Simulation(string html)
    {
        var start = html.IndexOf("<table id=\"simulation\">", StringComparison.Ordinal);
        Assert.True(start >= 0, "no simulation result on the page");
        return html[start..];
    }
}
