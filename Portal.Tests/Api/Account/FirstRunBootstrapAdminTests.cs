using System.Text.RegularExpressions;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Authentication;
using Portal.Authentication.Local;
using Portal.Core.Iam;
using Portal.Core.Sts;
using Portal.Hosting;
using Portal.Tests.Core.Sts;

namespace Portal.Tests.Api.Account;

/// <summary>First run creates the break-glass IAM user admin: password printed once, inline admin policy, portal:Administer.</summary>
public sealed partial class FirstRunBootstrapAdminTests : IAsyncLifetime
{
    private EngineHarness _h = null!;

    public async Task InitializeAsync()
    {
        _h = await EngineHarness.CreateAsync();

        // The harness seeds two accounts; the bootstrap only runs on an empty directory.
        await using var db = _h.DbFactory.CreateDbContext();
        await db.Accounts.ExecuteDeleteAsync();
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task Run_GeneratedPassword_PrintedOnceAndVerifies()
    {
        // Arrange
        var hasher = new ConsolePasswordHasher();
        using var console = new StringWriter();
        var bootstrap = CreateSubject(hasher, console, adminPassword: null);

        // Act
        var created = await bootstrap.RunAsync();
        var again = await CreateSubject(hasher, console, adminPassword: null).RunAsync();

        // Assert
        Assert.True(created);
        Assert.False(again);
        var passwords = PrintedPassword().Matches(console.ToString());
        var password = Assert.Single(passwords).Groups[1].Value;
        var check = await CheckAsync(hasher, password);
        Assert.Equal(ConsolePasswordStatus.Success, check.Status);
    }

    [Fact]
    public async Task Run_ConfiguredPassword_NotPrintedAndAdministers()
    {
        // Arrange
        var hasher = new ConsolePasswordHasher();
        using var console = new StringWriter();
        const string password = "configured-admin-password";

        // Act
        await CreateSubject(hasher, console, password).RunAsync();

        // Assert
        Assert.DoesNotContain(password, console.ToString(), StringComparison.Ordinal);
        var check = await CheckAsync(hasher, password);
        var user = check.User!;
        var policy = Assert.Single(await _h.Directory.ListInlinePoliciesAsync(user.Id));
        Assert.Equal(FirstRunBootstrap.AdminPolicyName, policy.Name);
        var factory = new PortalPrincipalFactory(_h.Engine, new StaticMonitor(new PortalAdministratorOptions()));
        Assert.True(await factory.IsIamAdministratorAsync(user, new RequestInfo()));
        var principal = await factory.CreateLocalAsync(user, mfa: true, PortalAuthenticationDefaults.CookieScheme, new RequestInfo());
        Assert.True(principal.HasClaim(PortalClaimTypes.Role, PortalClaimTypes.AdministratorRole));
    }

    [Fact]
    public async Task Run_ShortConfiguredPassword_Throws()
    {
        // Arrange
        using var console = new StringWriter();

        // Act + Assert
        await Assert.ThrowsAsync<InvalidOperationException>(() => CreateSubject(new ConsolePasswordHasher(), console, "short").RunAsync());
    }

    [Fact]
    public void ApplyAdministratorGroups_IdpAssertedRoleAndGroups_OnlyConfiguredGroupGrantsRole()
    {
        // Arrange
        var options = new PortalAdministratorOptions();
        options.AdministratorGroups.Add("portal-admins");
        var factory = new PortalPrincipalFactory(_h.Engine, new StaticMonitor(options));
        var forged = new ClaimsIdentity([new Claim(PortalClaimTypes.Role, PortalClaimTypes.AdministratorRole), new Claim(PortalClaimTypes.Group, "Portal-Admins")], "saml:test");
        var member = new ClaimsIdentity([new Claim(PortalClaimTypes.Group, "staff"), new Claim(PortalClaimTypes.Group, "portal-admins")], "saml:test");

        // Act
        factory.ApplyAdministratorGroups(forged);
        factory.ApplyAdministratorGroups(member);

        // Assert
        Assert.False(forged.HasClaim(PortalClaimTypes.Role, PortalClaimTypes.AdministratorRole));
        Assert.Single(member.FindAll(PortalClaimTypes.Role));
        Assert.True(member.HasClaim(PortalClaimTypes.Role, PortalClaimTypes.AdministratorRole));
    }

    private FirstRunBootstrap CreateSubject(ConsolePasswordHasher hasher, TextWriter console, string? adminPassword) =>
        new(_h.Directory, hasher, Options.Create(new BootstrapOptions { AccountId = EngineHarness.AccountA, AdminPassword = adminPassword }), console);

    private Task<ConsolePasswordCheck> CheckAsync(ConsolePasswordHasher hasher, string password) =>
        _h.Directory.CheckConsolePasswordAsync(EngineHarness.Account(EngineHarness.AccountA), FirstRunBootstrap.AdminUserName, hash => hasher.Verify(hash, password), new ConsoleLockoutPolicy(5, TimeSpan.FromMinutes(15)));

    [GeneratedRegex(@"first sign-in:\s+(\S+)")]
    private static partial Regex PrintedPassword();

    private sealed class StaticMonitor(PortalAdministratorOptions value) : IOptionsMonitor<PortalAdministratorOptions>
    {
        public PortalAdministratorOptions CurrentValue => value;

        public PortalAdministratorOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<PortalAdministratorOptions, string?> listener) => null;
    }
}
