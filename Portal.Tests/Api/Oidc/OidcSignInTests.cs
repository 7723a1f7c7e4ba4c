using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Portal.Authentication;
using Portal.Authentication.Oidc;

namespace Portal.Tests.Api.Oidc;

public sealed class OidcSignInTests : IClassFixture<OidcPortalFixture>
{
    private readonly OidcPortalFixture _portal;

    public OidcSignInTests(OidcPortalFixture portal) => _portal = portal;

    [Fact]
    public async Task SignIn_RegisteredProvider_CookiePrincipalHasMappedClaims()
    {
        // Arrange
        var issuer = _portal.NewIssuer();
        var provider = await RegisterAsync(issuer);
        var arn = OidcPortalFixture.ProviderArn(issuer);
        var host = new Uri(issuer.Issuer).Host;

        // Act
        var attempt = await _portal.SignInAsync(provider, "/credentials");

        // Assert
        Assert.Equal(HttpStatusCode.Redirect, attempt.Callback.StatusCode);
        Assert.Equal("/credentials", attempt.Callback.Headers.Location!.OriginalString);
        var user = Assert.IsType<ClaimsPrincipal>(attempt.Principal);
        Assert.Equal(arn + "|user-0001", Single(user, PortalClaimTypes.Subject));
        Assert.Equal("Alice Admin", user.Identity!.Name);
        Assert.Equal("alice@corp.test", Single(user, PortalClaimTypes.Email));
        Assert.Equal(["portal-admins", "staff"], Values(user, PortalClaimTypes.Group));
        Assert.Equal(arn, Single(user, PortalClaimTypes.Provider));
        Assert.Equal("oidc", Single(user, PortalClaimTypes.Method));
        Assert.Equal(["mfa"], Values(user, PortalClaimTypes.AuthenticationMethod));
        Assert.Equal("user-0001", Single(user, $"ck:{host}:sub"));
        Assert.Equal(issuer.ClientId, Single(user, $"ck:{host}:aud"));
        Assert.Equal(["pwd", "mfa"], Values(user, $"ck:{host}:amr"));
        Assert.Equal(["portal-admins", "staff"], Values(user, "ck:portal:groups"));
        Assert.DoesNotContain(user.Claims, c => c.Type is "sub" or "nonce" or "aud" or "iss");
        var audit = Assert.Single(await _portal.AuditAsync(arn));
        Assert.Equal(("Allow", arn + "|user-0001"), (audit.Decision, audit.Principal));
    }

    [Fact]
    public async Task Challenge_RegisteredProvider_RequestsCodeFlowWithPkceStateAndNonce()
    {
        // Arrange
        var issuer = _portal.NewIssuer();
        var provider = await RegisterAsync(issuer);
        using var browser = _portal.CreateBrowser();

        // Act
        using var response = await browser.GetAsync(new Uri(OidcSignInDefaults.ChallengePathPrefix + provider.Key, UriKind.Relative));

        // Assert
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.Equal(issuer.Issuer + "/authorize", location.GetLeftPart(UriPartial.Path));
        var query = QueryHelpers.ParseQuery(location.Query);
        Assert.Equal("code", query["response_type"]);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.False(string.IsNullOrEmpty(query["code_challenge"]));
        Assert.False(string.IsNullOrEmpty(query["state"]));
        Assert.False(string.IsNullOrEmpty(query["nonce"]));
        Assert.Equal(["openid", "profile", "email", "groups"], query["scope"].ToString().Split(' '));
        Assert.Equal("https://localhost/signin-oidc/" + provider.Key, query["redirect_uri"]);
        Assert.Equal(issuer.ClientId, query["client_id"]);
    }

    [Theory]
    [InlineData(true, new[] { "pwd", "mfa" }, true)]
    [InlineData(false, new[] { "pwd", "mfa" }, false)]
    [InlineData(true, new[] { "pwd" }, false)]
    public async Task SignIn_AmrAndMfaTrust_MarksMfaOnlyWhenTrustedAndReported(bool trustMfa, string[] amr, bool expectMfa)
    {
        // Arrange
        var issuer = _portal.NewIssuer();
        issuer.Amr = [.. amr];
        var provider = await RegisterAsync(issuer, trustMfa);

        // Act
        var attempt = await _portal.SignInAsync(provider);

        // Assert
        var user = Assert.IsType<ClaimsPrincipal>(attempt.Principal);
        Assert.Equal(expectMfa, user.HasClaim(PortalClaimTypes.AuthenticationMethod, "mfa"));
        Assert.Equal(amr, Values(user, $"ck:{provider.ProviderName}:amr"));
    }

    [Fact]
    public async Task SignIn_ProviderWithoutGroupsClaim_MapsNoGroupsAndAsksNoGroupsScope()
    {
        // Arrange
        var issuer = _portal.NewIssuer();
        var provider = await RegisterAsync(issuer, groupsClaim: null);

        // Act
        var attempt = await _portal.SignInAsync(provider);

        // Assert
        var user = Assert.IsType<ClaimsPrincipal>(attempt.Principal);
        Assert.Empty(Values(user, PortalClaimTypes.Group));
        Assert.Empty(Values(user, "ck:portal:groups"));
        Assert.DoesNotContain("groups", QueryHelpers.ParseQuery(attempt.AuthorizeUri.Query)["scope"].ToString().Split(' '));
    }

    [Fact]
    public async Task SignIn_IssuerWithPath_SchemeNamedByHostAndPath()
    {
        // Arrange
        var issuer = _portal.NewIssuer("/tenant-a");
        var provider = await RegisterAsync(issuer);

        // Act
        var attempt = await _portal.SignInAsync(provider);

        // Assert
        Assert.Equal("oidc:" + new Uri(issuer.Issuer).Host + "/tenant-a", provider.SchemeName);
        Assert.NotNull(attempt.Principal);
    }

    public static TheoryData<string> RejectedCallbacks => [.. Rejections.Keys];

    private static Dictionary<string, (Action<FakeOidcIssuer>? BreakIdp, Action<Dictionary<string, string>>? Tamper, string[] Reasons)> Rejections { get; } = new()
    {
        // SECURITY-CASES 71c/d: state that this browser's correlation does not vouch for.
        ["StateTampered"] = (null, f => f["state"] = f["state"][..^4] + "AAAA", ["InvalidState", "CorrelationFailed"]),
        ["StateMissing"] = (null, f => f.Remove("state"), ["InvalidState"]),

        // SECURITY-CASES 71b: the ID token carries another login's nonce.
        ["NonceMismatch"] = (i => i.MutateIdToken = c => c["nonce"] = "nonce-of-another-login", null, ["InvalidNonce"]),

        // SECURITY-CASES 69/72b: a token naming another issuer, even signed with the right key.
        ["OtherIssuer"] = (i => i.MutateIdToken = c => c["iss"] = "https://other-idp.test", null, ["InvalidIssuer"]),

        // SECURITY-CASES 69b: a token for another client.
        ["OtherAudience"] = (i => i.MutateIdToken = c => c["aud"] = "another-client", null, ["InvalidAudience"]),

        // SECURITY-CASES 65/66: unsigned, and HMAC keyed with the public key.
        ["AlgNone"] = (i => i.SignIdToken = RsaTestKey.SignNone, null, ["InvalidSignature"]),
        ["Hs256WithPublicKey"] = (i => i.SignIdToken = i.Key.SignHs256WithPublicKey, null, ["InvalidSignature", "InvalidAlgorithm"]),

        // SECURITY-CASES 70a: expired beyond the skew.
        ["Expired"] = (i => i.MutateIdToken = c => c["exp"] = TimeProvider.System.GetUtcNow().AddMinutes(-3).ToUnixTimeSeconds(), null, ["InvalidLifetime"]),
    };

    [Theory]
    [MemberData(nameof(RejectedCallbacks))]
    public async Task Callback_InvalidResponse_GenericPageNoCookieAndAuditedDeny(string scenario)
    {
        // Arrange
        var (breakIdp, tamper, reasons) = Rejections[scenario];
        var issuer = _portal.NewIssuer();
        breakIdp?.Invoke(issuer);
        var provider = await RegisterAsync(issuer);

        // Act
        var attempt = await _portal.SignInAsync(provider, tamper: tamper);

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, attempt.Callback.StatusCode);
        Assert.Contains("Sign-in failed", attempt.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("IDX", attempt.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", attempt.Body, StringComparison.Ordinal);
        Assert.Null(attempt.Principal);
        var audit = Assert.Single(await _portal.AuditAsync(OidcPortalFixture.ProviderArn(issuer)));
        Assert.Equal("Deny", audit.Decision);
        Assert.True(reasons.Contains(audit.Reason), $"{scenario}: audit reason {audit.Reason}, message {audit.Message}");
    }

    [Fact]
    public async Task Callback_IdpRefusesClientSecret_GenericPageAndAuditedDeny()
    {
        // Arrange: the IdP rotated the secret; the portal still has the old one.
        var issuer = _portal.NewIssuer();
        var provider = await RegisterAsync(issuer);
        issuer.ClientSecret = "rotated-secret";

        // Act
        var attempt = await _portal.SignInAsync(provider);

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, attempt.Callback.StatusCode);
        Assert.Null(attempt.Principal);
        Assert.Equal(1, issuer.RefusedTokenRequests);
        Assert.Equal("IdpError", Assert.Single(await _portal.AuditAsync(OidcPortalFixture.ProviderArn(issuer))).Reason);
    }

    [Theory]
    [InlineData("/roles?x=1", "/roles?x=1")]
    [InlineData("//evil.test", "/")]
    [InlineData("/\\evil.test", "/")]
    [InlineData("https://evil.test", "/")]
    [InlineData("javascript:alert(1)", "/")]
    public async Task SignIn_ReturnUrl_OnlyLocalPathsAreFollowed(string returnUrl, string expectedLocation)
    {
        // Arrange
        var issuer = _portal.NewIssuer();
        var provider = await RegisterAsync(issuer);

        // Act
        var attempt = await _portal.SignInAsync(provider, returnUrl);

        // Assert: SECURITY-CASES 74c.
        Assert.NotNull(attempt.Principal);
        Assert.Equal(expectedLocation, attempt.Callback.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task SyncAsync_SecondProviderAddedAtRuntime_BothSignInWithoutRestart()
    {
        // Arrange
        var first = _portal.NewIssuer();
        var firstProvider = await RegisterAsync(first);
        Assert.NotNull((await _portal.SignInAsync(firstProvider)).Principal);
        var second = _portal.NewIssuer();
        second.Subject = "second-user-02";

        // Act
        var secondProvider = await RegisterAsync(second);
        var secondAttempt = await _portal.SignInAsync(secondProvider);
        var firstAgain = await _portal.SignInAsync(firstProvider);

        // Assert
        Assert.NotEqual(firstProvider.CallbackPath, secondProvider.CallbackPath);
        Assert.Equal(OidcPortalFixture.ProviderArn(second) + "|second-user-02", Single(secondAttempt.Principal!, PortalClaimTypes.Subject));
        Assert.Equal(OidcPortalFixture.ProviderArn(first) + "|user-0001", Single(firstAgain.Principal!, PortalClaimTypes.Subject));
    }

    [Fact]
    public async Task SyncAsync_ProviderRemoved_SchemeAndEndpointsGone()
    {
        // Arrange
        var issuer = _portal.NewIssuer();
        var provider = await RegisterAsync(issuer);
        using var browser = _portal.CreateBrowser();

        // Act
        await _portal.UnregisterAsync(issuer);

        // Assert
        var schemes = _portal.Services.GetRequiredService<IAuthenticationSchemeProvider>();
        Assert.Null(await schemes.GetSchemeAsync(provider.SchemeName));
        Assert.Null(_portal.Services.GetRequiredService<OidcProviderSchemes>().FindByKey(provider.Key));
        using var challenge = await browser.GetAsync(new Uri(OidcSignInDefaults.ChallengePathPrefix + provider.Key, UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, challenge.StatusCode);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["code"] = "x", ["state"] = "y" });
        using var callback = await browser.PostAsync(new Uri(provider.CallbackPath, UriKind.Relative), form);
        Assert.False(callback.Headers.TryGetValues("Set-Cookie", out _));
        Assert.NotEqual(HttpStatusCode.Redirect, callback.StatusCode);
    }

    [Fact]
    public async Task SyncAsync_ClientSecretChanged_NextSignInUsesNewSecret()
    {
        // Arrange: a provider whose scheme options were built with the old secret.
        var issuer = _portal.NewIssuer();
        var provider = await RegisterAsync(issuer);
        Assert.NotNull((await _portal.SignInAsync(provider)).Principal);
        issuer.ClientSecret = "rotated-secret";
        await _portal.UnregisterAsync(issuer);

        // Act
        var updated = await RegisterAsync(issuer);
        var attempt = await _portal.SignInAsync(updated);

        // Assert
        Assert.NotNull(attempt.Principal);
        Assert.Equal(0, issuer.RefusedTokenRequests);
    }

    [Fact]
    public async Task SyncAsync_ProviderWithoutSignInSettings_GetsNoScheme()
    {
        // Arrange
        var issuer = _portal.NewIssuer();

        // Act: registered for AssumeRoleWithWebIdentity only.
        var provider = await _portal.RegisterAsync(issuer, signIn: false);

        // Assert
        Assert.Null(provider);
        Assert.Null(await _portal.Services.GetRequiredService<IAuthenticationSchemeProvider>().GetSchemeAsync(OidcSignInProvider.SchemeNameOf(issuer.Issuer)));
    }

    [Fact]
    public async Task Challenge_UnknownKey_NotFound()
    {
        // Arrange
        using var browser = _portal.CreateBrowser();

        // Act
        using var response = await browser.GetAsync(new Uri(OidcSignInDefaults.ChallengePathPrefix + "0123456789abcdef", UriKind.Relative));

        // Assert
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private async Task<OidcSignInProvider> RegisterAsync(FakeOidcIssuer issuer, bool trustMfa = true, string? groupsClaim = "groups") =>
        Assert.IsType<OidcSignInProvider>(await _portal.RegisterAsync(issuer, trustMfa, groupsClaim));

    private static string Single(ClaimsPrincipal user, string type) => Assert.Single(user.FindAll(type)).Value;

    private static string[] Values(ClaimsPrincipal user, string type) => [.. user.FindAll(type).Select(c => c.Value)];
}
