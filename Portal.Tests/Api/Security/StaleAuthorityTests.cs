using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Portal.Authentication;
using Portal.Core.Iam;
using Portal.Core.Identity;
using Portal.Core.Sts;
using Portal.Security;
using Portal.Services.Admin;

namespace Portal.Tests.Api.Security;

/// <summary>
/// SECURITY-CASES 104e: authority decided at sign-in is re-checked against the current directory — by the live circuit's
/// revalidating provider, by the administrator policy and so by the guard admin handlers call before every change.
/// </summary>
public sealed class StaleAuthorityTests(AdminAppFactory app) : IClassFixture<AdminAppFactory>
{
    private const string AdminGroup = "portal-admins";

    public enum LocalChange
    {
        AdministerPolicyRemoved,
        LoginProfileRemoved,
        UserDeleted,
    }

    private IamDirectory Directory => app.Services.GetRequiredService<IamDirectory>();

    private static AccountId Account => AccountId.Parse(PortalAppFactory.AccountId);

    [Fact]
    public async Task CheckAsync_CurrentLocalAdministrator_IsCurrent()
    {
        // Arrange
        var (_, principal) = await CreateLocalAdministratorAsync();

        // Act
        var standing = await Validator().CheckAsync(principal);

        // Assert
        Assert.Equal(PrincipalStanding.Current, standing);
    }

    [Theory]
    [InlineData(LocalChange.AdministerPolicyRemoved, PrincipalStanding.AdministratorRevoked)]
    [InlineData(LocalChange.LoginProfileRemoved, PrincipalStanding.Revoked)]
    [InlineData(LocalChange.UserDeleted, PrincipalStanding.Revoked)]
    public async Task CheckAsync_LocalUserChangedAfterSignIn_LosesStanding(LocalChange change, PrincipalStanding expected)
    {
        // Arrange
        var (user, principal) = await CreateLocalAdministratorAsync();
        await ApplyAsync(change, user);

        // Act
        var standing = await Validator().CheckAsync(principal);

        // Assert
        Assert.Equal(expected, standing);
    }

    [Fact]
    public async Task CheckAsync_CurrentFederatedAdministrator_IsCurrent()
    {
        // Arrange
        var principal = FederatedAdministrator(await CreateOidcProviderAsync());

        // Act
        var standing = await Validator().CheckAsync(principal);

        // Assert
        Assert.Equal(PrincipalStanding.Current, standing);
    }

    [Fact]
    public async Task CheckAsync_FederatedProviderDeleted_IsRevoked()
    {
        // Arrange
        var providerArn = await CreateOidcProviderAsync();
        var principal = FederatedAdministrator(providerArn);
        Assert.True((await Directory.DeleteProviderAsync(Account, providerArn)).Succeeded);

        // Act
        var standing = await Validator().CheckAsync(principal);

        // Assert
        Assert.Equal(PrincipalStanding.Revoked, standing);
    }

    [Fact]
    public async Task CheckAsync_AdministratorGroupNoLongerConfigured_LosesTheRole()
    {
        // Arrange
        var principal = FederatedAdministrator(await CreateOidcProviderAsync());

        // Act
        var standing = await Validator(administratorGroups: []).CheckAsync(principal);

        // Assert
        Assert.Equal(PrincipalStanding.AdministratorRevoked, standing);
    }

    [Fact]
    public async Task CheckAsync_PrincipalOfNoSignInMethod_IsRevoked()
    {
        // Arrange: a role claim with no method, user or provider behind it.
        var principal = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(PortalClaimTypes.Role, PortalClaimTypes.AdministratorRole), new Claim(PortalClaimTypes.AuthenticationMethod, "mfa")], "test"));

        // Act
        var standing = await Validator().CheckAsync(principal);

        // Assert
        Assert.Equal(PrincipalStanding.Revoked, standing);
    }

    [Fact]
    public async Task Revalidation_AdministratorLosesRole_CircuitBecomesUnauthenticated()
    {
        // Arrange: the circuit's provider with a short interval; the change event is awaited (bounded), not slept on.
        var (user, principal) = await CreateLocalAdministratorAsync();
        using var provider = new RevalidatingPortalAuthenticationStateProvider(
            NullLoggerFactory.Instance, Validator(), Options.Create(new RevalidationOptions { RevalidationInterval = TimeSpan.FromMilliseconds(20) }));
        var signedOut = new TaskCompletionSource<AuthenticationState>(TaskCreationOptions.RunContinuationsAsynchronously);
        provider.AuthenticationStateChanged += async task =>
        {
            var next = await task;
            if (next.User.Identity?.IsAuthenticated != true)
            {
                signedOut.TrySetResult(next);
            }
        };
        provider.SetAuthenticationState(Task.FromResult(new AuthenticationState(principal)));

        // Act
        await ApplyAsync(LocalChange.AdministerPolicyRemoved, user);
        var state = await signedOut.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // Assert
        Assert.False(state.User.HasClaim(PortalClaimTypes.Role, PortalClaimTypes.AdministratorRole));
        Assert.False((await provider.GetAuthenticationStateAsync()).User.HasClaim(PortalClaimTypes.Role, PortalClaimTypes.AdministratorRole));
    }

    [Fact]
    public void RevalidationInterval_NotConfigured_IsOneMinute()
    {
        // Act
        var options = app.Services.GetRequiredService<IOptions<RevalidationOptions>>().Value;

        // Assert
        Assert.Equal(TimeSpan.FromMinutes(1), options.RevalidationInterval);
    }

    [Fact]
    public async Task AuditActorGuard_AdministratorLostRole_Refuses()
    {
        // Arrange: the guard admin handlers call before each change, with the circuit's (not yet revalidated) state.
        var (user, principal) = await CreateLocalAdministratorAsync();
        var authorization = app.Services.GetRequiredService<IAuthorizationService>();
        var state = Task.FromResult(new AuthenticationState(principal));
        Assert.Equal(user.Arn, await AuditActor.RequireAdministratorAsync(authorization, state));
        await ApplyAsync(LocalChange.AdministerPolicyRemoved, user);

        // Act
        var actor = await AuditActor.RequireAdministratorAsync(authorization, state);

        // Assert
        Assert.Null(actor);
    }

    [Fact]
    public async Task GetAdminExport_CookieOfAdministratorWhoLostRole_IsDenied()
    {
        // Arrange: the cookie still says administrator; the directory no longer does.
        var name = "stale-" + Guid.NewGuid().ToString("N")[..10];
        using var client = await app.CreateClientAsync(TestPerson.Administrator, name);
        var export = new Uri("/admin/audit/export.json", UriKind.Relative);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(export)).StatusCode);
        await ApplyAsync(LocalChange.AdministerPolicyRemoved, (await Directory.FindUserAsync(Account, name))!);

        // Act
        var response = await client.GetAsync(export);

        // Assert
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(PortalAuthenticationDefaults.AccessDeniedPath, response.Headers.Location?.OriginalString ?? string.Empty, StringComparison.Ordinal);
    }

    private CurrentPrincipalValidator Validator(IReadOnlyList<string>? administratorGroups = null)
    {
        var options = new PortalAdministratorOptions();
        foreach (var group in administratorGroups ?? [AdminGroup])
        {
            options.AdministratorGroups.Add(group);
        }

        var principals = new PortalPrincipalFactory(app.Services.GetRequiredService<StsEngine>(), new FixedOptionsMonitor<PortalAdministratorOptions>(options));
        return new CurrentPrincipalValidator(Directory, principals);
    }

    private async Task<(UserInfo User, ClaimsPrincipal Principal)> CreateLocalAdministratorAsync()
    {
        var user = await app.UserForAsync(TestPerson.Administrator, "admin-" + Guid.NewGuid().ToString("N")[..10]);
        return (user, AdminAppFactory.PrincipalFor(TestPerson.Administrator, user));
    }

    private async Task ApplyAsync(LocalChange change, UserInfo user)
    {
        switch (change)
        {
            case LocalChange.AdministerPolicyRemoved:
                Assert.True((await Directory.DeleteInlinePolicyAsync(user.Id, "admin")).Succeeded);
                break;
            case LocalChange.LoginProfileRemoved:
                Assert.True((await Directory.DeleteLoginProfileAsync(user.Id)).Succeeded);
                break;
            case LocalChange.UserDeleted:
                Assert.True((await Directory.DeleteInlinePolicyAsync(user.Id, "admin")).Succeeded);
                Assert.True((await Directory.DeleteUserAsync(Account, user.Name)).Succeeded);
                break;
        }
    }

    private async Task<string> CreateOidcProviderAsync()
    {
        var url = "https://idp-" + Guid.NewGuid().ToString("N")[..8] + ".example.com";
        return (await Directory.CreateOidcProviderAsync(Account, url, ["portal"], [])).Value!.Arn;
    }

    private static ClaimsPrincipal FederatedAdministrator(string providerArn) => new(new ClaimsIdentity(
        [
            new Claim(PortalClaimTypes.Subject, providerArn + "/alice"),
            new Claim(PortalClaimTypes.Provider, providerArn),
            new Claim(PortalClaimTypes.Method, "oidc"),
            new Claim(PortalClaimTypes.Group, AdminGroup),
            new Claim(PortalClaimTypes.Role, PortalClaimTypes.AdministratorRole),
            new Claim(PortalClaimTypes.AuthenticationMethod, "mfa"),
        ],
        "test"));

    private sealed class FixedOptionsMonitor<T>(T value) : IOptionsMonitor<T>
    {
        public T CurrentValue => value;

        public T Get(string? name) => value;

        public IDisposable? OnChange(Action<T, string?> listener) => null;
    }
}
