using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Portal.Authentication;

namespace Portal.Tests.Api.Security;

/// <summary>Who a test client is signed in as.</summary>
public enum TestPerson
{
    Anonymous,
    User,
    AdministratorWithoutMfa,
    Administrator,
}

/// <summary>
/// The real Portal plus a test-only sign-in endpoint (<see cref="SignInPath"/>) that issues the real portal cookie for a
/// chosen <see cref="TestPerson"/>. It exists only in this factory, never in production code.
/// </summary>
public sealed class AdminAppFactory : IDisposable
{
    public const string SignInPath = "/__test/signin";

    private readonly PortalAppFactory _inner = new();

    public AdminAppFactory()
    {
        Factory = _inner.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
            services.AddSingleton<IStartupFilter>(new TestSignInStartupFilter())));
    }

    public WebApplicationFactory<Program> Factory { get; }

    public IServiceProvider Services => Factory.Services;

    /// <summary>A client that keeps cookies and does not follow redirects, signed in as <paramref name="person"/>.</summary>
    public async Task<HttpClient> CreateClientAsync(TestPerson person)
    {
        var client = Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        if (person != TestPerson.Anonymous)
        {
            var response = await client.GetAsync(new Uri(SignInPath + "?as=" + person, UriKind.Relative));
            response.EnsureSuccessStatusCode();
        }

        return client;
    }

    public void Dispose()
    {
        Factory.Dispose();
        _inner.Dispose();
    }

    private static ClaimsPrincipal PrincipalFor(TestPerson person)
    {
        var claims = new List<Claim>
        {
            new(PortalClaimTypes.Subject, "test:" + person),
            new(PortalClaimTypes.Name, "Test " + person),
            new(PortalClaimTypes.Method, "local"),
        };
        if (person is TestPerson.Administrator or TestPerson.AdministratorWithoutMfa)
        {
            claims.Add(new Claim(PortalClaimTypes.Role, PortalClaimTypes.AdministratorRole));
        }

        claims.Add(new Claim(PortalClaimTypes.AuthenticationMethod, "pwd"));
        if (person is TestPerson.Administrator or TestPerson.User)
        {
            claims.Add(new Claim(PortalClaimTypes.AuthenticationMethod, "mfa"));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, "test", PortalClaimTypes.Name, PortalClaimTypes.Role));
    }

    private sealed class TestSignInStartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, nextMiddleware) =>
            {
                if (context.Request.Path == SignInPath && Enum.TryParse<TestPerson>(context.Request.Query["as"], out var person))
                {
                    await context.SignInAsync(PortalAuthenticationDefaults.CookieScheme, PrincipalFor(person));
                    context.Response.StatusCode = StatusCodes.Status204NoContent;
                    return;
                }

                await nextMiddleware(context);
            });
            next(app);
        };
    }
}
