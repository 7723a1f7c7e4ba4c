using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Portal.Authentication;
using Portal.Core.Iam;
using Portal.Core.Identity;

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
            services.AddSingleton<IStartupFilter>(new TestSignInStartupFilter(this))));
    }

    public WebApplicationFactory<Program> Factory { get; }

    public IServiceProvider Services => Factory.Services;

    /// <summary>
    /// A client that keeps cookies and does not follow redirects, signed in as <paramref name="person"/> (as the IAM user
    /// <paramref name="userName"/> when given, created on first use; see <see cref="UserForAsync"/>).
    /// </summary>
    public async Task<HttpClient> CreateClientAsync(TestPerson person, string? userName = null)
    {
        var client = Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        if (person != TestPerson.Anonymous)
        {
            var query = "?as=" + person + (userName is null ? string.Empty : "&name=" + Uri.EscapeDataString(userName));
            var response = await client.GetAsync(new Uri(SignInPath + query, UriKind.Relative));
            response.EnsureSuccessStatusCode();
        }

        return client;
    }

    public void Dispose()
    {
        Factory.Dispose();
        _inner.Dispose();
    }

    /// <summary>
    /// A real local IAM user per person (with a console password, and allowed portal:Administer for the administrators), so
    /// the administrator policy's re-check against the directory (SECURITY-CASES 104e) sees what a real sign-in would.
    /// </summary>
    public async Task<UserInfo> UserForAsync(TestPerson person, string? name = null)
    {
        var directory = Services.GetRequiredService<IamDirectory>();
        var account = AccountId.Parse(PortalAppFactory.AccountId);
        name ??= "test-" + person;
        if (await directory.FindUserAsync(account, name) is { } existing)
        {
            return existing;
        }

        var user = (await directory.CreateUserAsync(account, name)).Value!;
        if (person is TestPerson.Administrator or TestPerson.AdministratorWithoutMfa)
        {
            await directory.PutInlinePolicyAsync(user.Id, "admin", AdministerPolicy);
        }

        await directory.SetLoginProfileAsync(user.Id, "not-a-usable-hash");
        return (await directory.FindUserByIdAsync(user.Id))!;
    }

    public const string AdministerPolicy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"portal:Administer","Resource":"*"}]}""";

    internal static ClaimsPrincipal PrincipalFor(TestPerson person, UserInfo user)
    {
        var claims = new List<Claim>
        {
            new(PortalClaimTypes.Subject, user.Arn),
            new(PortalClaimTypes.Name, "Test " + person),
            new(PortalClaimTypes.UserId, user.Id),
            new(PortalClaimTypes.AccountId, user.AccountId),
            new(PortalClaimTypes.Provider, "local"),
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

    private sealed class TestSignInStartupFilter(AdminAppFactory owner) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, nextMiddleware) =>
            {
                if (context.Request.Path == SignInPath && Enum.TryParse<TestPerson>(context.Request.Query["as"], out var person))
                {
                    await context.SignInAsync(PortalAuthenticationDefaults.CookieScheme, PrincipalFor(person, await owner.UserForAsync(person, context.Request.Query["name"].FirstOrDefault())));
                    context.Response.StatusCode = StatusCodes.Status204NoContent;
                    return;
                }

                await nextMiddleware(context);
            });
            next(app);
        };
    }
}
