using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Portal.Authentication;
using Portal.Core.Signing;

namespace Portal.Tests.Api.Downloads;

/// <summary>
/// The real Portal with a frozen clock and a test-only sign-in endpoint that issues the real portal cookie for an OIDC
/// person at idp.example.com (subject, e-mail, groups from the query). It exists only in this test host.
/// </summary>
public sealed class DownloadsHost : IDisposable
{
    public const string Provider = "arn:aws:iam::111122223333:oidc-provider/idp.example.com";
    private const string SignInPath = "/__test/downloads-signin";
    private readonly PortalAppFactory _base = new();

    public DownloadsHost()
    {
        Time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        App = _base.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Time);
            services.AddSingleton<IStartupFilter>(new SignInFilter());
        }));
    }

    public FakeTimeProvider Time { get; }

    public WebApplicationFactory<Program> App { get; }

    public IServiceProvider Services => App.Services;

    /// <summary>The principal the sign-in endpoint issues (also what the application services are called with).</summary>
    public static ClaimsPrincipal Person(string subject, params string[] groups)
    {
        var claims = new List<Claim>
        {
            new(PortalClaimTypes.Subject, Provider + "|" + subject),
            new(PortalClaimTypes.Name, subject),
            new(PortalClaimTypes.Email, subject + "@example.com"),
            new(PortalClaimTypes.Provider, Provider),
            new(PortalClaimTypes.Method, "oidc"),
            new(PortalClaimTypes.AuthenticationMethod, "mfa"),
        };
        claims.AddRange(groups.Select(g => new Claim(PortalClaimTypes.Group, g)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, "test", PortalClaimTypes.Name, PortalClaimTypes.Role));
    }

    /// <summary>A browser signed in as <paramref name="subject"/> (or anonymous when null): cookies kept, redirects not followed.</summary>
    public async Task<HttpClient> BrowserAsync(string? subject, params string[] groups)
    {
        var client = App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true, BaseAddress = new Uri("https://localhost") });
        if (subject is not null)
        {
            var query = "?sub=" + Uri.EscapeDataString(subject) + string.Concat(groups.Select(g => "&group=" + Uri.EscapeDataString(g)));
            (await client.GetAsync(new Uri(SignInPath + query, UriKind.Relative))).EnsureSuccessStatusCode();
        }

        return client;
    }

    /// <summary>Calls sts:GetCallerIdentity signed with temporary credentials; returns the status and body.</summary>
    public async Task<(int Status, string Body)> GetCallerIdentityAsync(string accessKeyId, string secret, string token)
    {
        var client = App.CreateClient();
        var bytes = Encoding.UTF8.GetBytes("Action=GetCallerIdentity&Version=2011-06-15");
        var headers = new List<KeyValuePair<string, string>>
        {
            new("Host", client.BaseAddress!.Authority),
            new("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
        };
        var signed = SigV4Signer.SignHeaders("POST", "/", string.Empty, headers, bytes, new SigV4Credentials(accessKeyId, secret, token), "us-east-1", "sts", Time.GetUtcNow());
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new ByteArrayContent(bytes) };
        foreach (var (name, value) in signed.Where(h => !h.Key.Equals("Host", StringComparison.OrdinalIgnoreCase)))
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        var response = await client.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public void Dispose()
    {
        App.Dispose();
        _base.Dispose();
    }

    private sealed class SignInFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, nextMiddleware) =>
            {
                if (context.Request.Path == SignInPath)
                {
                    var person = Person(context.Request.Query["sub"].ToString(), [.. context.Request.Query["group"].Select(g => g ?? string.Empty)]);
                    await context.SignInAsync(PortalAuthenticationDefaults.CookieScheme, person);
                    context.Response.StatusCode = StatusCodes.Status204NoContent;
                    return;
                }

                await nextMiddleware(context);
            });
            next(app);
        };
    }
}
