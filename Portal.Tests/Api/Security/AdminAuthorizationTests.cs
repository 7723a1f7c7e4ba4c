using System.Net;
using System.Reflection;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Portal.Authentication;

namespace Portal.Tests.Api.Security;

/// <summary>
/// SECURITY-CASES 104d: every routable component and every mapped endpoint under /admin is denied to anyone but an
/// administrator who did MFA. The lists are enumerated, so a page added later is covered without editing this test.
/// </summary>
public sealed class AdminAuthorizationTests(AdminAppFactory app) : IClassFixture<AdminAppFactory>
{
    public static TheoryData<TestPerson> NonAdministrators => new() { TestPerson.Anonymous, TestPerson.User, TestPerson.AdministratorWithoutMfa };

    [Fact]
    public void AdminUrls_Enumerated_IncludeEveryAdminPageAndExport()
    {
        // Act
        var urls = AdminUrls();

        // Assert: the enumeration really finds things (an empty list would make every other test vacuous).
        Assert.Contains("/admin", urls);
        Assert.Contains("/admin/users", urls);
        Assert.Contains("/admin/sessions", urls);
        Assert.Contains("/admin/audit", urls);
        Assert.Contains("/admin/audit/export.csv", urls);
        Assert.Contains("/admin/audit/export.json", urls);
    }

    [Theory]
    [MemberData(nameof(NonAdministrators))]
    public async Task Get_NonAdministrator_IsDeniedEveryAdminUrl(TestPerson person)
    {
        // Arrange
        using var client = await app.CreateClientAsync(person);
        var failures = new List<string>();

        // Act
        foreach (var url in AdminUrls())
        {
            var response = await client.GetAsync(new Uri(url, UriKind.Relative));
            var location = response.Headers.Location?.OriginalString ?? string.Empty;
            var denied = response.StatusCode == HttpStatusCode.Forbidden
                || (response.StatusCode == HttpStatusCode.Redirect
                    && (location.Contains(PortalAuthenticationDefaults.SignInPath, StringComparison.OrdinalIgnoreCase)
                        || location.Contains(PortalAuthenticationDefaults.AccessDeniedPath, StringComparison.OrdinalIgnoreCase)));
            if (!denied)
            {
                failures.Add($"{url}: {(int)response.StatusCode} {location}");
            }
        }

        // Assert
        Assert.Empty(failures);
    }

    [Fact]
    public async Task Get_Anonymous_RedirectsToSignIn()
    {
        // Arrange
        using var client = await app.CreateClientAsync(TestPerson.Anonymous);

        // Act
        var response = await client.GetAsync(new Uri("/admin", UriKind.Relative));

        // Assert
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith(PortalAuthenticationDefaults.SignInPath, response.Headers.Location!.AbsolutePath, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_Administrator_IsAllowedEveryAdminUrl()
    {
        // Arrange
        using var client = await app.CreateClientAsync(TestPerson.Administrator);
        var failures = new List<string>();

        // Act
        foreach (var url in AdminUrls())
        {
            var response = await client.GetAsync(new Uri(url, UriKind.Relative));
            if (response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized)
            {
                failures.Add($"{url}: {(int)response.StatusCode} {response.Headers.Location}");
            }
        }

        // Assert
        Assert.Empty(failures);
    }

    /// <summary>
    /// Routable components (reflection over [Route], which @page compiles to) and mapped endpoints whose template starts
    /// with /admin; route parameters get a placeholder value.
    /// </summary>
    private List<string> AdminUrls()
    {
        var components = typeof(Program).Assembly.GetTypes()
            .Where(t => typeof(IComponent).IsAssignableFrom(t))
            .SelectMany(t => t.GetCustomAttributes<RouteAttribute>())
            .Select(r => r.Template);
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Contains(HttpMethods.Get) != false)
            .Select(e => "/" + (e.RoutePattern.RawText ?? string.Empty).TrimStart('/'));
        return components.Concat(endpoints)
            .Where(t => t.Equals("/admin", StringComparison.OrdinalIgnoreCase) || t.StartsWith("/admin/", StringComparison.OrdinalIgnoreCase))
            .Select(t => System.Text.RegularExpressions.Regex.Replace(t, "{[^}]+}", "placeholder"))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
    }
}
