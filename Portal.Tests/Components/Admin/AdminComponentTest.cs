using Bunit;
using Bunit.TestDoubles;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Portal.Authentication;
using Portal.Authentication.Oidc;
using Portal.Core.Federation.Saml;
using Portal.Core.Credentials;
using Portal.Core.Persistence.Stores;
using Portal.Services.Admin;
using Portal.Tests.Core.Sts;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Components.Admin;

/// <summary>
/// Base of the admin page tests: the real admin services over the in-memory engine (<see cref="EngineHarness"/>: accounts
/// <see cref="EngineHarness.AccountA"/> and <see cref="EngineHarness.AccountB"/>), a signed-in administrator, and the
/// dialog provider the pages' confirmations open in.
/// </summary>
public abstract class AdminComponentTest : PortalComponentTest, IAsyncLifetime
{
    protected const string Administrator = "arn:aws:iam::111122223333:user/admin";

    private EngineHarness? _harness;
    private RevocationList? _revocations;
    private SamlMetadataFetcher? _metadataFetcher;
    private BunitAuthorizationContext? _auth;

    internal EngineHarness H => _harness ?? throw new InvalidOperationException("InitializeAsync has not run.");

    async Task IAsyncLifetime.InitializeAsync()
    {
        _harness = await EngineHarness.CreateAsync();
        Services.AddSingleton(new RolesAdminService(H.Directory, H.Engine, H.Audit, H.Time));
        Services.AddSingleton(new HighRiskConfirmation(new Portal.Services.SelfService.PortalPersonResolver(H.Directory), H.Mfa, H.Audit, H.Time));
        // The page lists sessions from the database and hides revoked ones found there, as in production (the harness's
        // own revocation list is in memory).
        _revocations = new RevocationList(new EfRevocationStore(H.DbFactory), H.Time, Options.Create(new RevocationListOptions()));
        Services.AddSingleton(new SessionsAdminService(H.DbFactory, _revocations, H.Audit, H.Time));
        Services.AddSingleton(new UsersAdminService(H.Directory, H.Mfa, H.DbFactory, H.Audit, H.Time, H.Policies,
            new Portal.Tests.Components.SelfService.StaticOptionsMonitor<PortalAdministratorOptions>(new PortalAdministratorOptions())));
        _metadataFetcher = new SamlMetadataFetcher(Options.Create(new SamlMetadataFetchOptions()));
        Services.AddHttpClient();
        Services.AddSingleton(sp => new ProvidersAdminService(
            H.Directory, new OidcSignInSettingsCodec(H.Protector), sp.GetRequiredService<IHttpClientFactory>(), H.Time, _metadataFetcher, H.Audit));
        _auth = AddAuthorization();
        _auth.SetAuthorized("admin");
        _auth.SetClaims(new System.Security.Claims.Claim(PortalClaimTypes.Subject, Administrator));
        _auth.SetPolicies(PortalAuthenticationDefaults.AdministratorPolicy);
        Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        _revocations?.Dispose();
        _metadataFetcher?.Dispose();
        if (_harness is not null)
        {
            await _harness.DisposeAsync();
        }
    }

    /// <summary>
    /// Another administrator removed this one's role while the page stays open (SECURITY-CASES 104e): the administrator
    /// policy now fails, as the revalidating provider and <see cref="AuditActor"/> would find.
    /// </summary>
    protected void RevokeAdministrator() => (_auth ?? throw new InvalidOperationException("InitializeAsync has not run.")).SetPolicies();

    /// <summary>
    /// Gives the signed-in administrator a local user with an enabled MFA device, as the code prompts of high-risk changes
    /// need (SECURITY-CASES 104g). Call before rendering.
    /// </summary>
    internal async Task<Portal.Core.Mfa.VirtualMfaDevice> EnrolAdministratorAsync()
    {
        var admin = await H.CreateUserAsync("admin");
        var device = await H.CreateEnabledMfaDeviceAsync(admin.User, "admin-device");
        (_auth ?? throw new InvalidOperationException("InitializeAsync has not run.")).SetClaims(
            new System.Security.Claims.Claim(PortalClaimTypes.Subject, Administrator),
            new System.Security.Claims.Claim(PortalClaimTypes.Method, "local"),
            new System.Security.Claims.Claim(PortalClaimTypes.UserId, admin.User.Id));
        return device;
    }

    /// <summary>The snackbar messages the page showed (rendered by <see cref="RenderWithDialogs"/>).</summary>
    protected IRenderedComponent<MudBlazor.MudSnackbarProvider> Snackbars { get; private set; } = default!;

    /// <summary>Renders the dialog and snackbar providers, then the page.</summary>
    protected IRenderedComponent<MudBlazor.MudDialogProvider> RenderWithDialogs<TPage>(out IRenderedComponent<TPage> page)
        where TPage : IComponent
    {
        Snackbars = Render<MudBlazor.MudSnackbarProvider>();
        var dialogs = Render<MudBlazor.MudDialogProvider>();
        page = Render<TPage>();
        return dialogs;
    }
}
