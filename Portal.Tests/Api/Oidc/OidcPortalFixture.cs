using System.Security.Claims;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Portal.Authentication;
using Portal.Authentication.Oidc;
using Portal.Core.Identity;
using Portal.Core.Persistence;
using Portal.Core.Persistence.Entities;

namespace Portal.Tests.Api.Oidc;

/// <summary>
/// The real Portal in-process with its outbound OIDC clients pointed at a <see cref="FakeOidcIdp"/>, plus the steps
/// a browser takes through a sign-in. Each test registers its own issuer, so tests stay independent.
/// </summary>
public sealed partial class OidcPortalFixture : IAsyncLifetime, IDisposable
{
    private readonly PortalAppFactory _baseFactory = new();
    private FakeOidcIdp? _idp;
    private WebApplicationFactory<Program>? _factory;

    internal FakeOidcIdp Idp => _idp!;

    internal WebApplicationFactory<Program> Factory => _factory!;

    internal IServiceProvider Services => Factory.Services;

    public async Task InitializeAsync()
    {
        _idp = await FakeOidcIdp.StartAsync();
        _factory = _baseFactory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
        {
            // The last primary-handler configuration wins: both outbound clients reach the fake IdP instead of the network.
            services.AddHttpClient(OidcSignInDefaults.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => _idp.CreateHandler());
            services.AddHttpClient(OidcSignInDefaults.LoopbackHttpClientName).ConfigurePrimaryHttpMessageHandler(() => _idp.CreateHandler());
        }));
        _ = _factory.Server;
    }

    public async Task DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        if (_idp is not null)
        {
            await _idp.DisposeAsync();
        }
    }

    /// <summary>xunit calls this after <see cref="DisposeAsync"/>: the base factory owns the data directory.</summary>
    public void Dispose() => _baseFactory.Dispose();

    /// <summary>A new issuer on a host no other test uses.</summary>
    internal FakeOidcIssuer NewIssuer(string path = "") =>
        Idp.AddIssuer("https://idp-" + Guid.NewGuid().ToString("N")[..8] + ".test" + path);

    internal static string ProviderArn(FakeOidcIssuer issuer) =>
        Arn.OidcProvider(AccountId.Parse(PortalAppFactory.AccountId), issuer.Issuer).ToString();

    /// <summary>Stores the provider as the IAM layer would and synchronises the schemes.</summary>
    internal async Task<OidcSignInProvider?> RegisterAsync(FakeOidcIssuer issuer, bool trustMfa = true, string? groupsClaim = "groups", bool signIn = true)
    {
        var codec = Services.GetRequiredService<OidcSignInSettingsCodec>();
        var settings = new OidcSignInSettings
        {
            DisplayName = "Corp " + issuer.Issuer,
            ClientId = signIn ? issuer.ClientId : null,
            GroupsClaim = groupsClaim,
            TrustMfa = trustMfa,
        };
        await using (var db = await Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync())
        {
            db.IdentityProviders.Add(new IdentityProviderEntity
            {
                Arn = ProviderArn(issuer),
                AccountId = PortalAppFactory.AccountId,
                Kind = "OIDC",
                Name = issuer.Issuer,
                ClientIdsJson = $"[\"{issuer.ClientId}\"]",
                SettingsJson = codec.Write(settings, signIn ? issuer.ClientSecret : null),
                CreatedAt = TimeProvider.System.GetUtcNow(),
            });
            await db.SaveChangesAsync();
        }

        var schemes = Services.GetRequiredService<OidcProviderSchemes>();
        await schemes.SyncAsync();
        return schemes.FindByScheme(OidcSignInProvider.SchemeNameOf(issuer.Issuer));
    }

    internal async Task UnregisterAsync(FakeOidcIssuer issuer)
    {
        await using (var db = await Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync())
        {
            var arn = ProviderArn(issuer);
            await db.IdentityProviders.Where(p => p.Arn == arn).ExecuteDeleteAsync();
        }

        await Services.GetRequiredService<OidcProviderSchemes>().SyncAsync();
    }

    /// <summary>A browser at the portal: https (the handler's cookies are Secure), cookies kept, no redirects followed.</summary>
    internal HttpClient CreateBrowser() =>
        Factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>
    /// Challenge at the portal, authorize at the IdP (which answers at once with a form_post), then the callback POST,
    /// with <paramref name="tamper"/> applied to the form fields first.
    /// </summary>
    internal async Task<SignInAttempt> SignInAsync(OidcSignInProvider provider, string? returnUrl = null, Action<Dictionary<string, string>>? tamper = null)
    {
        using var browser = CreateBrowser();
        var challengeUri = OidcSignInDefaults.ChallengePathPrefix + provider.Key + (returnUrl is null ? string.Empty : "?returnUrl=" + Uri.EscapeDataString(returnUrl));
        using var challenge = await browser.GetAsync(new Uri(challengeUri, UriKind.Relative));
        Assert.Equal(System.Net.HttpStatusCode.Redirect, challenge.StatusCode);

        using var idpBrowser = Idp.CreateBrowser();
        using var authorize = await idpBrowser.GetAsync(challenge.Headers.Location);
        var html = await authorize.Content.ReadAsStringAsync();
        var action = System.Net.WebUtility.HtmlDecode(FormAction().Match(html).Groups[1].Value);
        var fields = HiddenInput().Matches(html).ToDictionary(m => m.Groups[1].Value, m => System.Net.WebUtility.HtmlDecode(m.Groups[2].Value));
        tamper?.Invoke(fields);

        using var form = new FormUrlEncodedContent(fields);
        var callback = await browser.PostAsync(new Uri(action), form);
        return new SignInAttempt(challenge.Headers.Location!, callback, await callback.Content.ReadAsStringAsync(), ReadPortalPrincipal(callback));
    }

    /// <summary>The latest audit records of the OIDC sign-in for a provider ARN.</summary>
    internal async Task<List<AuditEventEntity>> AuditAsync(string providerArn)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        return await db.AuditEvents.AsNoTracking()
            .Where(a => a.Action == OidcSignInDefaults.AuditAction && a.Resource == providerArn)
            .OrderBy(a => a.Id)
            .ToListAsync();
    }

    /// <summary>The principal in the portal cookie the response sets, or null when it sets none.</summary>
    private ClaimsPrincipal? ReadPortalPrincipal(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Set-Cookie", out var cookies))
        {
            return null;
        }

        var value = cookies.Select(c => c.Split(';')[0]).Where(c => c.StartsWith("portal.auth=", StringComparison.Ordinal)).Select(c => c["portal.auth=".Length..]).FirstOrDefault();
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        var options = Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(PortalAuthenticationDefaults.CookieScheme);
        AuthenticationTicket? ticket = options.TicketDataFormat.Unprotect(value);
        return ticket?.Principal;
    }

    [GeneratedRegex("<form method=\"post\" action=\"([^\"]+)\"")]
    private static partial Regex FormAction();

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"/>")]
    private static partial Regex HiddenInput();
}

/// <summary>What a browser saw at the end of a sign-in attempt.</summary>
internal sealed record SignInAttempt(Uri AuthorizeUri, HttpResponseMessage Callback, string Body, ClaimsPrincipal? Principal);
