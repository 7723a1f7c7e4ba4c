using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Portal.Tests.Api;

/// <summary>Hosts the real Portal (SQLite in a temporary directory, a fixed bootstrap account and root key) in-process.</summary>
public sealed class PortalAppFactory : WebApplicationFactory<Program>
{
    public const string AccountId = "111122223333";
    public const string RootAccessKeyId = "AKIAROOTTESTKEY00001";
    public const string RootSecret = "rootSecretForTestsOnly0000000000000000000";

    public PortalAppFactory()
    {
        DataDirectory = Path.Combine(Path.GetTempPath(), "portal-tests-" + Guid.NewGuid().ToString("N"));
    }

    public string DataDirectory { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Storage:DataDirectory", DataDirectory);
        builder.UseSetting("Bootstrap:AccountId", AccountId);
        builder.UseSetting("Bootstrap:RootAccessKeyId", RootAccessKeyId);
        builder.UseSetting("Bootstrap:RootSecretAccessKey", RootSecret);
        builder.UseSetting("Security:MasterKey", Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
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
