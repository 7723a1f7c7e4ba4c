using Portal.Hosting;
using Portal.Sts;

var builder = WebApplication.CreateBuilder(args);

// The operator's one configuration file sits at the repository root (linked into the output).
builder.Configuration.AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true, reloadOnChange: false);
builder.Configuration.AddEnvironmentVariables();
builder.Configuration.AddCommandLine(args);

builder.AddPortal();

var app = builder.Build();

await app.InitializePortalAsync();

app.UseStsApi();

app.MapPortalStatus();
app.MapGet("/", () => Results.Redirect("/status"));

await app.RunAsync();

/// <summary>The web host's entry point; public so the tests can host it.</summary>
public partial class Program;
