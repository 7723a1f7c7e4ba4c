using System.Net;
using Microsoft.EntityFrameworkCore;
using Portal.Core;
using Portal.Core.Credentials;
using Portal.Core.Persistence;
using Portal.Federation;
using Portal.Sts;

namespace Portal.Hosting;

/// <summary>The registrations and endpoints that Program.cs lists.</summary>
public static class PortalHostingExtensions
{
    /// <summary>Adds the engine, first-run bootstrap and housekeeping.</summary>
    public static WebApplicationBuilder AddPortal(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddPortalCore(builder.Configuration, builder.Environment.ContentRootPath);
        builder.Services.AddOptions<BootstrapOptions>().BindConfiguration(BootstrapOptions.SectionName);
        builder.Services.AddOptions<MaintenanceOptions>().BindConfiguration("Maintenance");
        builder.Services.AddSingleton<FirstRunBootstrap>();
        builder.Services.AddHostedService<MaintenanceService>();
        builder.Services.AddStsApi();
        builder.Services.AddPortalFederation();
        return builder;
    }

    /// <summary>Migrates, loads the key ring and bootstraps the first account, before the server accepts requests.</summary>
    public static async Task InitializePortalAsync(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        await app.Services.InitializePortalCoreAsync(app.Lifetime.ApplicationStopping).ConfigureAwait(false);
        await app.Services.GetRequiredService<FirstRunBootstrap>().RunAsync(app.Lifetime.ApplicationStopping).ConfigureAwait(false);
    }

    /// <summary>Maps the health check and the status page.</summary>
    public static WebApplication MapPortalStatus(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/healthz", HealthAsync);
        app.MapGet("/status", StatusAsync);
        app.MapPortalFederation();
        return app;
    }

    private static async Task<IResult> HealthAsync(IDbContextFactory<PortalDbContext> dbFactory, TokenKeyRing ring, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        var dbOk = await db.Database.CanConnectAsync(ct).ConfigureAwait(false);
        var ringOk = ring.SigningKeyId is not null && ring.CorruptKeyIds.Count == 0;
        return dbOk && ringOk
            ? Results.Text("ok")
            : Results.Text($"unhealthy: database {(dbOk ? "ok" : "unreachable")}, key ring {(ringOk ? "ok" : "not ready or corrupt")}", statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<IResult> StatusAsync(PortalDbContextFactory dbFactory, TokenKeyRing ring, HttpContext http, CancellationToken ct)
    {
        await using var db = dbFactory.CreateDbContext();
        var accounts = await db.Accounts.AsNoTracking().OrderBy(a => a.Id).Select(a => new { a.Id, a.Alias }).ToListAsync(ct).ConfigureAwait(false);
        var roles = await db.Roles.CountAsync(ct).ConfigureAwait(false);
        var users = await db.Users.CountAsync(ct).ConfigureAwait(false);
        var origin = $"{http.Request.Scheme}://{http.Request.Host}";
        var rows = string.Concat(accounts.Select(a => $"<li><code>{WebUtility.HtmlEncode(a.Id)}</code> {WebUtility.HtmlEncode(a.Alias ?? string.Empty)}</li>"));
        var html = $$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Portal status</title>
            <style>body{font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;line-height:1.5}code{background:#f3f3f3;padding:0 .25rem}</style></head>
            <body>
            <h1>Portal is running</h1>
            <p>Storage: <strong>{{dbFactory.Provider}}</strong>. Session-token keys: {{ring.Keys.Count}} (signing key <code>{{WebUtility.HtmlEncode(ring.SigningKeyId ?? "none")}}</code>).</p>
            <h2>Accounts</h2><ul>{{rows}}</ul>
            <p>{{users}} IAM users, {{roles}} roles.</p>
            <h2>Use it</h2>
            <p>The STS endpoint is this origin: <code>aws sts get-caller-identity --endpoint-url {{WebUtility.HtmlEncode(origin)}}</code></p>
            </body></html>
            """;
        return Results.Content(html, "text/html; charset=utf-8");
    }
}
