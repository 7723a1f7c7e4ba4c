using System.Security.Claims;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Authentication;
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

    /// <summary>A trust policy for the provider; with sts:SetSourceIdentity unless told otherwise.</summary>
    protected static string Trust(string? condition = null, bool setSourceIdentity = true) =>
        PolicyJson.TrustFederated(Provider, WebIdentity, condition, setSourceIdentity ? ["sts:SetSourceIdentity"] : []);
}
