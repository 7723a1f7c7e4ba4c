using System.Net;
using System.Text.RegularExpressions;
using System.Xml;
using Portal.Authentication.Saml2;
using Portal.Authentication.Saml2.Logout;
using Portal.Core.Audit;
using Portal.Core.Federation.Saml;
using Portal.Tests.Core.Federation.Saml;

namespace Portal.Tests.Api.Saml2;

/// <summary>
/// SAML Single Logout over HTTP-Redirect through the real host (SAML Profiles §4.4): SP-initiated from the portal's
/// sign-out, the IdP's LogoutResponse, and IdP-initiated LogoutRequests; every refusal is the failure page plus an
/// audited reason code, and never clears (or keeps) a session it should not.
/// </summary>
public sealed partial class Saml2LogoutTests : IClassFixture<Saml2AppFactory>
{
    private const string Slo = "CorpSlo";
    private const string SloEntityId = "https://idp-slo.test/";
    private const string IdpSloUrl = "https://idp-slo.test/slo";
    private const string NoSlo = "CorpNoSlo";
    private const string NoSloEntityId = "https://idp-noslo.test/";
    private const string SpSloUrl = "https://portal.test/saml/slo";
    private const string EmailFormat = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress";
    private readonly Saml2AppFactory _factory;

    public Saml2LogoutTests(Saml2AppFactory factory) => _factory = factory;

    [Fact]
    public async Task SignOut_SamlSessionWithIdpSlo_ClearsCookieAndRedirectsWithSignedLogoutRequest()
    {
        // Arrange
        var browser = _factory.CreateBrowser();
        var auth = await SignInAsync(browser, Slo, SloEntityId);

        // Act
        var result = await SignOutAsync(browser, auth);

        // Assert: SAML Bindings §3.4.4.1, signed with the SP key over the query as sent.
        Assert.Equal(HttpStatusCode.Redirect, result.Status);
        Assert.StartsWith(IdpSloUrl + "?SAMLRequest=", result.Location!.AbsoluteUri, StringComparison.Ordinal);
        Assert.Contains(result.SetCookies, c => c.StartsWith("portal.auth=;", StringComparison.Ordinal));
        var message = SamlRedirectBinding.Parse(result.Location.Query).Value!;
        Assert.True(SamlRedirectBinding.Verify(message, [TestIdp.Sp]).Succeeded);
        Assert.Equal(SamlRedirectBinding.RsaSha256, message.SigAlg);
        var request = TestIdp.Load(message.Xml).DocumentElement!;
        Assert.Equal("LogoutRequest", request.LocalName);
        Assert.Equal(IdpSloUrl, request.GetAttribute("Destination"));
        Assert.Equal(TestIdp.SpEntityId, TestIdp.First(request, "Issuer").InnerText);
        var nameId = TestIdp.First(request, "NameID");
        Assert.Equal("alice@corp.test", nameId.InnerText);
        Assert.Equal(EmailFormat, nameId.GetAttribute("Format"));
        Assert.Equal("_s1", TestIdp.First(request, "SessionIndex", SamlNs.Protocol).InnerText);
    }

    [Fact]
    public async Task SignOut_IdpWithoutSlo_SignsOutLocallyOnly()
    {
        // Arrange
        var browser = _factory.CreateBrowser();
        var auth = await SignInAsync(browser, NoSlo, NoSloEntityId);

        // Act
        var result = await SignOutAsync(browser, auth);

        // Assert
        Assert.Equal(Saml2LogoutService.SignedOutPath, result.Location!.OriginalString);
        Assert.Contains(result.SetCookies, c => c.StartsWith("portal.auth=;", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LogoutResponse_ValidForPendingRequest_LandsOnSignedOutPage()
    {
        // Arrange
        var (browser, requestId, relayState, state) = await BeginLogoutAsync();
        var query = SamlRedirectBinding.EncodeQuery(SamlRedirectBinding.ResponseParameter, LogoutResponse(requestId), relayState, TestIdp.Idp);

        // Act
        var result = await GetSloAsync(browser, query, state);

        // Assert
        Assert.Equal(HttpStatusCode.Redirect, result.Status);
        Assert.Equal(Saml2LogoutService.SignedOutPath, result.Location!.OriginalString);
        var audit = await _factory.LastAuditAsync(Saml2Defaults.LogoutAuditAction);
        Assert.Equal(nameof(AuditDecision.Allow), audit.Decision);
    }

    [Fact]
    public async Task LogoutResponse_ReplayedAfterSuccess_IsRejected()
    {
        // Arrange: the browser kept the state cookie (deletion relies on it); the shared store still refuses the second use.
        var (browser, requestId, relayState, state) = await BeginLogoutAsync();
        var query = SamlRedirectBinding.EncodeQuery(SamlRedirectBinding.ResponseParameter, LogoutResponse(requestId), relayState, TestIdp.Idp);
        await GetSloAsync(browser, query, state);

        // Act
        var result = await GetSloAsync(browser, query, state);

        // Assert
        await AssertRejectedAsync(result, "IN_RESPONSE_TO");
    }

    public static TheoryData<string, string> ForgedResponses => new()
    {
        { "unregistered key", "SIG_INVALID" },
        { "unsigned", "SIG_MISSING" },
        { "sha1", "BINDING_SIG" },
        { "other InResponseTo", "IN_RESPONSE_TO" },
        { "wrong issuer", "ISSUER" },
        { "wrong destination", "DESTINATION" },
        { "responder status", "STATUS" },
        { "no state cookie", "IN_RESPONSE_TO" },
    };

    [Theory]
    [MemberData(nameof(ForgedResponses))]
    public async Task LogoutResponse_Forged_IsFailurePageAndAudited(string mutation, string reason)
    {
        // Arrange: a valid response broken in one place.
        var (browser, requestId, relayState, state) = await BeginLogoutAsync();
        var xml = LogoutResponse(
            mutation == "other InResponseTo" ? "_other" : requestId,
            issuer: mutation == "wrong issuer" ? TestIdp.EntityId : SloEntityId,
            destination: mutation == "wrong destination" ? "https://evil.test/slo" : SpSloUrl,
            status: mutation == "responder status" ? "urn:oasis:names:tc:SAML:2.0:status:Responder" : LogoutStatusSuccess);
        var query = mutation switch
        {
            "unregistered key" => SamlRedirectBinding.EncodeQuery(SamlRedirectBinding.ResponseParameter, xml, relayState, TestIdp.Evil),
            "unsigned" => SamlRedirectBinding.EncodeQuery(SamlRedirectBinding.ResponseParameter, xml, relayState, null),
            "sha1" => SamlRedirectBindingTests.SignedQuery("http://www.w3.org/2000/09/xmldsig#rsa-sha1", System.Security.Cryptography.HashAlgorithmName.SHA1, message: xml, relayState: relayState),
            _ => SamlRedirectBinding.EncodeQuery(SamlRedirectBinding.ResponseParameter, xml, relayState, TestIdp.Idp),
        };

        // Act
        var result = await GetSloAsync(browser, query, mutation == "no state cookie" ? null : state);

        // Assert
        await AssertRejectedAsync(result, reason);
    }

    [Fact]
    public async Task LogoutRequest_FromIdpForCurrentSession_ClearsCookieAndAnswersSignedResponse()
    {
        // Arrange
        var browser = _factory.CreateBrowser();
        var auth = await SignInAsync(browser, Slo, SloEntityId);
        var requestId = NewId();
        var query = SamlRedirectBinding.EncodeQuery(SamlRedirectBinding.RequestParameter, LogoutRequest(requestId), "idp-state", TestIdp.Idp);

        // Act
        var result = await GetSloAsync(browser, query, auth);

        // Assert: the cookie is cleared and the answer is a LogoutResponse signed with the SP key, RelayState echoed.
        Assert.Equal(HttpStatusCode.Redirect, result.Status);
        Assert.Contains(result.SetCookies, c => c.StartsWith("portal.auth=;", StringComparison.Ordinal));
        Assert.StartsWith(IdpSloUrl + "?SAMLResponse=", result.Location!.AbsoluteUri, StringComparison.Ordinal);
        var message = SamlRedirectBinding.Parse(result.Location.Query).Value!;
        Assert.True(SamlRedirectBinding.Verify(message, [TestIdp.Sp]).Succeeded);
        Assert.Equal("idp-state", message.RelayState);
        var response = TestIdp.Load(message.Xml).DocumentElement!;
        Assert.Equal("LogoutResponse", response.LocalName);
        Assert.Equal(requestId, response.GetAttribute("InResponseTo"));
        Assert.Equal(IdpSloUrl, response.GetAttribute("Destination"));
        Assert.Equal(LogoutStatusSuccess, TestIdp.First(response, "StatusCode", SamlNs.Protocol).GetAttribute("Value"));
    }

    public static TheoryData<string, string> ForgedRequests => new()
    {
        { "unsigned", "SIG_MISSING" },
        { "unregistered key", "SIG_INVALID" },
        { "unknown issuer", "ISSUER" },
        { "other registered IdP", "ISSUER" },
        { "expired", "EXPIRED" },
        { "other NameID", "NAMEID" },
        { "other NameID format", "NAMEID" },
        { "other SessionIndex", "SESSION_INDEX" },
        { "wrong destination", "DESTINATION" },
        { "wrapped assertion, unsigned", "SIG_MISSING" },
        { "wrapped assertion, query-signed", "SIG_REF_NOT_PARENT" },
    };

    [Theory]
    [MemberData(nameof(ForgedRequests))]
    public async Task LogoutRequest_Forged_IsRejectedAndKeepsTheSession(string mutation, string reason)
    {
        // Arrange: a valid IdP-initiated request broken in one place.
        var browser = _factory.CreateBrowser();
        var auth = await SignInAsync(browser, Slo, SloEntityId);
        var issuer = mutation switch
        {
            "unknown issuer" => "https://unknown.test/",
            "other registered IdP" => NoSloEntityId,
            _ => SloEntityId,
        };
        var xml = LogoutRequest(
            NewId(),
            issuer: issuer,
            nameId: mutation == "other NameID" ? "bob@corp.test" : "alice@corp.test",
            format: mutation == "other NameID format" ? "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent" : EmailFormat,
            sessionIndex: mutation == "other SessionIndex" ? "_s2" : "_s1",
            notOnOrAfter: mutation == "expired" ? TestIdp.Now.AddMinutes(-10) : TestIdp.Now.AddMinutes(5),
            destination: mutation == "wrong destination" ? "https://evil.test/slo" : SpSloUrl,
            wrapped: mutation.StartsWith("wrapped", StringComparison.Ordinal) ? CapturedSignedAssertion() : null);
        var query = mutation switch
        {
            "unsigned" or "wrapped assertion, unsigned" => SamlRedirectBinding.EncodeQuery(SamlRedirectBinding.RequestParameter, xml, null, null),
            "unregistered key" => SamlRedirectBinding.EncodeQuery(SamlRedirectBinding.RequestParameter, xml, null, TestIdp.Evil),
            "other registered IdP" => SamlRedirectBinding.EncodeQuery(SamlRedirectBinding.RequestParameter, xml, null, TestIdp.Idp2),
            _ => SamlRedirectBinding.EncodeQuery(SamlRedirectBinding.RequestParameter, xml, null, TestIdp.Idp),
        };

        // Act
        var result = await GetSloAsync(browser, query, auth);

        // Assert
        await AssertRejectedAsync(result, reason);
        Assert.DoesNotContain(result.SetCookies, c => c.StartsWith("portal.auth", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LogoutRequest_Replayed_IsRejected()
    {
        // Arrange
        var browser = _factory.CreateBrowser();
        var auth = await SignInAsync(browser, Slo, SloEntityId);
        var query = SamlRedirectBinding.EncodeQuery(SamlRedirectBinding.RequestParameter, LogoutRequest(NewId()), null, TestIdp.Idp);
        await GetSloAsync(browser, query, auth);
        var again = await SignInAsync(browser, Slo, SloEntityId);

        // Act
        var result = await GetSloAsync(browser, query, again);

        // Assert
        await AssertRejectedAsync(result, "REPLAY");
    }

    [Fact]
    public async Task Metadata_WithSpKey_PublishesRedirectSingleLogoutService()
    {
        // Arrange
        await RegisterAsync();
        var browser = _factory.CreateBrowser();

        // Act
        var response = await browser.GetAsync(new Uri("/saml/metadata", UriKind.Relative));

        // Assert
        var document = TestIdp.Load(await response.Content.ReadAsStringAsync());
        var slo = Assert.Single(document.GetElementsByTagName("SingleLogoutService", "urn:oasis:names:tc:SAML:2.0:metadata").Cast<XmlElement>());
        Assert.Equal("urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect", slo.GetAttribute("Binding"));
        Assert.Equal(SpSloUrl, slo.GetAttribute("Location"));
    }

    private const string LogoutStatusSuccess = "urn:oasis:names:tc:SAML:2.0:status:Success";

    private async Task RegisterAsync()
    {
        await _factory.RegisterMetadataAsync(Slo, Saml2AppFactory.MetadataWithSlo(SloEntityId, IdpSloUrl, TestIdp.Idp), new SamlProviderSettings());
        await _factory.RegisterProviderAsync(NoSlo, NoSloEntityId, new SamlProviderSettings(), TestIdp.Idp2);
    }

    /// <summary>SP-initiated sign-in and ACS; returns the portal cookie(s) as a Cookie header value.</summary>
    private async Task<string> SignInAsync(HttpClient browser, string provider, string entityId)
    {
        await RegisterAsync();
        var (request, relayState, _, cookies) = await Saml2Browser.ChallengeAsync(browser, provider);
        var response = TestIdp.CreateResponse(requestId: request.DocumentElement!.GetAttribute("ID"), issuer: entityId);
        TestIdp.Assertion(response).SetAttribute("ID", NewId());
        TestIdp.SignAssertion(response, provider == Slo ? TestIdp.Idp : TestIdp.Idp2);
        var result = await Saml2Browser.PostAcsAsync(browser, TestIdp.Encode(response), relayState, cookies);
        Assert.True(result.SetsAuthCookie, result.Body);
        return CookieHeader(result.SetCookies, "portal.auth");
    }

    /// <summary>The sign-out form post as the layout sends it: with the antiforgery token of a page rendered for this person.</summary>
    private static async Task<BrowserResult> SignOutAsync(HttpClient browser, string auth)
    {
        using var get = new HttpRequestMessage(HttpMethod.Get, new Uri("/", UriKind.Relative));
        get.Headers.Add("Cookie", auth);
        var page = await BrowserResult.FromAsync(await browser.SendAsync(get));
        var token = TokenPattern().Match(page.Body).Groups[1].Value;
        Assert.NotEmpty(token);
        using var post = new HttpRequestMessage(HttpMethod.Post, new Uri("/account/signout", UriKind.Relative))
        {
            Content = new FormUrlEncodedContent([KeyValuePair.Create("__RequestVerificationToken", token)]),
        };
        post.Headers.Add("Cookie", auth + "; " + CookieHeader(page.SetCookies, ".AspNetCore.Antiforgery"));
        return await BrowserResult.FromAsync(await browser.SendAsync(post));
    }

    /// <summary>Signs in and signs out; returns the pending request ID, its RelayState and the logout state cookie.</summary>
    private async Task<(HttpClient Browser, string RequestId, string RelayState, string State)> BeginLogoutAsync()
    {
        var browser = _factory.CreateBrowser();
        var signOut = await SignOutAsync(browser, await SignInAsync(browser, Slo, SloEntityId));
        var message = SamlRedirectBinding.Parse(signOut.Location!.Query).Value!;
        var requestId = TestIdp.Load(message.Xml).DocumentElement!.GetAttribute("ID");
        return (browser, requestId, message.RelayState!, CookieHeader(signOut.SetCookies, Saml2Defaults.LogoutStateCookiePrefix));
    }

    private static async Task<BrowserResult> GetSloAsync(HttpClient browser, string query, string? cookies)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/saml/slo?" + query, UriKind.Relative));
        if (cookies is not null)
        {
            request.Headers.Add("Cookie", cookies);
        }

        return await BrowserResult.FromAsync(await browser.SendAsync(request));
    }

    private async Task AssertRejectedAsync(BrowserResult result, string reason)
    {
        Assert.Equal(HttpStatusCode.BadRequest, result.Status);
        Assert.Equal(Saml2FailurePage.SignOutHtml, result.Body);
        var audit = await _factory.LastAuditAsync(Saml2Defaults.LogoutAuditAction);
        Assert.Equal(nameof(AuditDecision.Deny), audit.Decision);
        Assert.Equal(reason, audit.Reason);
        Assert.Equal(Saml2Defaults.LogoutRejectedEvent, audit.Message);
    }

    private static string LogoutResponse(string inResponseTo, string issuer = SloEntityId, string destination = SpSloUrl, string status = LogoutStatusSuccess) =>
        $"""<samlp:LogoutResponse xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="{NewId()}" Version="2.0" IssueInstant="{TestIdp.Time(TestIdp.Now)}" Destination="{destination}" InResponseTo="{inResponseTo}"><saml:Issuer>{issuer}</saml:Issuer><samlp:Status><samlp:StatusCode Value="{status}"/></samlp:Status></samlp:LogoutResponse>""";

    private static string LogoutRequest(
        string id,
        string issuer = SloEntityId,
        string nameId = "alice@corp.test",
        string format = EmailFormat,
        string sessionIndex = "_s1",
        DateTimeOffset? notOnOrAfter = null,
        string destination = SpSloUrl,
        string? wrapped = null) =>
        $"""<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="{id}" Version="2.0" IssueInstant="{TestIdp.Time(TestIdp.Now)}" Destination="{destination}" NotOnOrAfter="{TestIdp.Time(notOnOrAfter ?? TestIdp.Now.AddMinutes(5))}"><saml:Issuer>{issuer}</saml:Issuer><saml:NameID Format="{format}">{nameId}</saml:NameID><samlp:SessionIndex>{sessionIndex}</samlp:SessionIndex>{wrapped}</samlp:LogoutRequest>""";

    /// <summary>SECURITY-CASES 30: a validly signed Assertion the attacker captured, to be wrapped in their own LogoutRequest.</summary>
    private static string CapturedSignedAssertion()
    {
        var response = TestIdp.CreateResponse(issuer: SloEntityId);
        TestIdp.SignAssertion(response, TestIdp.Idp);
        return TestIdp.Assertion(response).OuterXml;
    }

    private static string NewId() => "_" + Guid.NewGuid().ToString("N");

    private static string CookieHeader(IEnumerable<string> setCookies, string namePrefix) =>
        string.Join("; ", setCookies.Where(c => c.StartsWith(namePrefix, StringComparison.Ordinal) && !c.StartsWith(namePrefix + "=;", StringComparison.Ordinal))
            .Select(c => c[..c.IndexOf(';', StringComparison.Ordinal)]));

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
