using System.Net;
using System.Security.Claims;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Portal.Authentication;
using Portal.Authentication.Local;
using Portal.Core.Iam;
using Portal.Core.Identity;

namespace Portal.Tests.Api.Account;

/// <summary>
/// The real Portal with a frozen clock (TOTP steps move only when a test advances it), the bootstrap admin password set,
/// and a recorder of the principal each request ended with (to see what /_blazor authenticated as).
/// </summary>
public sealed partial class AccountAppFixture : IDisposable
{
    public const string AdminPassword = "Bootstrap-Admin-Password-1";

    private readonly PortalAppFactory _inner = new();

    public AccountAppFixture()
    {
        Factory = Create(permitsPerMinute: 1000);
    }

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    public WebApplicationFactory<Program> Factory { get; }

    public IServiceProvider Services => Factory.Services;

    /// <summary>Path and IsAuthenticated of each request, as the pipeline left <see cref="HttpContext.User"/>.</summary>
    public List<(string Path, bool Authenticated)> Requests { get; } = [];

    private WebApplicationFactory<Program> Create(int permitsPerMinute) => _inner.WithWebHostBuilder(builder =>
    {
        builder.UseSetting("Bootstrap:AdminPassword", AdminPassword);
        builder.UseSetting("LocalSignIn:PermitsPerMinutePerIp", permitsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Time);
            services.AddSingleton<IStartupFilter>(new RecordingStartupFilter(Requests));
        });
    });

    public HttpClient CreateClient(WebApplicationFactory<Program>? factory = null) =>
        (factory ?? Factory).CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>Creates an IAM user with a console password, optionally allowed portal:Administer.</summary>
    public async Task<(UserInfo User, string Password)> CreateUserAsync(bool administrator = false)
    {
        var directory = Services.GetRequiredService<IamDirectory>();
        var user = (await directory.CreateUserAsync(AccountId.Parse(PortalAppFactory.AccountId), "u" + Guid.NewGuid().ToString("N")[..10])).Value!;
        if (administrator)
        {
            Assert.True((await directory.PutInlinePolicyAsync(user.Id, "admin", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"portal:Administer","Resource":"*"}]}""")).Succeeded);
        }

        var password = "pw-" + Guid.NewGuid().ToString("N");
        Assert.True((await directory.SetLoginProfileAsync(user.Id, Services.GetRequiredService<ConsolePasswordHasher>().Hash(password))).Succeeded);
        return (user, password);
    }

    public static async Task<(string Html, string Token)> GetFormAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(new Uri(url, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        return (html, TokenPattern().Match(html).Groups[1].Value);
    }

    public static Task<HttpResponseMessage> PostAsync(HttpClient client, string url, string? token, params (string Name, string Value)[] fields)
    {
        var form = fields.ToList();
        if (token is not null)
        {
            form.Add(("__RequestVerificationToken", token));
        }

        return client.PostAsync(new Uri(url, UriKind.Relative), new FormUrlEncodedContent(form.Select(f => KeyValuePair.Create(f.Name, f.Value))));
    }

    /// <summary>Password step: GET the page, POST the form.</summary>
    public static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string userName, string password, string? returnUrl = null, string account = "")
    {
        var (_, token) = await GetFormAsync(client, "/account/signin");
        return await PostAsync(client, "/account/signin", token, ("account", account), ("userName", userName), ("password", password), ("returnUrl", returnUrl ?? "/"));
    }

    /// <summary>The ticket inside a Set-Cookie of <paramref name="response"/> for <paramref name="scheme"/>, or null.</summary>
    public AuthenticationTicket? TicketOf(HttpResponseMessage response, string scheme)
    {
        var options = Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(scheme);
        var value = CookieValue(response, options.Cookie.Name!);
        return string.IsNullOrEmpty(value) ? null : options.TicketDataFormat.Unprotect(value);
    }

    public static string? CookieValue(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues("Set-Cookie", out var cookies)
            ? cookies.Where(c => c.StartsWith(name + "=", StringComparison.Ordinal)).Select(c => c[(name.Length + 1)..c.IndexOf(';', StringComparison.Ordinal)]).LastOrDefault()
            : null;

    public static string[] Amr(AuthenticationTicket ticket) =>
        ticket.Principal.FindAll(PortalClaimTypes.AuthenticationMethod).Select(c => c.Value).ToArray();

    public static bool IsAdministrator(ClaimsPrincipal principal) => principal.HasClaim(PortalClaimTypes.Role, PortalClaimTypes.AdministratorRole);

    public void Dispose()
    {
        Factory.Dispose();
        _inner.Dispose();
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    private sealed class RecordingStartupFilter(List<(string Path, bool Authenticated)> requests) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, nextMiddleware) =>
            {
                await nextMiddleware(context);
                lock (requests)
                {
                    requests.Add((context.Request.Path.Value ?? string.Empty, context.User.Identity?.IsAuthenticated == true));
                }
            });
            next(app);
        };
    }
}
