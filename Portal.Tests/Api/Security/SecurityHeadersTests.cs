using System.Net;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Portal.Hosting;

namespace Portal.Tests.Api.Security;

/// <summary>SECURITY-CASES 104a, 104c, 104i: headers on every page, none on the STS API, antiforgery on every form post.</summary>
public sealed class SecurityHeadersTests(AdminAppFactory app) : IClassFixture<AdminAppFactory>
{
    public static TheoryData<TestPerson, string> Pages => new()
    {
        { TestPerson.Anonymous, "/" },
        { TestPerson.Anonymous, "/status" },
        { TestPerson.Anonymous, "/admin" },
        { TestPerson.Administrator, "/admin" },
        { TestPerson.Administrator, "/admin/users" },
        { TestPerson.Administrator, "/admin/audit/export.csv" },
        { TestPerson.User, "/me" },
    };

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Get_Page_CarriesSecurityHeaders(TestPerson person, string url)
    {
        // Arrange
        using var client = await app.CreateClientAsync(person);

        // Act
        var response = await client.GetAsync(new Uri(url, UriKind.Relative));

        // Assert
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self';", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Single(response.Headers.GetValues("Referrer-Policy"));
        Assert.Contains("camera=()", Assert.Single(response.Headers.GetValues("Permissions-Policy")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_AdminPage_RestrictsFormsToSelf()
    {
        // Arrange
        using var client = await app.CreateClientAsync(TestPerson.Administrator);

        // Act
        var response = await client.GetAsync(new Uri("/admin", UriKind.Relative));

        // Assert
        Assert.Contains("form-action 'self'", string.Join(";", response.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        Assert.Equal("strict-origin-when-cross-origin", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
    }

    [Fact]
    public async Task Get_AccountPage_KeepsNoReferrer()
    {
        // Arrange
        using var client = await app.CreateClientAsync(TestPerson.Anonymous);

        // Act
        var response = await client.GetAsync(new Uri("/account/signin", UriKind.Relative));

        // Assert
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Contains("frame-ancestors 'none'", Assert.Single(response.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task PostSts_ApiRequest_HasNoPageHeaders()
    {
        // Arrange
        using var client = await app.CreateClientAsync(TestPerson.Anonymous);
        using var body = new FormUrlEncodedContent(new Dictionary<string, string> { ["Action"] = "GetCallerIdentity", ["Version"] = "2011-06-15" });

        // Act
        var response = await client.PostAsync(new Uri("/", UriKind.Relative), body);

        // Assert: an unsigned call is refused by the STS wire layer, which owns its headers.
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Content-Security-Policy"));
        Assert.False(response.Headers.Contains("Permissions-Policy"));
    }

    [Fact]
    public void Apply_PageSetCompletePolicy_KeepsIt()
    {
        // Arrange
        var context = new DefaultHttpContext();
        context.Request.Path = "/federation";
        context.Response.Headers.ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";

        // Act
        SecurityHeaders.Apply(context);

        // Assert
        Assert.Equal("default-src 'none'; frame-ancestors 'none'", context.Response.Headers.ContentSecurityPolicy.ToString());
        Assert.Equal("DENY", context.Response.Headers.XFrameOptions.ToString());
    }

    [Fact]
    public void Apply_NoPolicyYet_SetsThePortalPolicy()
    {
        // Arrange
        var context = new DefaultHttpContext();
        context.Request.Path = "/admin";

        // Act
        SecurityHeaders.Apply(context);

        // Assert
        Assert.Equal(SecurityHeaders.ContentSecurityPolicy, context.Response.Headers.ContentSecurityPolicy.ToString());
    }

    [Fact]
    public void Endpoints_AntiforgeryDisabled_OnlyOnTheSamlAcs()
    {
        // Arrange
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>();

        // Act: 104a/104j — any form-accepting endpoint that opts out of antiforgery must be on this allow-list.
        var exempt = endpoints
            .Where(e => e.Metadata.GetMetadata<IAntiforgeryMetadata>() is { RequiresValidation: false })
            .Select(e => e.RoutePattern.RawText)
            .ToList();

        // Assert
        Assert.Equal(["/saml/acs"], exempt.Distinct());
    }

    [Fact]
    public async Task Post_SignOutWithoutAntiforgeryToken_IsRejected()
    {
        // Arrange
        using var client = await app.CreateClientAsync(TestPerson.Administrator);
        using var body = new FormUrlEncodedContent(new Dictionary<string, string>());

        // Act
        var response = await client.PostAsync(new Uri("/account/signout", UriKind.Relative), body);

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
