using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Xml;
using Microsoft.AspNetCore.WebUtilities;
using Portal.Authentication.Saml2;
using Portal.Authentication.Saml2.Bindings;
using Portal.Core.Audit;
using Portal.Tests.Core.Federation.Saml;
using Microsoft.Extensions.DependencyInjection;

namespace Portal.Tests.Api.Saml2;

/// <summary>
/// The browser SAML flow through the real host: SP-initiated challenge, ACS, and the ACS rejection contract of
/// SECURITY-CASES 0.2 (400, generic page, no auth cookie, audited reason code).
/// </summary>
public sealed class Saml2HandlerTests : IClassFixture<Saml2AppFactory>
{
    private const string Corp = "Corp";
    private const string Unsolicited = "Unsol";
    private const string UnsolicitedEntityId = "https://idp3.test/";
    private readonly Saml2AppFactory _factory;

    public Saml2HandlerTests(Saml2AppFactory factory) => _factory = factory;

    [Fact]
    public async Task Challenge_RegisteredProvider_RedirectsToIdpWithDeflatedAuthnRequest()
    {
        // Arrange
        await RegisterCorpAsync();
        var browser = _factory.CreateBrowser();

        // Act
        var (requestXml, relayState, location, _) = await ChallengeAsync(browser, Corp);

        // Assert
        Assert.StartsWith(Saml2AppFactory.IdpSsoLocation + "?SAMLRequest=", location.AbsoluteUri, StringComparison.Ordinal);
        Assert.True(relayState.Length <= 80);
        var request = requestXml.DocumentElement!;
        Assert.Equal("AuthnRequest", request.LocalName);
        Assert.StartsWith("_", request.GetAttribute("ID"), StringComparison.Ordinal);
        Assert.Equal(TestIdp.AcsUrl, request.GetAttribute("AssertionConsumerServiceURL"));
        Assert.Equal(Saml2AppFactory.IdpSsoLocation, request.GetAttribute("Destination"));
        Assert.Equal(TestIdp.SpEntityId, request.GetElementsByTagName("Issuer", SamlNs.Assertion)[0]!.InnerText);
    }

    [Fact]
    public async Task Acs_GoldenResponseForPendingRequest_SignsInAndRedirectsToReturnUrl()
    {
        // Arrange
        await RegisterCorpAsync();
        var browser = _factory.CreateBrowser();
        var (request, relayState, _, cookies) = await ChallengeAsync(browser, Corp, "/status");
        var response = CreateResponse(RequestId(request));

        // Act
        var result = await PostAcsAsync(browser, response, relayState, cookies);

        // Assert
        Assert.Equal(HttpStatusCode.Redirect, result.Status);
        Assert.Equal("/status", result.Location!.OriginalString);
        Assert.True(result.SetsAuthCookie);
        var audit = await _factory.LastSamlAuditAsync();
        Assert.Equal(nameof(AuditDecision.Allow), audit.Decision);
        Assert.Equal(Saml2AppFactory.ProviderArn(Corp) + "|alice@corp.test", audit.Principal);
    }

    [Fact]
    public async Task Acs_ResponseSignedWithRolloverKey_SignsIn()
    {
        // Arrange: the provider's metadata lists two signing certificates (rollover); the IdP signs with the second.
        await RegisterCorpAsync();
        var browser = _factory.CreateBrowser();
        var (request, relayState, _, cookies) = await ChallengeAsync(browser, Corp);

        // Act
        var result = await PostAcsAsync(browser, CreateResponse(RequestId(request), certificate: TestIdp.IdpNext), relayState, cookies);

        // Assert
        Assert.Equal(HttpStatusCode.Redirect, result.Status);
        Assert.True(result.SetsAuthCookie);
    }

    [Fact]
    public async Task Acs_EcdsaSignedResponseFromProviderWithEcCertificate_SignsIn()
    {
        // Arrange: RFC 6931 ecdsa-sha384 with a P-384 certificate from the provider's metadata.
        using var ec = TestIdp.CreateEcCertificate(System.Security.Cryptography.ECCurve.NamedCurves.nistP384, System.Security.Cryptography.HashAlgorithmName.SHA384);
        const string name = "CorpEc";
        const string entityId = "https://idp-ec.test/";
        await _factory.RegisterProviderAsync(name, entityId, new SamlProviderSettings(), ec);
        var browser = _factory.CreateBrowser();
        var (request, relayState, _, cookies) = await ChallengeAsync(browser, name);
        var response = TestIdp.CreateResponse(requestId: RequestId(request), issuer: entityId);
        TestIdp.Assertion(response).SetAttribute("ID", "_a" + Guid.NewGuid().ToString("N"));
        TestIdp.SignAssertion(response, ec, new SignOptions { SignatureMethod = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384" });

        // Act
        var result = await PostAcsAsync(browser, response, relayState, cookies);

        // Assert
        Assert.Equal(HttpStatusCode.Redirect, result.Status);
        Assert.True(result.SetsAuthCookie);
    }

    [Fact]
    public async Task Acs_EncryptedSignedAssertion_IsDecryptedWithTheSpKeyAndSignsIn()
    {
        // Arrange: the IdP encrypts to the SP certificate published in the SP metadata.
        await RegisterCorpAsync();
        var browser = _factory.CreateBrowser();
        var (request, relayState, _, cookies) = await ChallengeAsync(browser, Corp);
        var response = CreateResponse(RequestId(request));
        TestIdp.EncryptAssertion(response, TestIdp.Sp);

        // Act
        var result = await PostAcsAsync(browser, response, relayState, cookies);

        // Assert
        Assert.Equal(HttpStatusCode.Redirect, result.Status);
        Assert.True(result.SetsAuthCookie);
    }

    [Fact]
    public async Task Acs_UnsolicitedResponseForProviderWithoutIdpInitiated_IsRejectedUnsolicited()
    {
        // Arrange: case 50, no RelayState and no InResponseTo; IdP-initiated is off by default.
        await RegisterCorpAsync();
        var browser = _factory.CreateBrowser();

        // Act
        var result = await PostAcsAsync(browser, CreateResponse(inResponseTo: null), relayState: null);

        // Assert
        await AssertRejectedAsync(result, "UNSOLICITED");
    }

    [Fact]
    public async Task Acs_UnsolicitedResponseAllowedByProvider_LandsOnFixedPageIgnoringRelayState()
    {
        // Arrange: SECURITY-CASES 50/98, RelayState of an IdP-initiated response is never a redirect target.
        await RegisterUnsolicitedAsync();
        var browser = _factory.CreateBrowser();
        var response = CreateResponse(inResponseTo: null, issuer: UnsolicitedEntityId, certificate: TestIdp.Idp2);

        // Act
        var result = await PostAcsAsync(browser, response, relayState: "https://evil.test/");

        // Assert
        Assert.Equal(HttpStatusCode.Redirect, result.Status);
        Assert.Equal("/", result.Location!.OriginalString);
        Assert.True(result.SetsAuthCookie);
    }

    [Fact]
    public async Task Acs_SameResponsePostedTwice_SecondIsRejectedReplay()
    {
        // Arrange: case 51a, the assertion ID is consumed in the shared database on first use.
        await RegisterUnsolicitedAsync();
        var response = CreateResponse(inResponseTo: null, issuer: UnsolicitedEntityId, certificate: TestIdp.Idp2);
        var first = await PostAcsAsync(_factory.CreateBrowser(), response, relayState: null);

        // Act
        var second = await PostAcsAsync(_factory.CreateBrowser(), response, relayState: null);

        // Assert
        Assert.Equal(HttpStatusCode.Redirect, first.Status);
        await AssertRejectedAsync(second, "REPLAY");
    }

    [Fact]
    public async Task Acs_ResponsePostedFromAnotherBrowser_IsRejectedInResponseTo()
    {
        // Arrange: case 49c, the right RelayState and InResponseTo, but without the state and correlation cookies.
        await RegisterCorpAsync();
        var (request, relayState, _, _) = await ChallengeAsync(_factory.CreateBrowser(), Corp);
        var otherBrowser = _factory.CreateBrowser();

        // Act
        var result = await PostAcsAsync(otherBrowser, CreateResponse(RequestId(request)), relayState);

        // Assert
        await AssertRejectedAsync(result, "IN_RESPONSE_TO");
    }

    [Fact]
    public async Task Acs_StateIsConsumed_SecondResponseForSameRequestIsRejected()
    {
        // Arrange: case 49d, the state is deleted on first use (cookie expired and request ID consumed), even if the cookie is sent again.
        await RegisterCorpAsync();
        var browser = _factory.CreateBrowser();
        var (request, relayState, _, cookies) = await ChallengeAsync(browser, Corp);
        var first = await PostAcsAsync(browser, CreateResponse(RequestId(request)), relayState, cookies);

        // Act
        var second = await PostAcsAsync(browser, CreateResponse(RequestId(request)), relayState, cookies);

        // Assert
        Assert.Equal(HttpStatusCode.Redirect, first.Status);
        Assert.Contains(first.SetCookies, c => c.StartsWith(Saml2Defaults.StateCookiePrefix, StringComparison.Ordinal) && c.Contains("expires=Thu, 01 Jan 1970", StringComparison.Ordinal));
        await AssertRejectedAsync(second, "IN_RESPONSE_TO");
    }

    [Fact]
    public async Task SyncAsync_ProviderAddedAtRuntime_SignsInWithoutRestart()
    {
        // Arrange
        var name = "Runtime" + Guid.NewGuid().ToString("N")[..6];
        var browser = _factory.CreateBrowser();
        var before = await browser.GetAsync(new Uri($"/saml/login/{name}", UriKind.Relative));

        // Act
        await _factory.RegisterProviderAsync(name, TestIdp.Idp2EntityId, new SamlProviderSettings(), TestIdp.Idp2);
        var (request, relayState, _, cookies) = await ChallengeAsync(browser, name);
        var result = await PostAcsAsync(browser, CreateResponse(RequestId(request), issuer: TestIdp.Idp2EntityId, certificate: TestIdp.Idp2), relayState, cookies);

        // Assert
        Assert.Equal(HttpStatusCode.NotFound, before.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, result.Status);
        Assert.True(result.SetsAuthCookie);
    }

    [Fact]
    public async Task CreateSamlProvider_ThroughTheDirectory_IsLiveWithoutAnExplicitSync()
    {
        // Arrange: the IAM API and the admin pages register providers through IamDirectory, whose change event drives
        // the scheme synchroniser.
        var name = "ViaIam" + Guid.NewGuid().ToString("N")[..6];
        var directory = _factory.Services.GetRequiredService<Portal.Core.Iam.IamDirectory>();
        var browser = _factory.CreateBrowser();

        // Act
        var created = await directory.CreateSamlProviderAsync(Portal.Core.Identity.AccountId.Parse(Saml2AppFactory.AccountId), name, Saml2AppFactory.Metadata(TestIdp.Idp2EntityId, TestIdp.Idp2));
        var status = HttpStatusCode.NotFound;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (status == HttpStatusCode.NotFound && DateTime.UtcNow < deadline)
        {
            // Wait for the condition (the scheme appears), not for a fixed time.
            status = (await browser.GetAsync(new Uri($"/saml/login/{name}", UriKind.Relative))).StatusCode;
            if (status == HttpStatusCode.NotFound)
            {
                await Task.Delay(20);
            }
        }

        // Assert
        Assert.True(created.Succeeded, created.Error?.ToString());
        Assert.Equal(HttpStatusCode.Redirect, status);
    }

    [Fact]
    public async Task Metadata_Get_DescribesEntityIdAcsNameIdFormatsAndSpKey()
    {
        // Arrange
        await RegisterCorpAsync();
        var browser = _factory.CreateBrowser();

        // Act
        var response = await browser.GetAsync(new Uri("/saml/metadata", UriKind.Relative));

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = TestIdp.Load(await response.Content.ReadAsStringAsync());
        Assert.Equal(TestIdp.SpEntityId, document.DocumentElement!.GetAttribute("entityID"));
        var acs = (XmlElement)document.GetElementsByTagName("AssertionConsumerService", "urn:oasis:names:tc:SAML:2.0:metadata")[0]!;
        Assert.Equal(TestIdp.AcsUrl, acs.GetAttribute("Location"));
        Assert.NotEmpty(document.GetElementsByTagName("NameIDFormat", "urn:oasis:names:tc:SAML:2.0:metadata").Cast<XmlElement>());
        var keyUses = document.GetElementsByTagName("KeyDescriptor", "urn:oasis:names:tc:SAML:2.0:metadata").Cast<XmlElement>().Select(k => k.GetAttribute("use"));
        Assert.Equal(["signing", "encryption"], keyUses);
    }

    private Task RegisterCorpAsync() =>
        _factory.RegisterProviderAsync(Corp, TestIdp.EntityId, new SamlProviderSettings(), TestIdp.Idp, TestIdp.IdpNext);

    private Task RegisterUnsolicitedAsync() =>
        _factory.RegisterProviderAsync(Unsolicited, UnsolicitedEntityId, new SamlProviderSettings { AllowIdpInitiated = true }, TestIdp.Idp2);


    private static Task<(XmlDocument Request, string RelayState, Uri Location, string Cookies)> ChallengeAsync(HttpClient browser, string provider, string returnUrl = "/") =>
        Saml2Browser.ChallengeAsync(browser, provider, returnUrl);

    private static Task<BrowserResult> PostAcsAsync(HttpClient browser, XmlDocument response, string? relayState, string? cookies = null) =>
        Saml2Browser.PostAcsAsync(browser, TestIdp.Encode(response), relayState, cookies);

    private Task AssertRejectedAsync(BrowserResult result, string reason) => Saml2Browser.AssertRejectedAsync(_factory, result, reason);

    private static string RequestId(XmlDocument request) => request.DocumentElement!.GetAttribute("ID");

    /// <summary>The golden response for <paramref name="inResponseTo"/> (null: unsolicited) with a fresh assertion ID, signed by K_idp unless told otherwise.</summary>
    private static XmlDocument CreateResponse(string? inResponseTo, string issuer = TestIdp.EntityId, X509Certificate2? certificate = null)
    {
        var document = TestIdp.CreateResponse(requestId: inResponseTo ?? TestIdp.RequestId, issuer: issuer);
        if (inResponseTo is null)
        {
            SamlDom.RemoveInResponseTo(document);
        }

        TestIdp.Assertion(document).SetAttribute("ID", "_a" + Guid.NewGuid().ToString("N"));
        TestIdp.SignAssertion(document, certificate ?? TestIdp.Idp);
        return document;
    }
}
