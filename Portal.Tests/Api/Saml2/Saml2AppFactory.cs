using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Portal.Authentication.Saml2;
using Portal.Core.Persistence;
using Portal.Core.Persistence.Entities;
using Portal.Tests.Core.Federation.Saml;

namespace Portal.Tests.Api.Saml2;

/// <summary>The real Portal in-process on origin https://portal.test (the golden fixture's SP), its clock frozen at <see cref="TestIdp.Now"/>.</summary>
public sealed class Saml2AppFactory : WebApplicationFactory<Program>
{
    public const string AccountId = "111122223333";
    public const string IdpSsoLocation = "https://idp.test/sso";
    private const string SpKeyPassword = "test-only";

    public Saml2AppFactory()
    {
        DataDirectory = Path.Combine(Path.GetTempPath(), "portal-saml-tests-" + Guid.NewGuid().ToString("N"));
    }

    public string DataDirectory { get; }

    public FakeTimeProvider Time { get; } = new(TestIdp.Now);

    public static string ProviderArn(string name) => $"arn:aws:iam::{AccountId}:saml-provider/{name}";

    /// <summary>A browser without automatic redirects or cookie jar (tests carry cookies by hand) on the https origin.</summary>
    public HttpClient CreateBrowser() => CreateClient(new WebApplicationFactoryClientOptions
    {
        AllowAutoRedirect = false,
        HandleCookies = false,
        BaseAddress = new Uri("https://portal.test/"),
    });

    /// <summary>IdP metadata (SAML Metadata §2.4.3) with the given signing certificates and an HTTP-Redirect SSO endpoint.</summary>
    public static string Metadata(string entityId, params X509Certificate2[] certificates) => MetadataWithSlo(entityId, null, certificates);

    /// <summary>As <see cref="Metadata"/>, plus an HTTP-Redirect SingleLogoutService when <paramref name="sloLocation"/> is set.</summary>
    public static string MetadataWithSlo(string entityId, string? sloLocation, params X509Certificate2[] certificates)
    {
        var keys = string.Concat(certificates.Select(c =>
            $"""<md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>{Convert.ToBase64String(c.RawData)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>"""));
        return $"""<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="{entityId}"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">{keys}{(sloLocation is null ? string.Empty : $"<md:SingleLogoutService Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect\" Location=\"{sloLocation}\"/>")}<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="{IdpSsoLocation}"/></md:IDPSSODescriptor></md:EntityDescriptor>""";
    }

    /// <summary>Registers the provider in the database (once) and brings the schemes in step.</summary>
    public Task RegisterProviderAsync(string name, string entityId, SamlProviderSettings settings, params X509Certificate2[] certificates) =>
        RegisterMetadataAsync(name, Metadata(entityId, certificates), settings);

    /// <summary>Registers the provider with the given metadata (once) and brings the schemes in step.</summary>
    public async Task RegisterMetadataAsync(string name, string metadataXml, SamlProviderSettings settings)
    {
        _ = Services;
        var dbFactory = Services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            if (!await db.IdentityProviders.AnyAsync(p => p.Arn == ProviderArn(name)))
            {
                db.IdentityProviders.Add(new IdentityProviderEntity
                {
                    Arn = ProviderArn(name),
                    AccountId = AccountId,
                    Kind = "SAML",
                    Name = name,
                    MetadataXml = metadataXml,
                    SettingsJson = settings.ToJson(),
                    CreatedAt = Time.GetUtcNow(),
                });
                await db.SaveChangesAsync();
            }
        }

        await Services.GetRequiredService<SamlProviderSchemes>().SyncAsync();
    }

    /// <summary>The newest SAML sign-in audit event.</summary>
    public Task<AuditEventEntity> LastSamlAuditAsync() => LastAuditAsync(Saml2Defaults.AuditAction);

    /// <summary>The newest audit event of <paramref name="action"/>.</summary>
    public async Task<AuditEventEntity> LastAuditAsync(string action)
    {
        var dbFactory = Services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        await using var db = await dbFactory.CreateDbContextAsync();
        return await db.AuditEvents.AsNoTracking().Where(e => e.Action == action).OrderByDescending(e => e.Id).FirstAsync();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Storage:DataDirectory", DataDirectory);

        // The SP key (TestIdp.Sp) signs AuthnRequests and decrypts encrypted assertions, as in production.
        Directory.CreateDirectory(DataDirectory);
        var spKey = Path.Combine(DataDirectory, "sp.pfx");
        File.WriteAllBytes(spKey, TestIdp.Sp.Export(X509ContentType.Pkcs12, SpKeyPassword));
        builder.UseSetting("Saml2:SigningCertificatePath", spKey);
        builder.UseSetting("Saml2:SigningCertificatePassword", SpKeyPassword);
        builder.UseSetting("Bootstrap:AccountId", AccountId);
        builder.UseSetting("Bootstrap:RootAccessKeyId", "AKIAROOTTESTKEY00002");
        builder.UseSetting("Bootstrap:RootSecretAccessKey", "rootSecretForTestsOnly0000000000000000002");
        builder.UseSetting("Security:MasterKey", Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Time));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && Directory.Exists(DataDirectory))
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(DataDirectory, recursive: true);
        }
    }
}

/// <summary>What the browser saw.</summary>
internal sealed record BrowserResult(HttpStatusCode Status, string Body, IReadOnlyList<string> SetCookies, Uri? Location)
{
    public bool SetsAuthCookie => SetCookies.Any(c => c.StartsWith("portal.auth=", StringComparison.Ordinal));

    public static async Task<BrowserResult> FromAsync(HttpResponseMessage response) => new(
        response.StatusCode,
        await response.Content.ReadAsStringAsync(),
        response.Headers.TryGetValues("Set-Cookie", out var cookies) ? [.. cookies] : [],
        response.Headers.Location);
}
