using System.Security.Claims;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Portal.Authentication;
using Portal.Authentication.Local;
using Portal.Core.Identity;
using Portal.Core.Mfa;
using Portal.Core.Federation.Console;
using Portal.Services.SelfService;
using Portal.Tests.Core.Federation.Console;
using Portal.Tests.Core.Sts;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Components.SelfService;

/// <summary>
/// Base of the self-service page tests: the real application services over the in-memory engine
/// (<see cref="EngineHarness"/>), and a signed-in OIDC person.
/// </summary>
public abstract class SelfServiceComponentTest : PortalComponentTest, IAsyncLifetime
{
    protected const string Provider = "arn:aws:iam::111122223333:oidc-provider/idp.example.com";
    protected const string WebIdentity = "sts:AssumeRoleWithWebIdentity";
    protected const string MfaCondition = """{"Bool":{"aws:MultiFactorAuthPresent":"true"}}""";

    private EngineHarness? _harness;

    internal EngineHarness H => _harness ?? throw new InvalidOperationException("InitializeAsync has not run.");

    async Task IAsyncLifetime.InitializeAsync()
    {
        _harness = await EngineHarness.CreateAsync();

        var people = new PortalPersonResolver(H.Directory);
        Services.AddSingleton(people);
        Services.AddSingleton(new RoleCatalogService(H.Engine, H.Directory, people));
        Services.AddSingleton(new CredentialIssuanceService(H.Engine, H.Mfa, people));
        Services.AddSingleton(new SessionsService(H.DbFactory, people, H.Revocations, H.Time));
        var signin = new ConsoleSigninService(H.Verifier, new InMemoryReplayStore(), H.MasterKey, H.Time, NullLogger<ConsoleSigninService>.Instance);
        Services.AddSingleton(new ConsoleLinkService(signin));
        var local = new LocalSignInService(H.Directory, H.Mfa, new ConsolePasswordHasher(), new StaticOptionsMonitor<LocalSignInOptions>(new LocalSignInOptions()));
        Services.AddSingleton(new MfaSelfService(H.Mfa, people, local, H.Time));
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        if (_harness is not null)
        {
            await _harness.DisposeAsync();
        }
    }

    /// <summary>Signs in alice through OIDC at idp.example.com (with MFA when asked).</summary>
    protected void SignInAlice(bool mfa = false)
    {
        var auth = AddAuthorization();
        auth.SetAuthorized("Alice");
        var claims = new List<Claim>
        {
            new(PortalClaimTypes.Subject, Provider + "|alice-sub"),
            new(PortalClaimTypes.Email, "alice@example.com"),
            new(PortalClaimTypes.Provider, Provider),
            new(PortalClaimTypes.Method, "oidc"),
            new("ck:idp.example.com:sub", "alice-sub"),
        };
        if (mfa)
        {
            claims.Add(new(PortalClaimTypes.AuthenticationMethod, "mfa"));
        }

        auth.SetClaims([.. claims]);

        // The pages print whether they are interactive (the browser tests wait for it); set after every registration.
        Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    /// <summary>Enables a TOTP device owned by alice's federated identity (provider + subject); the clock moves past its enable codes.</summary>
    internal async Task<VirtualMfaDevice> EnrolAliceAsync()
    {
        var owner = Provider + "/alice-sub";
        var device = (await H.Mfa.CreateVirtualDeviceAsync(AccountId.Parse("111122223333"), owner, "/portal/", "alice-phone")).Value!;
        Assert.True((await H.Mfa.EnableAsync(device.SerialNumber, owner, H.CodeAt(device, -1), H.CodeAt(device, 0))).Succeeded);
        H.Time.Advance(TimeSpan.FromMinutes(10));
        return device;
    }

    /// <summary>A trust policy for the provider; with sts:SetSourceIdentity unless told otherwise.</summary>
    protected static string Trust(string? condition = null, bool setSourceIdentity = true) =>
        PolicyJson.TrustFederated(Provider, WebIdentity, condition, setSourceIdentity ? ["sts:SetSourceIdentity"] : []);
}

/// <summary>Options that never change, for services that take an <see cref="IOptionsMonitor{TOptions}"/>.</summary>
internal sealed class StaticOptionsMonitor<T>(T value) : IOptionsMonitor<T>
{
    public T CurrentValue => value;

    public T Get(string? name) => value;

    public IDisposable? OnChange(Action<T, string?> listener) => null;
}
