using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Authentication.Oidc;
using Portal.Authentication.Saml2;
using Portal.Core.Persistence;
using Portal.Tests.EndToEnd.Clients;

namespace Portal.Tests.EndToEnd.Browser;

/// <summary>The one collection of browser tests: one Portal, one set of IdPs, one Chromium.</summary>
[CollectionDefinition(Name)]
public sealed class BrowserGroup : ICollectionFixture<BrowserE2EFixture>
{
    public const string Name = "EndToEnd.Browser";
}

/// <summary>
/// Portal on a fixed loopback port (the IdPs know its redirect URIs and ACS) in Development, a real SAML IdP
/// (SimpleSAMLphp under <c>php -S</c>), two real OIDC providers (oidc-provider), and headless Debian Chromium driven by
/// Playwright. The first OIDC provider and the SAML IdP are registered through the IAM API at start; the second OIDC
/// provider is registered by a test, at runtime.
/// </summary>
public sealed class BrowserE2EFixture : IAsyncLifetime, IDisposable
{
    public const string AccountId = "777788889999";
    public const string RootAccessKeyId = "AKIAE2EBROWSERROOT01";
    public const string RootSecret = "e2eBrowserRootSecretForTestsOnly00000000";
    public const int PortalPort = 5480;
    public const int OidcPort = 4480;
    public const int SecondOidcPort = 4481;
    public const int SamlPort = 8480;
    public const string SamlProviderName = "e2e-simplesamlphp";
    public const string SamlRoleName = "e2e-saml-role";
    public const string WebIdentityRoleName = "e2e-web-identity-role";
    public const string StsClientId = "sts-cli";
    public const string PortalClientId = "portal";
    public const string PortalClientSecret = "portal-e2e-secret";

    /// <summary>The break-glass administrator's password (Bootstrap:AdminPassword); it enrols TOTP at its first sign-in.</summary>
    public const string AdminPassword = "E2E-Admin-Password-1";

    public static readonly string PortalOrigin = "http://127.0.0.1:" + PortalPort.ToString(CultureInfo.InvariantCulture);
    public static readonly string OidcIssuer = "http://127.0.0.1:" + OidcPort.ToString(CultureInfo.InvariantCulture);
    public static readonly string SecondOidcIssuer = "http://127.0.0.1:" + SecondOidcPort.ToString(CultureInfo.InvariantCulture);
    public static readonly string SamlOrigin = "http://127.0.0.1:" + SamlPort.ToString(CultureInfo.InvariantCulture);

    /// <summary>Where the sts-cli client's code is sent: nothing listens there, the tests intercept the navigation.</summary>
    public static readonly string StsRedirectUri = PortalOrigin + "/e2e/sts-cli-callback";

    private const string ChromiumDefault = "/usr/bin/chromium";
    private const string Php = "/usr/bin/php";
    private const string SimpleSamlWww = "/usr/share/simplesamlphp/www";
    private readonly List<IdpProcess> _idps = [];
    private BrowserPortalFactory? _portal;
    private IPlaywright? _playwright;
    private readonly SemaphoreSlim _administratorGate = new(1, 1);
    private string? _administratorState;

    public BrowserE2EFixture()
    {
        RunDirectory = Path.Combine(Path.GetTempPath(), "portal-e2e-browser-" + Guid.NewGuid().ToString("N"));
    }

    /// <summary>Certificates, IdP keys and state, the Portal database: deleted at the end.</summary>
    public string RunDirectory { get; }

    public IBrowser Browser { get; private set; } = default!;

    public IServiceProvider Services => _portal!.Services;

    public static string SamlProviderArn => $"arn:aws:iam::{AccountId}:saml-provider/{SamlProviderName}";

    public static string SamlRoleArn => $"arn:aws:iam::{AccountId}:role/{SamlRoleName}";

    /// <summary>
    /// The condition every web-identity trust of these tests adds on the subject: the portal refuses trust that admits every
    /// identity at a provider (SECURITY-CASES 104g), and the test IdP's people are e2e-user-alice and e2e-user-bob.
    /// </summary>
    public static Dictionary<string, string> OidcTestSubjects => new() { [new Uri(OidcIssuer).Authority + ":sub"] = "e2e-user-*" };

    public static string WebIdentityRoleArn => $"arn:aws:iam::{AccountId}:role/{WebIdentityRoleName}";

    public static string OidcProviderArn(string issuer) => $"arn:aws:iam::{AccountId}:oidc-provider/{new Uri(issuer).Authority}";

    /// <summary>The portal path that starts an OIDC sign-in with the provider of <paramref name="issuer"/>.</summary>
    public static string OidcSignInPath(string issuer) =>
        OidcSignInDefaults.ChallengePathPrefix + OidcSignInProvider.KeyOf(OidcSignInProvider.SchemeNameOf(issuer));

    public static string SamlSignInPath => Saml2Defaults.LoginPathPrefix + "/" + SamlProviderName;

    /// <summary>Where failure screenshots go: the test output directory.</summary>
    public static string ScreenshotDirectory => Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        RequirePrerequisites();
        Directory.CreateDirectory(RunDirectory);
        try
        {
            await StartIdpsAsync();
            _portal = new BrowserPortalFactory(PortalPort, Path.Combine(RunDirectory, "portal"));
            _portal.StartServer();

            await RegisterSamlProviderAsync();
            await RegisterOidcProviderAsync(OidcIssuer, "E2E OIDC");
            await CreateRolesAsync();

            _playwright = await Playwright.CreateAsync();
            Browser = await _playwright.Chromium.LaunchAsync(new()
            {
                ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? ChromiumDefault,
                Headless = true,
                Args =
                [
                    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                ],
            });
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_portal is not null)
        {
            await _portal.DisposeAsync();
            _portal = null;
        }

        foreach (var idp in _idps)
        {
            await idp.DisposeAsync();
        }

        _idps.Clear();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(RunDirectory))
        {
            Directory.Delete(RunDirectory, recursive: true);
        }
    }

    /// <summary>xunit calls this after <see cref="DisposeAsync"/>, which already released everything.</summary>
    public void Dispose()
    {
        _portal?.Dispose();
        _administratorGate.Dispose();
    }

    /// <summary>What the IdPs printed; attached to failure messages.</summary>
    public string IdpOutput => string.Join("\n", _idps.Select(i => $"--- {i.Name} ---\n{i.Output}"));

    /// <summary>Starts the second OIDC provider (not registered at Portal yet).</summary>
    public async Task StartSecondOidcProviderAsync()
    {
        if (_idps.Any(i => i.Name == "oidc-provider-2"))
        {
            return;
        }

        _idps.Add(await StartOidcProviderAsync("oidc-provider-2", SecondOidcPort, " (IdP 2)"));
    }

    /// <summary>
    /// Registers an OIDC provider the way an administrator does: IAM CreateOpenIDConnectProvider through the AWS CLI,
    /// then the portal sign-in settings (client id, encrypted secret, groups claim) and a scheme sync, as the admin
    /// action does. Portal keeps running.
    /// </summary>
    public async Task RegisterOidcProviderAsync(string issuer, string displayName)
    {
        var created = await AwsAsync(
            ["iam", "create-open-id-connect-provider", "--url", issuer, "--client-id-list", PortalClientId, StsClientId, "--thumbprint-list", new string('0', 40)],
            Root);
        Assert.True(created.ExitCode == 0, created.Describe());

        var codec = Services.GetRequiredService<OidcSignInSettingsCodec>();
        var settings = codec.Write(new OidcSignInSettings { DisplayName = displayName, ClientId = PortalClientId, GroupsClaim = "groups" }, PortalClientSecret);
        await UpdateSettingsAsync(OidcProviderArn(issuer), settings);
        await Services.GetRequiredService<OidcProviderSchemes>().SyncAsync();
    }

    /// <summary>Runs Debian's AWS CLI against Portal in an isolated environment.</summary>
    public Task<ProcessResult> AwsAsync(IEnumerable<string> arguments, AwsCredentials? credentials) =>
        RunAwsAsync(arguments, credentials, credentialsFile: null, profile: null);

    /// <summary>Runs the AWS CLI with only a shared credentials file (AWS_SHARED_CREDENTIALS_FILE) and one of its profiles.</summary>
    public Task<ProcessResult> AwsWithCredentialsFileAsync(IEnumerable<string> arguments, string credentialsFile, string profile) =>
        RunAwsAsync(arguments, credentials: null, credentialsFile, profile);

    private async Task<ProcessResult> RunAwsAsync(IEnumerable<string> arguments, AwsCredentials? credentials, string? credentialsFile, string? profile)
    {
        ClientTools.RequireFile(ClientTools.AwsCli, "The AWS CLI (Debian awscli)");
        var home = Path.Combine(RunDirectory, "aws-home");
        Directory.CreateDirectory(home);
        var env = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["HOME"] = home,
            ["AWS_CONFIG_FILE"] = Path.Combine(home, "config"),
            ["AWS_SHARED_CREDENTIALS_FILE"] = credentialsFile ?? Path.Combine(home, "credentials"),
            ["AWS_EC2_METADATA_DISABLED"] = "true",
            ["AWS_DEFAULT_REGION"] = "us-east-1",
            ["AWS_PAGER"] = string.Empty,
            ["AWS_PROFILE"] = profile,
            ["AWS_ACCESS_KEY_ID"] = credentials?.AccessKeyId,
            ["AWS_SECRET_ACCESS_KEY"] = credentials?.SecretAccessKey,
            ["AWS_SESSION_TOKEN"] = credentials?.SessionToken,
            ["HTTP_PROXY"] = null,
            ["HTTPS_PROXY"] = null,
            ["http_proxy"] = null,
            ["https_proxy"] = null,
        };
        List<string> args = [.. arguments, "--endpoint-url", PortalOrigin, "--output", "json"];
        return await ClientTools.RunAsync(ClientTools.AwsCli, args, env);
    }

    public static AwsCredentials Root => new(RootAccessKeyId, RootSecret);

    /// <summary>
    /// A new browser context signed in as the break-glass administrator. The first call signs in through the browser
    /// (password, then TOTP enrolment, see <see cref="AdministratorSignIn"/>); later calls reuse its cookies, because a
    /// TOTP code is accepted once only (replay protection) and a second sign-in would have to wait for the next step.
    /// </summary>
    public async Task<IBrowserContext> NewAdministratorContextAsync()
    {
        await _administratorGate.WaitAsync();
        try
        {
            _administratorState ??= await AdministratorSignIn.SignInAsync(Browser, AdminPassword);
        }
        finally
        {
            _administratorGate.Release();
        }

        var context = await Browser.NewContextAsync(new() { StorageState = _administratorState });
        context.SetDefaultTimeout(20_000);
        return context;
    }

    private static void RequirePrerequisites()
    {
        const string hint = "Install the browser test prerequisites with .ci/install-deps (Debian chromium, simplesamlphp, php-cli, php8.2-xml, php8.2-mbstring; npm ci in Portal.Tests/EndToEnd/Idps/oidc).";
        var chromium = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? ChromiumDefault;
        foreach (var path in new[] { chromium, Php, ClientTools.Node, Path.Combine(SimpleSamlWww, "saml2", "idp", "SSOService.php"), Path.Combine(IdpsFolder, "oidc", "node_modules", "oidc-provider", "package.json") })
        {
            Assert.True(File.Exists(path), $"{path} is missing. {hint}");
        }
    }

    private static string IdpsFolder => Path.Combine(ClientTools.RepositoryRoot, "Portal.Tests", "EndToEnd", "Idps");

    private async Task StartIdpsAsync()
    {
        var ssp = Path.Combine(RunDirectory, "ssp");
        Directory.CreateDirectory(Path.Combine(ssp, "cert"));
        Directory.CreateDirectory(Path.Combine(ssp, "tmp"));
        WriteTestOnlyCertificate(Path.Combine(ssp, "cert", "idp.key"), Path.Combine(ssp, "cert", "idp.crt"));
        var sspEnvironment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["SIMPLESAMLPHP_CONFIG_DIR"] = Path.Combine(IdpsFolder, "ssp", "config"),
            ["SSP_RUN_DIR"] = ssp,
            ["SSP_BASEURL"] = SamlOrigin + "/",
            ["SSP_PORTAL_ORIGIN"] = PortalOrigin,
            ["SSP_SECRET_SALT"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)),
            ["SSP_AWS_ROLE"] = SamlRoleArn + "," + SamlProviderArn,
            ["PHP_CLI_SERVER_WORKERS"] = "4",
        };
        _idps.Add(await IdpProcess.StartAsync(
            "simplesamlphp", Php, ["-S", "127.0.0.1:" + SamlPort.ToString(CultureInfo.InvariantCulture), "-t", SimpleSamlWww], sspEnvironment, ssp, new Uri(SamlOrigin + "/saml2/idp/metadata.php")));
        _idps.Add(await StartOidcProviderAsync("oidc-provider", OidcPort, string.Empty));
    }

    private async Task<IdpProcess> StartOidcProviderAsync(string name, int port, string userSuffix)
    {
        var issuer = "http://127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture);
        var folder = Path.Combine(IdpsFolder, "oidc");
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["OIDC_PORT"] = port.ToString(CultureInfo.InvariantCulture),
            ["OIDC_PORTAL_REDIRECT_URIS"] = PortalOrigin + OidcSignInDefaults.CallbackPathPrefix + OidcSignInProvider.KeyOf(OidcSignInProvider.SchemeNameOf(issuer)),
            ["OIDC_STS_REDIRECT_URI"] = StsRedirectUri,
            ["OIDC_JWKS_FILE"] = Path.Combine(RunDirectory, name + "-jwks.json"),
            ["OIDC_USER_SUFFIX"] = userSuffix,
            ["NODE_NO_WARNINGS"] = "1",
        };
        return await IdpProcess.StartAsync(name, ClientTools.Node, [Path.Combine(folder, "server.mjs")], environment, folder, new Uri(issuer + "/.well-known/openid-configuration"));
    }

    /// <summary>The IdP's signing key pair, made per run in the temporary directory (never committed).</summary>
    private static void WriteTestOnlyCertificate(string keyPath, string certificatePath)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=portal-e2e-simplesamlphp", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
        File.WriteAllText(keyPath, rsa.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
    }

    private async Task RegisterSamlProviderAsync()
    {
        using var http = new HttpClient();
        var metadata = await http.GetStringAsync(new Uri(SamlOrigin + "/saml2/idp/metadata.php"));
        var created = await AwsAsync(["iam", "create-saml-provider", "--name", SamlProviderName, "--saml-metadata-document", metadata], Root);
        Assert.True(created.ExitCode == 0, created.Describe());
        await UpdateSettingsAsync(SamlProviderArn, new SamlProviderSettings { DisplayName = "E2E SimpleSAMLphp", GroupsAttribute = "groups" }.ToJson());
        await Services.GetRequiredService<SamlProviderSchemes>().SyncAsync();
    }

    private async Task CreateRolesAsync()
    {
        var samlTrust = TrustPolicy(SamlProviderArn, "sts:AssumeRoleWithSAML", "SAML:aud", "https://signin.aws.amazon.com/saml");
        var webTrust = TrustPolicy(OidcProviderArn(OidcIssuer), "sts:AssumeRoleWithWebIdentity", new Uri(OidcIssuer).Authority + ":aud", StsClientId, OidcTestSubjects);
        foreach (var (name, trust) in new[] { (SamlRoleName, samlTrust), (WebIdentityRoleName, webTrust) })
        {
            var created = await AwsAsync(["iam", "create-role", "--role-name", name, "--assume-role-policy-document", trust], Root);
            Assert.True(created.ExitCode == 0, created.Describe());
        }
    }

    private static string TrustPolicy(string federated, string action, string conditionKey, string conditionValue, Dictionary<string, string>? like = null) => JsonSerializer.Serialize(new
    {
        Version = "2012-10-17",
        Statement = new[]
        {
            new
            {
                Effect = "Allow",
                Principal = new { Federated = federated },
                Action = action,
                Condition = like is null
                    ? new Dictionary<string, Dictionary<string, string>> { ["StringEquals"] = new() { [conditionKey] = conditionValue } }
                    : new Dictionary<string, Dictionary<string, string>> { ["StringEquals"] = new() { [conditionKey] = conditionValue }, ["StringLike"] = like },
            },
        },
    });

    private async Task UpdateSettingsAsync(string providerArn, string settingsJson)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var updated = await db.IdentityProviders.Where(p => p.Arn == providerArn).ExecuteUpdateAsync(s => s.SetProperty(p => p.SettingsJson, settingsJson));
        Assert.Equal(1, updated);
    }

    /// <summary>The real Portal on real Kestrel at a fixed port, in Development (static assets, RECIPE §2.4).</summary>
    private sealed class BrowserPortalFactory : WebApplicationFactory<Program>
    {
        private readonly string _dataDirectory;

        public BrowserPortalFactory(int port, string dataDirectory)
        {
            _dataDirectory = dataDirectory;
            UseKestrel(port);
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            builder.UseSetting("Storage:DataDirectory", _dataDirectory);
            builder.UseSetting("Bootstrap:AccountId", AccountId);
            builder.UseSetting("Bootstrap:RootAccessKeyId", RootAccessKeyId);
            builder.UseSetting("Bootstrap:RootSecretAccessKey", RootSecret);
            builder.UseSetting("Bootstrap:AdminPassword", AdminPassword);
            builder.UseSetting("Security:MasterKey", Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));

            // Providers appear through the explicit SyncAsync calls above, as after an admin action; no polling.
            builder.UseSetting("Saml2:ProviderRefreshInterval", "00:00:00");
        }
    }
}
