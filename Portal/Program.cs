using MudBlazor.Services;
using Portal.Admin;
using Portal.Authentication;
using Portal.Authentication.Local;
using Portal.Components;
using Portal.Downloads;
using Portal.Hosting;
using Portal.Security;
using Portal.Services;
using Portal.Services.Admin;
using Portal.Services.Downloads;
using Portal.Services.SelfService;
using Portal.Sts;

var builder = WebApplication.CreateBuilder(args);

// The operator's one configuration file sits at the repository root (linked into the output).
builder.Configuration.AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true, reloadOnChange: false);
builder.Configuration.AddEnvironmentVariables();
builder.Configuration.AddCommandLine(args);

// Serve the framework's and MudBlazor's static assets from the build output too (not only when published).
builder.WebHost.UseStaticWebAssets();

builder.AddPortal();
builder.AddPortalAuthentication();
builder.AddPortalWebSecurity();
builder.AddPortalSaml2();
builder.AddPortalOidc();
builder.Services.AddRazorComponents().AddPortalInteractiveServer(builder.Configuration);
builder.Services.AddMudServices();
builder.Services.AddSingleton<PortalStatusService>();
builder.Services.AddPortalAdminRoles();
builder.Services.AddPortalAdminConsole();
builder.Services.AddPortalAdminProviders();
builder.Services.AddPortalSelfService();
builder.Services.AddPortalDownloads();

var app = builder.Build();

await app.InitializePortalAsync();

app.UsePortalForwardedHeaders();
app.UseStsApi();
app.UseSecurityHeaders();
app.UseBlazorOriginCheck();
app.UseAuthentication();
app.UseAuthorization();
app.UsePortalSignIn();
app.UseAntiforgery();
app.MapStaticAssets();
app.MapPortalStatus();
app.MapPortalSaml2();
app.MapPortalOidc();
app.MapPortalAccount();
app.MapAuditExport();
app.MapCustomerDownloads();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode(options => options.ConfigurePortalCircuits(app.Configuration));

await app.RunAsync();

/// <summary>The web host's entry point; public so the tests can host it.</summary>
public partial class Program;
