using System.Net;
using System.Xml;
using Microsoft.AspNetCore.WebUtilities;
using Portal.Authentication.Saml2;
using Portal.Authentication.Saml2.Bindings;
using Portal.Core.Audit;
using Portal.Tests.Core.Federation.Saml;

namespace Portal.Tests.Api.Saml2;

/// <summary>What a browser does in the SAML flow against <see cref="Saml2AppFactory"/>, and the ACS rejection contract.</summary>
internal static class Saml2Browser
{
    /// <summary>Starts SP-initiated sign-in; returns the inflated AuthnRequest, RelayState, redirect and the state cookies.</summary>
    public static async Task<(XmlDocument Request, string RelayState, Uri Location, string Cookies)> ChallengeAsync(HttpClient browser, string provider, string returnUrl = "/")
    {
        var response = await browser.GetAsync(new Uri($"/saml/login/{provider}?returnUrl={Uri.EscapeDataString(returnUrl)}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        var query = QueryHelpers.ParseQuery(location.Query);
        var xml = HttpRedirectBinding.Inflate(query["SAMLRequest"]!)!;

        // The browser's cookie jar, kept by hand: the app's clock is frozen in the past, so a real jar would drop the cookies as expired.
        var cookies = string.Join("; ", response.Headers.GetValues("Set-Cookie").Select(c => c[..c.IndexOf(';', StringComparison.Ordinal)]));
        return (TestIdp.Load(xml), query["RelayState"]!, location, cookies);
    }

    /// <summary>Posts a base64 SAMLResponse to the ACS (HTTP-POST binding).</summary>
    public static async Task<BrowserResult> PostAcsAsync(HttpClient browser, string samlResponse, string? relayState, string? cookies = null)
    {
        var fields = new Dictionary<string, string> { ["SAMLResponse"] = samlResponse };
        if (relayState is not null)
        {
            fields["RelayState"] = relayState;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/saml/acs", UriKind.Relative)) { Content = new FormUrlEncodedContent(fields) };
        if (cookies is not null)
        {
            request.Headers.Add("Cookie", cookies);
        }

        return await BrowserResult.FromAsync(await browser.SendAsync(request));
    }

    /// <summary>SECURITY-CASES 0.2: 400, the generic page without the reason, no auth cookie, the reason audited.</summary>
    public static async Task AssertRejectedAsync(Saml2AppFactory factory, BrowserResult result, string reason)
    {
        Assert.Equal(HttpStatusCode.BadRequest, result.Status);
        Assert.Equal(Saml2FailurePage.Html, result.Body);
        Assert.DoesNotContain(reason, result.Body, StringComparison.Ordinal);
        Assert.False(result.SetsAuthCookie);
        var audit = await factory.LastSamlAuditAsync();
        Assert.Equal(nameof(AuditDecision.Deny), audit.Decision);
        Assert.Equal(reason, audit.Reason);
        Assert.Equal(Saml2Defaults.RejectedEvent, audit.Message);
    }
}
